"""A small regex recognizer base on top of Presidio's `LocalRecognizer`.

Presidio's `PatternRecognizer` reports the whole match; incident text needs the value inside
its context (`user=jdoe` -> `jdoe`), several entities from one match (`ACMEBANK\\jdoe`), and
structural checks. A `Rule` names a pattern, its strength and the group(s) that are entities;
`check()` validates or rejects each candidate.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .prefilter import Prefilter

RECOGNIZER_NAME_KEY = RecognizerResult.RECOGNIZER_NAME_KEY
UNTRUSTED_TIMEOUT = 2.0


class PatternTimeoutError(RuntimeError):
    """A profile-supplied pattern exceeded its time limit."""

RECOGNIZER_ID_KEY = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY


@dataclass(frozen=True)
class Rule:
    """One named pattern. `groups` maps a group (index or name) to an entity type."""

    name: str
    regex: str
    score: float
    groups: tuple[tuple[int | str, str], ...] = ((0, ""),)
    flags: int = 0
    untrusted: bool = False     # from a profile: run with a time limit (catastrophic backtracking)
    # lower-case literals of which at least one occurs in every match (or in the context the
    # rule's check demands): the rule is skipped on a text that has none of them
    triggers: tuple[str, ...] = ()
    # "re" or "regex": the engine that scans this pattern faster, measured per rule on a dense
    # log, the real corpus and the samples (same matches on all three): `regex` skips ahead to a
    # literal the match needs (`xox`, `arn:aws`, `\\`, `S-1-`), `re` wins on patterns led by a
    # class (IPs, FQDNs, `[a-z]*user_?name` fields)
    engine: str = "re"
    # a leading part of `regex` that the prefilter reads instead of the whole (every match of
    # `regex` starts with a match of it): for a pattern whose Hyperscan database would take
    # seconds to compile (a long alternation before unbounded gaps); checked to be such a part
    prefilter: str = ""
    compiled: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.prefilter and (self.flags & re.VERBOSE or not is_leading_part(self.prefilter, self.regex)):
            raise ValueError(f"{self.name}: its prefilter is not a leading part of its pattern")
        if self.untrusted or self.engine == "regex":
            object.__setattr__(self, "compiled", regex.compile(self.regex, self.flags | regex.VERSION0))
        else:
            object.__setattr__(self, "compiled", re.compile(self.regex, self.flags))

    @property
    def prefilter_pattern(self) -> str:
        return self.prefilter or self.regex

    def finditer(self, text: str) -> Any:
        if not self.untrusted:
            return self.compiled.finditer(text)
        try:
            return list(self.compiled.finditer(text, timeout=UNTRUSTED_TIMEOUT))
        except TimeoutError:
            raise PatternTimeoutError(
                f"{self.name} ({self.regex!r}) took over {UNTRUSTED_TIMEOUT:.0f}s on one text: it "
                f"backtracks catastrophically; fix the pattern in the profile") from None


def is_leading_part(head: str, pattern: str) -> bool:
    """Does every match of `pattern` start with a match of `head`? It does when `pattern` is `head`
    followed by a part with no alternation at its top level (`a` + `b|c` is `ab|c`, and `c` does not
    start with `a`), `head`'s last item takes no quantifier from it (`ab` + `*` is `ab*`, which
    matches `a`), and `head` is a pattern of its own. Not for a verbose pattern (`(?x)`): a comment in it
    may hold a bracket or a bar."""
    if not pattern.startswith(head) or pattern == head or pattern[len(head)] in "*+?{" or \
            re.search(r"\(\?[a-zA-Z]*x", pattern):
        return False
    depth, i, rest = 0, 0, pattern[len(head):]
    while i < len(rest):
        c = rest[i]
        if c == "\\":
            i += 1
        elif c == "[":   # a class: to its closing bracket (`[]...]` and `[^]...]` hold a `]`)
            i += 2 if rest[i + 1:i + 2] == "^" else 1
            i += 1 if rest[i:i + 1] == "]" else 0
            while i < len(rest) and rest[i] != "]":
                i += 2 if rest[i] == "\\" else 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
        elif c == "|" and depth == 0:
            return False
        i += 1
    try:
        regex.compile(head)
    except regex.error:
        return False
    return True


class Candidate:
    """One group of one match, as `check()` sees it (a plain slotted class: made per hit)."""

    __slots__ = ("entity", "start", "end", "score", "rule", "match")

    def __init__(self, entity: str, start: int, end: int, score: float, rule: Rule,
                 match: re.Match[str]) -> None:
        self.entity, self.start, self.end, self.score, self.rule, self.match = (
            entity, start, end, score, rule, match)

    @property
    def value(self) -> str:
        return self.match.string[self.start:self.end]


# (entity, start, end, score, pattern name): what `spans()` returns, without Presidio objects
Span = tuple[str, int, int, float, str]


def triggered(rule: Rule, lower: str) -> bool:
    return not rule.triggers or any(t in lower for t in rule.triggers)


class RegexRecognizer(LocalRecognizer):  # type: ignore[misc]
    """Run `RULES`; each group of each match becomes a candidate that `check` may refuse."""

    ENTITIES: tuple[str, ...] = ()
    RULES: tuple[Rule, ...] = ()

    def __init__(self, rules: tuple[Rule, ...] | None = None, *, name: str | None = None) -> None:
        self.rules = self.RULES if rules is None else rules
        self.prefilter = Prefilter([(rule.prefilter_pattern, rule.flags) for rule in self.rules])
        entities = set(self.ENTITIES)
        for rule in self.rules:
            entities.update(e for _, e in rule.groups if e)
        super().__init__(
            supported_entities=sorted(entities),
            name=name or type(self).__name__,
            supported_language="en",
        )

    def load(self) -> None:  # patterns are compiled at construction
        pass

    def check(self, cand: Candidate) -> float | None:
        """Return the score to report, or None to reject the candidate."""
        return cand.score

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        """Every accepted candidate as a plain tuple. `lower` is `text.lower()` when the
        caller has it (it is shared by all recognizers for the trigger test)."""
        out: list[Span] = []
        default_entity = self.ENTITIES[0] if self.ENTITIES else ""
        check = self.check
        active = self.prefilter.active(text)    # None: cannot tell, run every rule
        for index, rule in enumerate(self.rules):
            if active is not None and index not in active:
                continue
            if rule.triggers:
                if lower is None:
                    lower = text.lower()
                if not triggered(rule, lower):
                    continue
            groups = tuple((g, e or default_entity) for g, e in rule.groups)
            score0, name = rule.score, rule.name
            for match in rule.finditer(text):
                for group, entity in groups:
                    start, end = match.span(group)
                    if start < 0 or start == end:
                        continue
                    score = check(Candidate(entity, start, end, score0, rule, match))
                    if score is not None:
                        out.append((entity, start, end, score, name))
        return out

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        return [self.result(*span) for span in self.spans(text)]

    def result(self, entity: str, start: int, end: int, score: float, pattern: str) -> Any:
        return RecognizerResult(
            entity_type=entity, start=start, end=end, score=score,
            recognition_metadata={
                RECOGNIZER_NAME_KEY: self.name, RECOGNIZER_ID_KEY: self.id, "pattern": pattern,
            },
        )


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def in_blob(text: str, start: int, end: int, limit: int = 120) -> bool:
    """Is [start, end) inside an encoded payload quoted in a report (`…Yr@5Xjzyu_6OcR%#u^#z(Wj|,l1…`),
    where `x@y`, `a:b@c` and `X$` are chance: a run of over `limit` characters without a space,
    as random as base85 (over 5.6 bits a character; minified JSON and long URLs have about 5, base64 under 4)?"""
    lo = max(0, start - limit - 1)
    before = _LAST_SPACE.search(text, lo, start)
    left = before.end() if before else lo
    if end - left > limit:
        return entropy(text[left:end]) > 5.6
    after = _SPACE.search(text, end, left + limit + 2)
    right = after.start() if after else min(len(text), left + limit + 2)
    return right - left > limit and entropy(text[left:right]) > 5.6


_SPACE = re.compile(r"\s")
_LAST_SPACE = re.compile(r"\s(?=\S*\Z)")


def window_before(text: str, start: int, size: int = 48) -> str:
    """The lower-cased text just before `start` (context words live there)."""
    return text[max(0, start - size):start].lower()


def has_context(text: str, start: int, words: tuple[str, ...], size: int = 48) -> bool:
    return _context_regex(words).search(window_before(text, start, size)) is not None


@lru_cache(maxsize=64)
def _context_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z])")
