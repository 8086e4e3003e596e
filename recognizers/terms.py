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
from .prefilter import Prefilter, Untranslatable, translate


# factor this many leading characters; below, a flat longest-first alternation that is tried term by
# term. Deep, because names and host names share long prefixes (`mari…`, `osl-ws-1…`): a 17k-name
# roster scanned 1 MB of reports in 7.8 s at 4 levels and 0.06 s at 32 (`regex` engine)
TRIE_LEVELS = 32


def _literal(text: str, flexible_space: bool = True) -> str:
    return "".join(r"\s+" if (c == " " and flexible_space) else re.escape(c) for c in text)


def trie_alternation(terms: Iterable[str], *, flexible_space: bool = True, levels: int = TRIE_LEVELS) -> str:
    """One regex alternation for many literal terms, with their first `levels` characters
    factored into a trie so `re` discards most terms at a glance. Longer terms win at the same
    position; nesting stays bounded (the `re` compiler recurses per group), and nothing here
    recurses per character beyond `levels`, so very long terms are fine.
    With `flexible_space`, a space in a term matches any run of whitespace."""

    def lit(text: str) -> str:
        return _literal(text, flexible_space)

    def emit(group: list[str], level: int) -> str:
        if level >= levels or len(group) == 1:
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


def _cleaned(terms: Iterable[str], ignore_case: bool) -> set[str]:
    cleaned = {" ".join(t.split()) for t in terms if t.strip()}
    return {t.lower() for t in cleaned} if ignore_case else cleaned


_WHOLE_WORD = r"(?<![\w])%s(?![\w])"


def term_regex(terms: Iterable[str], *, ignore_case: bool = True) -> Any:
    r"""Whole-word matcher for many terms; spaces in a term match any whitespace run.
    Compiled with the `regex` engine for its whole-word boundary: its `\w` is Unicode's word
    class (combining marks too), which `re`'s is not. (`re` scans these tries faster: a
    20,000-name roster over 1 MB of reports, 0.13 s against 4.3 s; switching would move word
    boundaries in decomposed text, so it is a decision of its own.)"""
    cleaned = _cleaned(terms, ignore_case)
    if not cleaned:
        return None
    flags = re.IGNORECASE if ignore_case else 0
    return regex.compile(_WHOLE_WORD % trie_alternation(cleaned), flags | regex.VERSION0)


def term_prefilter(terms: Iterable[str], *, ignore_case: bool = True) -> Prefilter:
    """The prefilter of `term_regex(terms)`. A short list: that very pattern, translated. A long one
    (its translation would pass Hyperscan's ~16k-character limit on one expression): for each term
    its longest run of ASCII characters that any match must contain exactly (up to ASCII case) —
    no space (a match may have any whitespace run there) and, case-insensitively, no i/k/s
    (`ı İ ſ K` match those). Plain literals compile fast even for rosters of thousands; a term
    without such a run keeps the list always running."""
    flags = re.IGNORECASE if ignore_case else 0
    cleaned = _cleaned(terms, ignore_case)
    if len(cleaned) <= 200:
        whole = _WHOLE_WORD % trie_alternation(cleaned)
        try:
            if len(translate(whole, flags)[0]) < 15_000:
                return Prefilter([(whole, flags)])
        except Untranslatable:   # a non-ASCII letter: the runs below skip it
            pass
    split = r"(?:\s|[^\x00-\x7f]|[iksIKS])+" if ignore_case else r"(?:\s|[^\x00-\x7f])+"
    runs = set()
    for term in cleaned:
        longest = max(re.split(split, term), key=len)
        runs.add(re.escape(longest) if longest else "")   # "" matches anywhere: always active
    return Prefilter([(run, flags) for run in sorted(runs)], ids=[0] * len(runs))


class TermsRecognizer(LocalRecognizer):  # type: ignore[misc]
    """Report every whole-word occurrence of the given terms as `entity`."""

    def __init__(self, entity: str, terms: Iterable[str], *, name: str, score: float = 0.95,
                 ignore_case: bool = True) -> None:
        self.entity = entity
        self.score = score
        terms = list(terms)
        self.pattern = term_regex(terms, ignore_case=ignore_case)
        self.prefilter = term_prefilter(terms, ignore_case=ignore_case)
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
