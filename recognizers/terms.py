"""Deny lists from the profile: organisation names, customer names, roster names, usernames,
AD domains. Case- and whitespace-tolerant (`ACME  bank` finds `Acme Bank`), whole words only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import regex

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .base import RECOGNIZER_ID_KEY, RECOGNIZER_NAME_KEY, Span
from .prefilter import Prefilter


TRIE_LEVELS = 4   # factor this many leading characters; below, a flat longest-first alternation


def trie_alternation(terms: Iterable[str], *, flexible_space: bool = True) -> str:
    """One regex alternation for many literal terms, with their first characters factored
    into a shallow trie so `re` discards most terms at a glance. Longer terms win at the same
    position; nesting stays shallow (the `re` compiler recurses per group), and nothing here
    recurses per character, so very long terms are fine.
    With `flexible_space`, a space in a term matches any run of whitespace."""

    def lit(text: str) -> str:
        return "".join(r"\s+" if (c == " " and flexible_space) else re.escape(c) for c in text)

    def emit(group: list[str], level: int) -> str:
        if level >= TRIE_LEVELS or len(group) == 1:
            suffixes = sorted({t[level:] for t in group}, key=len, reverse=True)
            parts = [lit(x) for x in suffixes]
            if len(parts) == 1:
                return parts[0]
            if parts[-1] == "":
                return "(?:" + "|".join(parts[:-1]) + ")?"
            return "(?:" + "|".join(parts) + ")"
        by_char: dict[str, list[str]] = {}
        ended = False
        for t in group:
            if len(t) == level:
                ended = True
            else:
                by_char.setdefault(t[level], []).append(t)
        branches = [lit(c) + emit(g, level + 1) for c, g in sorted(by_char.items())]
        if len(branches) == 1 and not ended:
            return branches[0]
        body = "(?:" + "|".join(branches) + ")"
        return body + "?" if ended else body

    unique = sorted(set(terms))
    return emit(unique, 0) if unique else "(?!)"


def term_regex(terms: Iterable[str], *, ignore_case: bool = True) -> Any:
    """Whole-word matcher for many terms; spaces in a term match any whitespace run.
    Compiled with the `regex` engine: it scans these case-insensitive tries 2-10x faster
    than `re` (measured on logs)."""
    cleaned = {" ".join(t.split()) for t in terms if t.strip()}
    if ignore_case:
        cleaned = {t.lower() for t in cleaned}
    if not cleaned:
        return None
    flags = re.IGNORECASE if ignore_case else 0
    return regex.compile(r"(?<![\w])" + trie_alternation(cleaned) + r"(?![\w])", flags | regex.VERSION0)


class TermsRecognizer(LocalRecognizer):  # type: ignore[misc]
    """Report every whole-word occurrence of the given terms as `entity`."""

    def __init__(self, entity: str, terms: Iterable[str], *, name: str, score: float = 0.95,
                 ignore_case: bool = True) -> None:
        self.entity = entity
        self.score = score
        self.pattern = term_regex(terms, ignore_case=ignore_case)
        self.prefilter = Prefilter([] if self.pattern is None else
                                   [(self.pattern.pattern, re.IGNORECASE if ignore_case else 0)])
        super().__init__(supported_entities=[entity], name=name, supported_language="en")

    def load(self) -> None:
        pass

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        active = self.prefilter.active(text)
        if self.pattern is None or (active is not None and not active):
            return []
        entity, score = self.entity, self.score
        return [(entity, m.start(), m.end(), score, "profile list") for m in self.pattern.finditer(text)]

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        return [RecognizerResult(e, s, t, sc, recognition_metadata={
            RECOGNIZER_NAME_KEY: self.name, RECOGNIZER_ID_KEY: self.id, "pattern": p})
            for e, s, t, sc, p in self.spans(text)]
