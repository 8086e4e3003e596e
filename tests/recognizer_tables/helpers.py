from __future__ import annotations


def hits(recognizer, text: str) -> set[tuple[str, str]]:
    """(entity type, matched text) for every result of one recognizer on `text`."""
    return {(r.entity_type, text[r.start:r.end]) for r in recognizer.analyze(text, [])}


def values(recognizer, text: str) -> set[str]:
    return {v for _, v in hits(recognizer, text)}
