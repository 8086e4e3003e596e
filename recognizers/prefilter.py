"""Which patterns can match a text at all, from Hyperscan passes over it.

Most rules find nothing in most chunks (no IPv6, NINO or card number in a firewall log), yet each
full-text scan by Python's regex engines costs 15-100 ms per MB. Hyperscan answers "does pattern
k match anywhere in this text", one small database per pattern, ~0.3 ms per MB each.

Sound by construction: each Python pattern is parsed by Python's own parser (`re._parser`) and
re-emitted as a Hyperscan pattern that matches a *superset* of it on the text's UTF-8 bytes:
anchors, word boundaries and inner lookarounds are dropped (a lookaround at the edge of the pattern
becomes a condition on the neighbouring byte), bounded repeats are opened (`{2,40}` -> `{2,}`), a
back-reference becomes a copy of its group, classes are spelled out in ASCII (`\\s` includes
`\\x1c`-`\\x1f`, as `str.isspace` does; `[^\\s]` admits them, as the `regex` engine does) and,
wherever Python could match a non-ASCII character, also accept any run of non-ASCII bytes. So when Hyperscan finds nothing, Python cannot either,
and the rule is skipped; when it finds something the rule runs exactly as before.
Every pattern runs, as without the prefilter, when it is one the translation does not cover
(non-ASCII literals, conditionals, syntax the `regex` engine reads differently from `re`, or one
Hyperscan refuses), for short texts, and on machines without the `hyperscan` wheel (Linux on ARM).
"""
from __future__ import annotations

import os
import re
import threading
import warnings
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

from . import prefilter_cache

try:
    import hyperscan
except ImportError:  # no wheel for this platform: every rule runs
    hyperscan = None

# Compiling the databases costs ~1.4 s of CPU for all recognizers (0.01-0.3 s each; `warm_all` spreads
# it over the cores); using them saves ~2.7 s per MB of a dense log and 6-12 s per MB of reports. They
# are built the first time a text this long is scanned (a 5 KB pre-commit check never pays for it; the
# engine then builds every recognizer's at once) and used from then on for every text but
# the shortest (warm, on the samples' 1-2 KB reports: 36,000 chars/s with texts from 2,000 chars
# on, 46,800 with all of them). The engine also builds them once short texts add up (a bot's
# messages: `redactor.engine.PREFILTERS_AFTER_CHARS`); when the build took ~2 s on one thread and
# `redact_text` did not verify, that did not pay (40 rounds of the samples ran 10-15 % slower).
# The built-in patterns' databases are kept on disk (`prefilter_cache`): an engine loads them in
# ~10 ms, and then even the first short text is prefiltered (the samples: 43,800 -> 48,900 chars/s).
COMPILE_FROM_CHARS = 50_000
USE_FROM_CHARS = 256

_SPACE = r"\x09-\x0d\x1c-\x20"          # what Python's str-pattern `\s` matches in ASCII
_SPACE_IN_BOTH = r"\x09-\x0d\x20"        # ... and the `regex` engine's (Unicode White_Space: not \x1c-\x1f)
_WORD = r"0-9A-Za-z_"
_CATEGORIES = {
    C.CATEGORY_DIGIT: ("0-9", False), C.CATEGORY_NOT_DIGIT: ("0-9", True),
    C.CATEGORY_SPACE: (_SPACE, False), C.CATEGORY_NOT_SPACE: (_SPACE, True),
    C.CATEGORY_WORD: (_WORD, False), C.CATEGORY_NOT_WORD: (_WORD, True),
}
# The text is scanned as UTF-8: a non-ASCII character is a run of bytes >= 0x80. Wherever a
# non-ASCII character could match in Python (any category, a negated or non-ASCII class, `.`,
# and under IGNORECASE the letters i, k and s: `ı İ ſ K` fold to them), the emitted pattern also
# accepts any such run.
_OTHER = r"[\x80-\xff]+"
_FOLDS_TO_NON_ASCII = frozenset("iksIKS")
_POSIX_CLASS = re.compile(r"\[:\^?[A-Za-z]+:\]")
_OPEN_BRACE = re.compile(r"(?<!\\)(?:\\\\)*\{")      # a `{` not escaped by a backslash
_REPEAT = re.compile(r"\{\d*(?:,\d*)?\}")
# the flags both engines share (the `regex` engine's own, e.g. VERSION0, do not change matching here)
_PYTHON_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII


class Untranslatable(ValueError):
    """The pattern uses something the superset translation does not cover."""


def _char(code: int) -> str:
    if code > 0x7F:
        raise Untranslatable("non-ASCII character")
    char = chr(code)   # letters and digits as themselves: Hyperscan limits a pattern's length
    return char if char.isalnum() or char == "_" else "\\x%02x" % code


class _Emitter:
    """Python parse tree -> Hyperscan pattern text matching a superset, on UTF-8 bytes."""

    def __init__(self, dotall: bool, caseless: bool) -> None:
        self.dotall = dotall
        self.caseless = [caseless]
        self.groups: dict[int, str] = {}

    def seq(self, items: Any) -> str:
        return "".join(self.op(op, av) for op, av in items)

    def op(self, op: Any, av: Any) -> str:
        if op is C.LITERAL:
            char = _char(av)
            if self.caseless[-1] and chr(av) in _FOLDS_TO_NON_ASCII:
                return "(?:" + char + "|" + _OTHER + ")"
            return char
        if op is C.NOT_LITERAL:
            ascii_part = "[^" + _char(av) + r"\x80-\xff]" if av <= 0x7F else r"[\x00-\x7f]"
            return "(?:" + ascii_part + "|" + _OTHER + ")"
        if op is C.ANY:
            ascii_part = r"[\x00-\x7f]" if self.dotall else r"[\x00-\x09\x0b-\x7f]"
            return "(?:" + ascii_part + "|" + _OTHER + ")"
        if op is C.IN:
            return self.charset(av)
        if op is C.BRANCH:
            return "(?:" + "|".join(self.seq(s) for s in av[1]) + ")"
        if op is C.SUBPATTERN:
            group, add, remove, sub = av
            if (add | remove) & re.DOTALL:
                raise Untranslatable("scoped DOTALL")
            caseless = bool(add & re.IGNORECASE) or (self.caseless[-1] and not remove & re.IGNORECASE)
            modifiers = "i" if caseless else "-i"
            self.caseless.append(caseless)
            inner = "(?" + modifiers + ":" + self.seq(sub) + ")"
            self.caseless.pop()
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
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            # anchors, word boundaries, lookarounds: dropping a condition widens the set (a
            # byte-level \b would not know that `é` is a word character)
            return ""
        if op is C.GROUPREF:
            if av not in self.groups:
                raise Untranslatable("reference to an open group")
            if self.caseless[-1] and "(?-i:" in self.groups[av]:
                raise Untranslatable("case-insensitive reference to a case-sensitive group")
            return self.groups[av]
        raise Untranslatable(f"unsupported construct {op}")

    def charset(self, items: Any) -> str:
        negate, parts, non_ascii, negated_category = _class_parts(items)
        if self.caseless[-1] and any(re.search("[" + p + "]", "iksIKS") for p in parts):
            non_ascii = True
        if negated_category and negate:      # [^\W_], [^\W\d], [^\S\n]: its ASCII members exactly
            members = "".join(_char(c) for c in range(0x80) if not _class_has(items, c))
            ascii_part = "[" + members + "]" if members else ""
            non_ascii = True                  # a negated category has members above ASCII
        elif negated_category:                # e.g. [\W\d]: widen to any character
            ascii_part = r"[\x00-\x7f]"
        elif negate:                          # a negated class admits every non-ASCII character
            # and `[^\s<>]` admits \x1c-\x1f: `re` takes them for spaces, the `regex` engine does not
            ascii_part = "[^" + "".join(parts).replace(_SPACE, _SPACE_IN_BOTH) + r"\x80-\xff]"
            non_ascii = True
        else:
            ascii_part = "[" + "".join(parts) + "]" if parts else ""
        if not non_ascii:
            if not ascii_part:
                raise Untranslatable("empty class")
            return ascii_part
        return "(?:" + ascii_part + "|" + _OTHER + ")" if ascii_part else "(?:" + _OTHER + ")"


_CATEGORY_TEST = {
    C.CATEGORY_DIGIT: re.compile(r"\d"), C.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
    C.CATEGORY_SPACE: re.compile(r"\s"), C.CATEGORY_NOT_SPACE: re.compile(r"\S"),
    C.CATEGORY_WORD: re.compile(r"\w"), C.CATEGORY_NOT_WORD: re.compile(r"\W"),
}


def _class_has(items: Any, code: int) -> bool:
    """Is the ASCII character `code` one of the class items (its negation aside), case-sensitively?
    (Under IGNORECASE a negated class matches fewer characters, and Hyperscan's caseless flag
    widens what is emitted: still a superset.)"""
    for op, av in items:
        if op is C.LITERAL and av == code or op is C.RANGE and av[0] <= code <= av[1]:
            return True
        if op is C.CATEGORY and _CATEGORY_TEST[av].match(chr(code)):
            return True
    return False


def _class_parts(items: Any) -> tuple[bool, list[str], bool, bool]:
    """(negated, ASCII members as class text, has non-ASCII members, has a negated category)."""
    negate, parts, non_ascii, negated_category = False, [], False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            if av <= 0x7F:
                parts.append(_char(av))
            else:
                non_ascii = True
        elif op is C.RANGE:
            low, high = av
            if low <= 0x7F:
                parts.append(_char(low) + "-" + _char(min(high, 0x7F)))
            non_ascii = non_ascii or high > 0x7F
        elif op is C.CATEGORY and av in _CATEGORIES:
            body, negated = _CATEGORIES[av]
            negated_category = negated_category or negated
            if not negated:
                parts.append(body)
            non_ascii = True                 # \d \w \s and their negations all have members above
        else:
            raise Untranslatable(f"unsupported class item {op}")
    return negate, parts, non_ascii, negated_category


def translate(pattern: str, flags: int = 0) -> tuple[bytes, bool]:
    """A Hyperscan expression matching a superset of `pattern` on the UTF-8 bytes of any text,
    and whether it is case-insensitive. Raises `Untranslatable`."""
    if "\\p" in pattern or "\\P" in pattern:
        pattern = _properties(pattern, flags)
    if _POSIX_CLASS.search(pattern) or any(not _REPEAT.match(pattern, m.end() - 1)
                                            for m in _OPEN_BRACE.finditer(pattern)):
        # `[[:alpha:]]` and `{e<=1}` (fuzzy) mean something else to the `regex` engine
        raise Untranslatable("POSIX class or brace that is not a repeat")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")     # "possible nested set": read differently by `regex`
            tree = P.parse(pattern, flags & _PYTHON_FLAGS)
    except (re.error, RecursionError, OverflowError, FutureWarning, DeprecationWarning) as exc:
        raise Untranslatable(str(exc)) from None   # e.g. syntax of the `regex` engine only
    all_flags = tree.state.flags
    caseless = bool(all_flags & re.IGNORECASE)
    emitter = _Emitter(bool(all_flags & re.DOTALL), caseless)
    items = list(tree)
    if len(items) == 1 and items[0][0] is C.BRANCH:
        body = "(?:" + "|".join(_with_edges(emitter, list(b)) for b in items[0][1][1]) + ")"
    else:
        body = _with_edges(emitter, items)
    return body.encode("ascii"), caseless


# the `regex` engine's Unicode properties used by our rules: their ASCII members, and two non-ASCII
# characters standing for "any non-ASCII character may match" (class members above 0x7f; two, so
# that Python's parser keeps `[\u0080\u00ff]` a class)
_PROPERTIES = {"L": "A-Za-z", "Lu": "A-Z", "Ll": "a-z", "M": ""}
_PROPERTY = re.compile(r"\\p\{(\w+)\}")


def _properties(pattern: str, flags: int) -> str:
    """`pattern` with `\\p{Lu}`, `\\p{Ll}`, `\\p{L}`, `\\p{M}` spelled as classes Python's parser
    reads: `[A-Z\\u0080\\u00ff]` outside a class, `A-Z\\u0080\\u00ff` inside one. Only outside negated
    classes (where the spelled members must be exact), not in verbose patterns (a `[` in a comment)."""
    if flags & re.VERBOSE or re.match(r"\(\?[a-zA-Z]*x", pattern):
        raise Untranslatable("a Unicode property in a verbose pattern")
    out: list[str] = []
    i, in_class = 0, None            # None: outside a class; else whether the class is negated
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            m = _PROPERTY.match(pattern, i)
            if m is None:
                if pattern.startswith(("\\p", "\\P"), i):
                    raise Untranslatable("negated or one-letter Unicode property")
                out.append(pattern[i:i + 2])
                i += 2
                continue
            if in_class or m.group(1) not in _PROPERTIES:
                raise Untranslatable(f"Unicode property {m.group(0)}")
            members = _PROPERTIES[m.group(1)] + "\u0080\u00ff"
            out.append(members if in_class is False else "[" + members + "]")
            i = m.end()
            continue
        if in_class is None and char == "[":
            j = i + 1
            in_class = pattern.startswith("^", j)
            j += in_class
            j += pattern.startswith("]", j)        # a `]` first in a class is a member
            out.append(pattern[i:j])
            i = j
            continue
        if char == "]":
            in_class = None
        out.append(char)
        i += 1
    return "".join(out)


def _with_edges(emitter: _Emitter, items: list[Any]) -> str:
    """A sequence whose leading lookbehind / trailing lookahead is kept as a condition on the
    neighbouring character: `(?<![\\w.])` -> `(?:^|[^\\w.])`, `(?!\\w)` -> `(?:[^\\w]|$)`.
    Only at the edges, where consuming that character cannot take it from the rest."""
    head = tail = ""
    if items and items[0][0] in (C.ASSERT, C.ASSERT_NOT) and items[0][1][0] == -1:
        head = _edge(emitter, *items.pop(0), before=True)
    if items and items[-1][0] in (C.ASSERT, C.ASSERT_NOT) and items[-1][1][0] == 1:
        tail = _edge(emitter, *items.pop(), before=False)
    return head + emitter.seq(items) + tail


def _edge(emitter: _Emitter, op: Any, av: Any, *, before: bool) -> str:
    _, sub = av
    if op is C.ASSERT:                      # the text must continue (or have begun) like this
        return emitter.seq(sub)
    one = list(sub)
    if len(one) != 1 or one[0][0] not in (C.IN, C.LITERAL):
        return ""                           # not one character class: dropped, as elsewhere
    kind, value = one[0]
    try:
        negate, parts, _, negated_category = _class_parts(value if kind is C.IN else [(C.LITERAL, value)])
    except Untranslatable:
        return ""
    if negate or negated_category or not parts:
        return ""                           # no simple complement: dropped
    # the neighbour is not in the class: an ASCII byte outside its ASCII members, any byte of a
    # non-ASCII character (which may or may not be in it), or the edge of the text
    outside = "[^" + "".join(parts) + "]"
    return "(?:^|" + outside + ")" if before else "(?:" + outside + "|$)"


class Prefilter:
    """The patterns of one recognizer; `active(text)` says which of them can match `text`.

    Returns None when it cannot tell (no hyperscan, a short text, nothing compiled or loaded yet):
    the caller then runs every pattern. Thread-safe: one Hyperscan scratch per thread."""

    def __init__(self, patterns: Sequence[tuple[str, int]], ids: Sequence[int] | None = None) -> None:
        """`patterns`: (pattern, flags). `ids`: the index `active` reports for each pattern (default:
        its position); several patterns may share one, e.g. the terms of one deny list."""
        self._patterns = list(patterns)
        self._ids = list(range(len(self._patterns))) if ids is None else list(ids)
        self._lock = threading.Lock()
        self._built = False
        # (databases as (id, database), ids always reported active: untranslatable or refused, ids
        # not compiled yet): one tuple, replaced whole, so a scan never sees half of an update
        self._state: tuple[list[tuple[int, Any]], frozenset[int], frozenset[int]] | None = None
        self._local = threading.local()

    @property
    def patterns(self) -> list[tuple[str, int]]:
        return list(self._patterns)

    def _groups(self) -> dict[int, tuple[tuple[str, int], ...]]:
        """Each id's (pattern, flags), in order: what one database is compiled from."""
        groups: dict[int, list[tuple[str, int]]] = {}
        for position, pattern in enumerate(self._patterns):
            groups.setdefault(self._ids[position], []).append(pattern)
        return {index: tuple(group) for index, group in groups.items()}

    def load_cached(self, folder: Path) -> None:
        """Take what the disk cache's `folder` has (`prefilter_cache.readable()`: the built-in patterns'
        databases); the ids it lacks run always until `warm` compiles them."""
        if self._built:
            return
        with self._lock:
            if self._built or self._state is not None:
                return
            databases, always, pending = [], set(), set()
            for index, group in self._groups().items():
                found = prefilter_cache.load(folder, group)
                if found is None:
                    pending.add(index)
                elif found is prefilter_cache.ALWAYS:
                    always.add(index)
                else:
                    databases.append((index, found))
            if databases or always:
                self._state = (databases, frozenset(always), frozenset(pending))
                self._built = not pending

    def warm(self) -> None:
        """Compile now (done by `active` on the first long text)."""
        if hyperscan is not None and not self._built:
            with self._lock:
                if not self._built:
                    self._build()

    def _build(self) -> None:
        # One database per id: Hyperscan compiles a set of expressions in more than the sum of their
        # times (the built-in rules: 2.3-2.9 s as one database per recognizer, 1.2-1.3 s one by
        # one), and 178 small databases scan a MB only ~0.02 s slower than 23. The expressions of
        # one id (a deny list's runs) stay together. Ids loaded from the cache are kept; what is
        # compiled here is stored there (if its patterns are public: `prefilter_cache.store`).
        loaded, always, pending = self._state if self._state is not None else ([], frozenset(), None)
        databases, untranslated = list(loaded), set(always)
        folder = prefilter_cache.directory()
        for index, group in self._groups().items():
            if pending is not None and index not in pending:
                continue
            database = _compile_group(group)
            if database is None:   # untranslatable, or an expression Hyperscan refuses: this id always runs
                untranslated.add(index)
            else:
                databases.append((index, database))
            if folder is not None:
                prefilter_cache.store(folder, group, prefilter_cache.ALWAYS if database is None else database)
        self._state = (databases, frozenset(untranslated), frozenset())
        self._built = True

    def active(self, text: str) -> frozenset[int] | set[int] | None:
        if hyperscan is None or len(text) < USE_FROM_CHARS:
            return None
        if not self._built and len(text) >= COMPILE_FROM_CHARS:
            self.warm()
        state = self._state
        if state is None:
            return None
        databases, always, pending = state
        if not databases:
            return always | pending
        local = self._local
        if getattr(local, "databases", None) is not databases:   # this thread's first scan, or a new build
            local.databases, local.scratches = databases, [hyperscan.Scratch(db) for _, db in databases]
        found = set(always)
        found |= pending
        data = _utf8(text)
        for (index, database), scratch in zip(databases, local.scratches):
            database.scan(data, match_event_handler=_collect, context=(found, index), scratch=scratch)
        return found


def load_cached(prefilters: Iterable[Prefilter]) -> None:
    """Give each of `prefilters` what the disk cache holds for it (`prefilter_cache`); nothing when
    caching is off or its folder is not to be trusted."""
    folder = prefilter_cache.readable()
    if folder is not None:
        for prefilter in prefilters:
            prefilter.load_cached(folder)


def warm_all(prefilters: Iterable[Prefilter], threads: int | None = None) -> None:
    """Build every one of `prefilters` not built yet, on up to `threads` threads (default: the cores
    this process may run on; the engine passes `redactor.cores.usable_cores()`, which also reads a
    container's CPU quota). Hyperscan compiles without holding the GIL, so on 2 cores the ~1.4 s of
    building all recognizers' prefilters takes ~0.75 s of wall time."""
    todo = [p for p in prefilters if not p._built]
    if hyperscan is None or not todo:
        return
    if threads is None:
        threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = max(1, min(threads, len(todo)))
    if threads == 1:
        for prefilter in todo:
            prefilter.warm()
        return
    with ThreadPoolExecutor(threads, thread_name_prefix="prefilter") as pool:
        for _ in pool.map(Prefilter.warm, todo):   # an error in a build is raised here
            pass


def _collect(position: int, start: int, end: int, flags: int, context: tuple[set[int], int]) -> None:
    found, index = context
    found.add(index)


def _compile_group(group: Sequence[tuple[str, int]]) -> Any:
    """One database matching wherever any of `group`'s patterns could; None if one of them is
    untranslatable or Hyperscan refuses it."""
    expressions, flags = [], []
    for pattern, pattern_flags in group:
        try:
            expression, caseless = translate(pattern, pattern_flags)
        except Untranslatable:
            return None
        expressions.append(expression)
        flags.append(hyperscan.HS_FLAG_SINGLEMATCH | hyperscan.HS_FLAG_ALLOWEMPTY |
                     (hyperscan.HS_FLAG_CASELESS if caseless else 0))
    database = hyperscan.Database()
    try:
        database.compile(expressions=expressions, ids=list(range(len(expressions))),
                         elements=len(expressions), flags=flags)
    except hyperscan.error:
        return None
    return database


_last = threading.local()


def _utf8(text: str) -> bytes:
    """`text` as UTF-8 (lone surrogates too), encoded once although every recognizer scans it."""
    if getattr(_last, "text", None) is not text:
        _last.text, _last.data = text, text.encode("utf-8", "surrogatepass")
    return _last.data
