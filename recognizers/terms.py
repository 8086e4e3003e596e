"""Deny lists from the profile: organisation names, customer names, roster names, usernames,
AD domains. Case- and whitespace-tolerant (`ACME  bank` finds `Acme Bank`), whole words only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .base import RECOGNIZER_ID_KEY, RECOGNIZER_NAME_KEY


def term_regex(terms: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str] | None:
    """One alternation for many terms, longest first; spaces match any whitespace run."""
    parts = []
    for term in sorted({" ".join(t.split()) for t in terms if t.strip()}, key=len, reverse=True):
        words = [re.escape(w) for w in term.split(" ")]
        parts.append(r"\s+".join(words))
    if not parts:
        return None
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])", flags)


class TermsRecognizer(LocalRecognizer):  # type: ignore[misc]
    """Report every whole-word occurrence of the given terms as `entity`."""

    def __init__(self, entity: str, terms: Iterable[str], *, name: str, score: float = 0.95,
                 ignore_case: bool = True) -> None:
        self.entity = entity
        self.score = score
        self.pattern = term_regex(terms, ignore_case=ignore_case)
        super().__init__(supported_entities=[entity], name=name, supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        if self.pattern is None:
            return []
        meta = {RECOGNIZER_NAME_KEY: self.name, RECOGNIZER_ID_KEY: self.id, "pattern": "profile list"}
        return [RecognizerResult(self.entity, m.start(), m.end(), self.score, recognition_metadata=dict(meta))
                for m in self.pattern.finditer(text)]
