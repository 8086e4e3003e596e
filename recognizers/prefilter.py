"""Which patterns can match a text at all, from one Hyperscan pass per recognizer.

Most rules find nothing in most chunks (no IPv6, NINO or card number in a firewall log), yet each
full-text scan by Python's regex engines costs 15-100 ms per MB. Hyperscan answers "does pattern
k match anywhere in this text" for all of a recognizer's patterns in one pass, ~1 ms per MB each.

Sound by construction: each Python pattern is parsed by Python's own parser (`re._parser`) and
re-emitted as a Hyperscan pattern that matches a *superset* of it on ASCII text — lookarounds
and `^`/`$`/`\\A`/`\\Z` are dropped, bounded repeats are opened (`{2,40}` -> `{2,}`), a
back-reference becomes a copy of its group, classes are spelled out in ASCII (`\\s` includes
`\\x1c`-`\\x1f`, as `str.isspace` does). So when Hyperscan finds nothing, Python cannot either,
and the rule is skipped; when it finds something the rule runs exactly as before.
Everything else runs every pattern, as without the prefilter: a text that is not pure ASCII, a
pattern the translation does not cover (non-ASCII literals, conditionals, unknown escapes, or one
Hyperscan refuses), and machines without the `hyperscan` wheel (Linux on ARM).
"""
from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

try:
    import hyperscan
except ImportError:  # no wheel for this platform: every rule runs
    hyperscan = None

# Compiling a recognizer's database costs ~1-50 ms; it is built the first time a text this
# long is scanned (a 5 KB pre-commit check never pays for it) and used for texts of any size.
COMPILE_FROM_CHARS = 50_000
USE_FROM_CHARS = 2_000

_SPACE = r"\x09-\x0d\x1c-\x20"          # what Python's str-pattern `\s` matches in ASCII
_WORD = r"0-9A-Za-z_"
_CATEGORIES = {
    C.CATEGORY_DIGIT: ("0-9", False), C.CATEGORY_NOT_DIGIT: ("0-9", True),
    C.CATEGORY_SPACE: (_SPACE, False), C.CATEGORY_NOT_SPACE: (_SPACE, True),
    C.CATEGORY_WORD: (_WORD, False), C.CATEGORY_NOT_WORD: (_WORD, True),
}
_ANY_ASCII = r"[\x00-\x7f]"
# the flags both engines share (the `regex` engine's own, e.g. VERSION0, do not change matching here)
_PYTHON_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII


class Untranslatable(ValueError):
    """The pattern uses something the superset translation does not cover."""


def _char(code: int) -> str:
    if code > 0x7F:
        raise Untranslatable("non-ASCII character")
    return "\\x%02x" % code


class _Emitter:
    """Python parse tree -> Hyperscan pattern text (a superset on ASCII text)."""

    def __init__(self, dotall: bool) -> None:
        self.dotall = dotall
        self.groups: dict[int, str] = {}

    def seq(self, items: Any) -> str:
        return "".join(self.op(op, av) for op, av in items)

    def op(self, op: Any, av: Any) -> str:
        if op is C.LITERAL:
            return _char(av)
        if op is C.NOT_LITERAL:
            return "[^" + _char(av) + "]" if av <= 0x7F else _ANY_ASCII
        if op is C.ANY:
            return _ANY_ASCII if self.dotall else r"[^\n]"
        if op is C.IN:
            return self.charset(av)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.seq(s) for s in av[1]) + ")"
        if op is C.SUBPATTERN:
            group, add, remove, sub = av
            if (add | remove) & re.DOTALL:
                raise Untranslatable("scoped DOTALL")
            modifiers = ("i" if add & re.IGNORECASE else "") + ("-i" if remove & re.IGNORECASE else "")
            inner = "(?" + modifiers + ":" + self.seq(sub) + ")"
            if group is not None:
                self.groups[group] = inner
            return inner
        if op is C.ATOMIC_GROUP:            # matches a subset of the plain group
            return "(?:" + self.seq(av) + ")"
        if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = av
            inner = "(?:" + self.seq(sub) + ")"
            if high == 1:
                return inner + ("?" if low == 0 else "")
            return inner + ("*" if low == 0 else "+" if low == 1 else "{%d,}" % low)
        if op is C.AT:
            return {C.AT_BOUNDARY: r"\b", C.AT_NON_BOUNDARY: r"\B"}.get(av, "")
        if op in (C.ASSERT, C.ASSERT_NOT):   # lookaround: dropping a condition widens the set
            return ""
        if op is C.GROUPREF:
            if av not in self.groups:
                raise Untranslatable("reference to an open group")
            return self.groups[av]
        raise Untranslatable(f"unsupported construct {op}")

    def charset(self, items: Any) -> str:
        negate, parts, negated_categories = False, [], False
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                if av <= 0x7F:
                    parts.append(_char(av))
            elif op is C.RANGE:
                low, high = av
                if low <= 0x7F:
                    parts.append(_char(low) + "-" + _char(min(high, 0x7F)))
            elif op is C.CATEGORY and av in _CATEGORIES:
                body, negated = _CATEGORIES[av]
                if negated:
                    negated_categories = True
                else:
                    parts.append(body)
            else:
                raise Untranslatable(f"unsupported class item {op}")
        if negated_categories:                # e.g. [^\S\n]: widen to any character
            if negate:
                raise Untranslatable("negated class of negated categories")
            return _ANY_ASCII
        if negate:
            return "[^" + "".join(parts) + "]" if parts else _ANY_ASCII
        if not parts:
            raise Untranslatable("class without ASCII members")
        return "[" + "".join(parts) + "]"


def translate(pattern: str, flags: int = 0) -> tuple[bytes, bool]:
    """A Hyperscan expression matching a superset of `pattern` on ASCII text, and whether it is
    case-insensitive. Raises `Untranslatable`."""
    try:
        tree = P.parse(pattern, flags & _PYTHON_FLAGS)
    except (re.error, RecursionError, OverflowError) as exc:   # syntax of the `regex` engine only
        raise Untranslatable(str(exc)) from None
    all_flags = tree.state.flags
    body = _Emitter(bool(all_flags & re.DOTALL)).seq(tree)
    return body.encode("ascii"), bool(all_flags & re.IGNORECASE)


class Prefilter:
    """The patterns of one recognizer; `active(text)` says which of them can match `text`.

    Returns None when it cannot tell (no hyperscan, non-ASCII text, short text, not compiled yet):
    the caller then runs every pattern. Thread-safe: one Hyperscan scratch per thread."""

    def __init__(self, patterns: Sequence[tuple[str, int]]) -> None:
        self._patterns = list(patterns)
        self._lock = threading.Lock()
        self._built = False
        self._database: Any = None
        self._always: frozenset[int] = frozenset()   # untranslatable: always reported active
        self._local = threading.local()

    def warm(self) -> None:
        """Compile now (before forking workers, so each does not compile its own)."""
        if hyperscan is not None and not self._built:
            with self._lock:
                if not self._built:
                    self._build()

    def _build(self) -> None:
        translated: list[tuple[int, bytes, int]] = []
        always = set()
        for index, (pattern, flags) in enumerate(self._patterns):
            try:
                expression, caseless = translate(pattern, flags)
            except Untranslatable:
                always.add(index)
                continue
            hs_flags = hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY | (
                hyperscan.HS_FLAG_CASELESS if caseless else 0)
            translated.append((index, expression, hs_flags))
        database = _compile(translated)
        if database is None:                  # one expression is refused: find which
            kept = [t for t in translated if _compile([t]) is not None]
            always.update(t[0] for t in translated if t not in kept)
            translated = kept
            database = _compile(translated)
        self._database = database
        self._always = frozenset(always)
        self._built = True

    def active(self, text: str) -> frozenset[int] | set[int] | None:
        if hyperscan is None or len(text) < USE_FROM_CHARS or not text.isascii():
            return None
        if not self._built:
            if len(text) < COMPILE_FROM_CHARS:
                return None
            self.warm()
        if self._database is None:
            return self._always if self._always else frozenset()
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._database)
        found = set(self._always)
        self._database.scan(_ascii_bytes(text), match_event_handler=_collect, context=found,
                            scratch=scratch)
        return found


def _collect(index: int, start: int, end: int, flags: int, found: set[int]) -> None:
    found.add(index)


def _compile(expressions: list[tuple[int, bytes, int]]) -> Any:
    if not expressions:
        return None
    database = hyperscan.Database()
    try:
        database.compile(expressions=[e for _, e, _ in expressions], ids=[i for i, _, _ in expressions],
                         elements=len(expressions), flags=[f for _, _, f in expressions])
    except hyperscan.error:
        return None
    return database


_last = threading.local()


def _ascii_bytes(text: str) -> bytes:
    """`text` as bytes, encoded once per text although every recognizer scans it."""
    if getattr(_last, "text", None) is not text:
        _last.text, _last.data = text, text.encode("ascii")
    return _last.data
