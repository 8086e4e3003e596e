"""Deny lists from the profile: organisation names, customer names, roster names, usernames,
AD domains. Case- and whitespace-tolerant (`ACME  bank` finds `Acme Bank`), whole words only.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .base import RECOGNIZER_ID_KEY, RECOGNIZER_NAME_KEY


def trie_alternation(terms: Iterable[str], *, flexible_space: bool = True) -> str:
    """One regex alternation for many literal terms, as a trie (shared prefixes factored),
    so `re` matches thousands of terms in one pass. Longer terms win at the same position.
    With `flexible_space`, a space in a term matches any run of whitespace."""
    trie: dict[str, dict] = {}
    END = ""
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[END] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = []
        for ch in sorted((c for c in node if c != END), key=lambda c: -_depth(node[c])):
            piece = r"\s+" if (ch == " " and flexible_space) else re.escape(ch)
            branches.append(piece + emit(node[ch]))
        if END in node:
            branches.append("")
        if not branches:
            return ""
        if len(branches) == 1:
            return branches[0]
        if branches[-1] == "" and len(branches) == 2:
            return f"(?:{branches[0]})?"
        return "(?:" + "|".join(branches) + ")"

    return emit(trie)


def _depth(node: dict[str, dict]) -> int:
    return 1 + max((_depth(child) for child in node.values()), default=0) if node else 0


def term_regex(terms: Iterable[str], *, ignore_case: bool = True) -> re.Pattern[str] | None:
    """Whole-word matcher for many terms; spaces in a term match any whitespace run."""
    cleaned = {" ".join(t.split()) for t in terms if t.strip()}
    if ignore_case:
        cleaned = {t.lower() for t in cleaned}
    if not cleaned:
        return None
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<![\w])" + trie_alternation(cleaned) + r"(?![\w])", flags)


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
