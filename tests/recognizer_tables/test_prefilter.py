"""The Hyperscan prefilter may only ever skip a pattern that cannot match.

Every case below is a text on which Python's engine finds the pattern: the prefilter must report
it active. The near misses check it does skip (else it would be sound but useless), and the
differential tests compare whole recognizer output with and without it on real texts.
"""
from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

import recognizers
import recognizers.prefilter as prefilter
from recognizers.base import Rule, is_leading_part
from recognizers.prefilter import Prefilter, Untranslatable, translate

hyperscan = pytest.importorskip("hyperscan")
ROOT = Path(__file__).resolve().parents[2]
USE_FROM_CHARS = prefilter.USE_FROM_CHARS   # as shipped (the fixture below lowers it for short test texts)


@pytest.fixture(autouse=True)
def small_texts(monkeypatch):
    """Compile and use the prefilter on short test texts too."""
    monkeypatch.setattr(prefilter, "COMPILE_FROM_CHARS", 0)
    monkeypatch.setattr(prefilter, "USE_FROM_CHARS", 0)


def python_search(pattern: str, text: str, flags: int) -> object:
    """`re`, or the `regex` engine (as our rules use it) for its Unicode properties."""
    if "\\p" in pattern:
        return regex.search(pattern, text, flags | regex.VERSION0)
    return re.search(pattern, text, flags)


def can_match(pattern: str, flags: int, text: str) -> bool:
    return 0 in Prefilter([(pattern, flags)]).active(text)


# pattern, flags, a text Python matches it in (the prefilter must not lose any of these)
CONSTRUCTS = [
    (r"(?<![\w.])10\.\d+", 0, "ip 10.4"),                                # lookbehind dropped
    (r"\bfoo\b", 0, "a foo."),                                          # word boundaries kept
    (r"\Bfoo", 0, "xfoo"),
    (r"(?P<sep>[:-])[0-9a-f]{2}(?P=sep)[0-9a-f]{2}", 0, "aa:bb:cc"),      # back-reference copied
    (r"a\sb", 0, "a\x1cb"),                                              # str `\s` includes \x1c
    (r"a[^\S\n]b", 0, "a\x1fb"),                                         # negated negated class
    (r"(?i)password", 0, "PassWord=1"),                                  # global inline flag
    (r"x(?i:ab)y", 0, "xABy"),                                           # scoped flag
    (r"key", re.IGNORECASE, "KEY"),
    (r"a.b", re.DOTALL, "a\nb"),                                         # Presidio's DOTALL
    (r"^From:", re.MULTILINE, "x\nFrom: a"),                             # anchors dropped
    (r"\d{3,4}\Z", 0, "port 8443"),
    (r"[0-9]{2,3}-[0-9]{2}", 0, "12345-67"),                             # bounds opened
    (r"(?>ab|a)c", 0, "abc"),                                            # atomic group
    (r"a++b", 0, "aab"),                                                 # possessive repeat
    (r"a*?b", 0, "b"),
    (r"(?x) a \s+ b  # verbose", 0, "a  b"),
    (r"[\w.-]+@[\w-]+", 0, "j.doe@corp"),
    # non-ASCII text: one character is several UTF-8 bytes, and may be a word, digit or space
    (r"x\w\b", 0, "x\u00e9 "),
    (r"user=\w{2}$", 0, "user=J\u00fc"),
    (r"a.b", 0, "a\u20acb"),
    (r'"[^"]{3}"', 0, '"\u00e9\u00e9\u00e9"'),
    (r"a\sb", 0, "a\u00a0b"),
    (r"port \d+", 0, "port \u0663\u0663"),
    (r"(?i)kelvin", 0, "\u212aelvin"),                                   # K (Kelvin) folds to k
    (r"[a-z]{3}", re.IGNORECASE, "\u017f\u0131x"),
    (r"x.", 0, "x\udcff"),                                              # lone surrogate
    # lookarounds at the edges become conditions on the neighbouring character
    (r"(?<![\w.])foo", 0, "foo"),                                       # at the start of the text
    (r"(?<![\w.])foo", 0, "\u2014foo"),                                 # after a non-ASCII non-word
    (r"foo(?![\w-])", 0, "a foo"),
    (r"foo(?![\w-])", 0, "foo\u20ac"),
    (r"(?<![\w:])::1|ab(?!c)", 0, "x ::1"),                              # in top-level branches
    (r"(?<=user=)\w+", 0, "user=jdoe"),
    (r"\w+(?=\$(?!\w))", 0, "HOST$ "),
    (r"a(?!x)b", 0, "ab"),                                              # mid-pattern: dropped
    (r"(?i)(?<![a-z])ab", 0, "1AB"),
    (r"(?<![\u00e9])foo", 0, "xfoo"),                                    # only non-ASCII members
    (r"(?<!k)x", re.IGNORECASE, "\u00e9x"),
    # negated classes of negated categories: a word character but not `_`, a letter, a blank
    (r"x[^\W_]+", 0, "x\u00e9t\u00e9"),
    (r"x[^\W\d_]", re.IGNORECASE, "X\u0131"),
    (r"a[^\S\n]+b", 0, "a \u00a0\x1cb"),
    # the `regex` engine's Unicode properties, in and outside classes
    (r"\p{Lu}\p{Ll}+", 0, "\u00c9mile"),
    (r"\p{Lu}[\p{Ll}\p{M}]+", 0, "Ju\u0308rgen"),
    (r"(?i)x\p{Lu}", 0, "xa"),
    (r"[\]\p{L}]+!", 0, "]]\u4e2d!"),
]


@pytest.mark.parametrize("pattern, flags, text", CONSTRUCTS)
def test_never_skips_a_pattern_python_matches(pattern, flags, text):
    assert python_search(pattern, text, flags)
    assert can_match(pattern, flags, text)


def test_a_negated_space_class_admits_what_the_regex_engine_takes_for_no_space():
    """`[^\\s]`: `re` takes \\x1c-\\x1f for spaces, the `regex` engine (Unicode White_Space) does not.
    Hypothesis found the URL rule (run on `regex`) matching `hxxp://\\x1c` where the prefilter said no."""
    assert regex.search(r"hxxp://[^\s<>]+", "hxxp://\x1c") and not re.search(r"hxxp://[^\s<>]+", "hxxp://\x1c")
    assert can_match(r"hxxp://[^\s<>]+", 0, "hxxp://\x1c")
    assert not can_match(r"hxxp://[^\s<>]+", 0, "hxxp:// ")


@pytest.mark.parametrize("pattern, flags, text", [
    (r"\bfoo\b", 0, "fo o f-oo"),
    (r"(?P<sep>[:-])[0-9a-f]{2}(?P=sep)", 0, "version 1.2.3"),
    (r"(?i)password", 0, "no credentials here"),
    (r"[0-9]{9}", 0, "short 12345678 numbers 1234"),
    (r"x(?i:ab)y", 0, "XABy"),                                           # scope is only (ab)
    (r"(?<![\w:.])\d+:\d+(?![\w:])", 0, "2024-05-11T10:09:25Z"),          # a time, not IPv6
    (r"(?i)(?<![a-z])ab", 0, "Xab"),
    (r"foo(?![\w-])", 0, "foo-bar food"),
    (r"x[^\W_]", 0, "x_ x- x."),
    (r"x[^\W\d_]", 0, "x1 x_"),
    (r"a[^\S\n]b", 0, "a\nb"),
    (r"\p{Lu}\p{Ll}+", 0, "ABC abc 1a"),
    (r"(?-i:\p{Lu})x", 0, "ax"),
])
def test_skips_what_cannot_match(pattern, flags, text):
    assert not python_search(pattern, text, flags)
    assert not can_match(pattern, flags, text)


@pytest.mark.parametrize("pattern", [
    r"caf\u00e9",          # non-ASCII literal
    r"\P{L}+",            # the `regex` engine's own syntax: a negated property
    r"\pL+",              # a one-letter property
    r"\p{Greek}",         # a property the translation does not know
    r"[^\p{L}]",          # a property in a negated class
    r"(?x)\p{L} [a]  # [", # a property in a verbose pattern
    r"(a)?(?(1)b|c)",     # conditional
    r"[[:alpha:]]+",      # a POSIX class to the `regex` engine, a plain set to `re`
    r"(?:abc){e<=1}",     # a fuzzy match to the `regex` engine, literal braces to `re`
    r"[[a-z]]",           # a nested set to `regex` version 1
    r"(?-i:(a))(?i:\1)",  # a case-insensitive copy of a case-sensitive group
])
def test_untranslatable_patterns_always_run(pattern):
    with pytest.raises(Untranslatable):
        translate(pattern)
    assert Prefilter([(pattern, 0), (r"zzz", 0)]).active("nothing to see") == {0}


def test_only_i_k_s_have_non_ascii_case_partners():
    """Why only those letters accept non-ASCII bytes under IGNORECASE: in both engines, the
    non-ASCII characters that match an ASCII letter case-insensitively fold to i, k or s."""
    every = "".join(chr(u) for u in range(0x80, 0x110000) if not 0xD800 <= u < 0xE000)
    for found in (re.findall(r"[a-z]", every, re.IGNORECASE),
                  regex.findall(r"[a-z]", every, regex.IGNORECASE | regex.VERSION0)):
        partners = {a for a in "abcdefghijklmnopqrstuvwxyz" for c in set(found) if re.fullmatch(a, c, re.I)}
        assert partners == set(prefilter._FOLDS_TO_NON_ASCII) & set("iks")


def test_cannot_tell_without_hyperscan(monkeypatch):
    assert Prefilter([(r"zzz", 0)]).active("plain") == set()
    monkeypatch.setattr(prefilter, "hyperscan", None)
    assert Prefilter([(r"zzz", 0)]).active("plain") is None


def test_short_texts_do_not_compile(monkeypatch):
    monkeypatch.setattr(prefilter, "COMPILE_FROM_CHARS", 50_000)
    pre = Prefilter([(r"zzz", 0)])
    assert pre.active("a short text") is None
    assert pre.active("x" * 50_000) == set()
    assert pre.active("a short text") == set()           # compiled: used from then on


def test_once_built_it_serves_short_texts_too(monkeypatch):
    """After one long text, a short report or a bot's message is prefiltered as well (most rules
    cannot match it); only the shortest texts run every rule without asking."""
    monkeypatch.setattr(prefilter, "COMPILE_FROM_CHARS", 50_000)
    monkeypatch.setattr(prefilter, "USE_FROM_CHARS", USE_FROM_CHARS)
    pre = Prefilter([(r"zzz", 0), (r"abc", 0)])
    message = "user mberg logged on from 10.14.7.88 at 10:02 " * 10   # 470 chars
    assert pre.active(message) is None                               # nothing built for it alone
    assert pre.active("x" * 50_000) == set()
    assert pre.active(message) == set()
    assert pre.active(message + "abc") == {1}
    assert pre.active("abc") is None                                  # under USE_FROM_CHARS: every rule runs


def test_threads_share_a_prefilter():
    pre = Prefilter([(r"\d{3}", 0), (r"abc", 0)])
    texts = ["123", "abc", "12 ab", "x123abc"] * 50
    expected = [pre.active(t) for t in texts]
    results: list[object] = []

    def work():
        results.append([pre.active(t) for t in texts])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 8


def _all_patterns():
    out = []
    for rec in recognizers.standard_recognizers(internal_domains=["corp.example"]):
        for rule in getattr(rec, "rules", ()):
            out.append((f"{rec.name}:{rule.name}", rule.compiled, rule.prefilter_pattern, rule.flags))
    return out


PATTERNS = _all_patterns()
ALPHABET = st.sampled_from(list("aAbBfFkKsSzZ019_.:-=@/\\ \t\n\x1c,;'\"()[]{}$%#!?+*"
                               "\u00e9\u00a0\u2014\u212a\u017f\u0131\u0663\u4e2d"))
TOKENS = st.sampled_from(["10.2.3.4", "fe80::1", "AKIA", "ghp_", "xoxb-", "user=", "host=", "S-1-5-21-",
                          "arn:aws:iam::", "00:1a:2b:3c:4d:5e", "4111 1111 1111 1111", "AB123456C",
                          "password", "Bearer ", "-----BEGIN", "CORP\\", "@corp.example", "hxxp://",
                          "[.]", "T1059.001", "CVE-2024-1234", "d41d8cd98f00b204e9800998ecf8427e",
                          "Mr. ", "displayName: ", "Marta ", "Kowalczyk", "Ju\u0308rgen", "\u00c9mile",
                          "  10:02 AM", "Customer ", " GmbH", "user ", "C:\\Users\\", "/home/"])


@settings(max_examples=3000 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 300, deadline=None)
@given(st.lists(st.one_of(ALPHABET, TOKENS), max_size=60).map("".join))
def test_every_builtin_pattern_is_a_sound_superset(text):
    """For every built-in rule: a match by Python's engine is never skipped."""
    for name, compiled, pattern, flags in PATTERNS:
        if compiled.search(text):
            assert can_match(pattern, flags, text), name


def test_every_builtin_rule_is_prefiltered():
    """A rule the translation cannot read runs on every text, whatever it holds. Rules written for
    non-ASCII names (`[^\\W_]`, `\\p{Lu}`) once left 29 of 87 rules running on every chunk of a log."""
    untranslatable = []
    for name, _, pattern, flags in PATTERNS:
        try:
            translate(pattern, flags)
        except Untranslatable as exc:
            untranslatable.append((name, str(exc)))
    assert untranslatable == []


def _texts(tmp: Path) -> list[tuple[str, str]]:
    from bench import synthetic_log   # tests/bench.py: the dense firewall log of the speed bench
    files = sorted((ROOT / "samples" / "reports").iterdir())
    corpus = ROOT.parent / "shared" / "corpus" / "real"
    if corpus.is_dir():
        files += sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md", ".log", ".csv"))
    texts = [(p.name, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    log = tmp / "fw.log"
    synthetic_log(log, 0.3)
    texts.append(("synthetic log", log.read_text()))
    return texts


def test_same_spans_with_and_without_prefilter(engine, monkeypatch, tmp_path):
    """Differential: the engine's findings are identical with the prefilter on and off, on the
    samples, the real corpus (where present) and a dense log. And it did skip work."""
    texts = _texts(tmp_path)
    on = [sorted(engine.spans(t, ner=False)) for _, t in texts]
    skipped = sum(len(rec.rules) - len(active) for rec in engine.recognizers
                  if hasattr(rec, "rules") and (active := rec.prefilter.active(texts[-1][1])) is not None)
    monkeypatch.setattr(prefilter, "hyperscan", None)
    off = [sorted(engine.spans(t, ner=False)) for _, t in texts]
    for (name, _), a, b in zip(texts, on, off):
        assert a == b, name
    assert skipped > 20          # most rules cannot match a firewall log


def test_regex_engine_flags_are_understood():
    """Presidio's patterns are compiled with the `regex` engine and its flags."""
    flags = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE
    assert can_match(r"\b\d{9}\b", flags, "acct 123456789.")
    assert not can_match(r"\b\d{9}\b", flags, "acct 12345678.")


def test_large_deny_lists_are_prefiltered_without_losing_a_name(monkeypatch):
    """Rosters are matched by one trie regex; their prefilter is one plain literal per name (its
    longest run without spaces, non-ASCII letters or i/k/s), so thousands compile in a blink."""
    from recognizers.terms import TermsRecognizer

    rng = __import__("random").Random(5)
    word = lambda: "".join(rng.choice("abcdefghjlmnopqrtuvwxyz") for _ in range(rng.randint(3, 9)))  # noqa: E731
    names = sorted({f"{word().capitalize()} {word().capitalize()}" for _ in range(3000)})
    names += ["J\u00fcrgen Nowa", "Ole Kiss"]
    rec = TermsRecognizer("PERSON", names, name="roster")
    pad = "log line without people\n" * 3000
    texts = {
        "upper, odd whitespace": pad + names[7].upper().replace(" ", "\n\t "),
        "Kelvin sign for K": pad + "ole \u212aiss",
        "non-ASCII name": pad + "J\u00dcRGEN NOWA",
        "long s, dotted I": pad + "OLE \u212a\u0130\u017f\u017f",
        "none": pad,
    }
    on = {k: rec.spans(t) for k, t in texts.items()}
    assert rec.prefilter.active(pad) == set()
    assert all(on[k] for k in texts if k != "none") and on["none"] == []
    monkeypatch.setattr(prefilter, "hyperscan", None)
    assert {k: rec.spans(t) for k, t in texts.items()} == on


def test_a_term_with_no_plain_run_keeps_a_long_list_running():
    from recognizers.terms import TermsRecognizer

    rec = TermsRecognizer("USERNAME", [f"svc_backup{n}" for n in range(300)] + ["sis"], name="users")
    assert rec.prefilter.active("nothing here at all") == {0}


def test_a_short_list_is_prefiltered_as_its_whole_pattern():
    """Whole words, as the list's own regex: a user name that contains a surname does not wake
    the name list up."""
    from recognizers.terms import TermsRecognizer

    rec = TermsRecognizer("PERSON", ["Tomasz Nowak", "Ole Kiss"], name="roster")
    assert rec.prefilter.active("user=tnowak src=10.1.2.3 " * 100) == set()
    assert rec.prefilter.active("met TOMASZ\n NOWAK." + " " * 100) == {0}


@pytest.mark.parametrize("head, pattern, leading", [
    ("a", "ab", True),
    ("(?m)^x[ \t]*\n", "(?m)^x[ \t]*\n(?:y|z)+w", True),
    ("a|b", "a|bc", True),              # `bc` starts with `b`
    ("a", "ab|c", False),               # `c` does not start with `a`
    ("ab", "ab*", False),               # `ab*` matches `a`
    ("ab", "ab{0,2}", False),
    ("a", "a[|(]b", True),              # a bracket and a bar inside a class
    ("a", "a[]|]b", True),
    ("a", "a\\|b", True),             # an escaped bar
    ("a(?:b", "a(?:b|c)", False),       # not a pattern of its own
    ("a(", "a(b)", False),
    ("b", "ab", False),
    ("ab", "ab", False),
    ("(?x) a", "(?x) a # [x\n | b", False),   # verbose: a comment may hold a bracket or a bar
    ("(?ix)a", "(?ix)ab", False),
])
def test_a_rule_prefilter_is_a_leading_part_of_its_pattern(head, pattern, leading):
    assert is_leading_part(head, pattern) is leading
    if leading:
        with pytest.raises(ValueError):   # nor with the verbose flag given apart
            Rule("r", pattern, 0.5, flags=re.VERBOSE, prefilter=head)
    if not leading and pattern.startswith(head) and head != pattern:
        with pytest.raises(ValueError):
            Rule("r", pattern, 0.5, prefilter=head)


def test_the_signature_company_is_prefiltered_by_its_sign_off_line():
    """With the name and legal form after the closings of eight languages, Hyperscan took 12 s to
    compile the rule (every run on a long text paid it); the sign-off line alone is a quick superset."""
    from recognizers.identifiers import IdentifierRecognizer

    rule = next(r for r in IdentifierRecognizer().rules if r.name == "signature company")
    assert rule.prefilter and rule.prefilter_pattern == rule.prefilter != rule.regex
    text = "Thanks for the quick turnaround.\n\nMed vennlig hilsen\nMaria Berg\nCISO\nHalvorsen Bank ASA\n"
    assert [m.group("o") for m in rule.compiled.finditer(text)] == ["Halvorsen Bank ASA"]
    assert can_match(rule.prefilter, rule.flags, text * 400)
    assert not can_match(rule.prefilter, rule.flags, "Halvorsen Bank ASA said thanks, kind regards to all\n" * 400)


def test_a_pattern_hyperscan_refuses_runs_always_and_the_others_stay_filtered():
    too_long = "a" * 20_000                     # over Hyperscan's limit on one expression
    pre = Prefilter([(too_long, 0), (r"zzz", 0), (r"abc", 0)])
    pre.warm()
    assert pre.active("x" * 1000 + "abc") == {0, 2}
    assert pre.active("x" * 1000) == {0}


def test_each_id_has_its_own_database():
    """Hyperscan compiles a set of expressions in more than the sum of their times: the built-in
    rules took 2.2-2.4 s to build as one database per recognizer and 1.35-1.5 s as one per rule.
    The expressions of one id (a long deny list's runs) stay in one database."""
    pre = Prefilter([(r"zzz", 0), (r"abc", 0), (r"qq", 0), (r"rr", 0)], ids=[0, 1, 2, 2])
    pre.warm()
    assert sorted(index for index, _ in pre._state[0]) == [0, 1, 2]
    assert pre.active("x" * 1000 + "rr abc") == {1, 2}


def test_warm_all_builds_each_on_several_threads():
    """Hyperscan compiles without the GIL: the recognizers' prefilters are built side by side."""
    names: list[str] = []
    lock = threading.Lock()

    class Recorded(Prefilter):
        def _build(self) -> None:
            with lock:
                names.append(threading.current_thread().name)
            super()._build()

    pres = [Recorded([(r"zz%d" % i, 0), (r"abc", 0)]) for i in range(6)]
    prefilter.warm_all(pres, threads=2)
    assert all(p._built for p in pres)
    assert len(names) == 6 and all(n.startswith("prefilter") for n in names)   # each once, on the pool
    assert [p.active("x" * 1000 + "zz3") for p in pres] == [set(), set(), set(), {0}, set(), set()]
    prefilter.warm_all(pres, threads=2)
    assert len(names) == 6                                                      # built ones are left


def test_warm_all_raises_what_a_build_raises():
    class Broken(Prefilter):
        def _build(self) -> None:
            raise RuntimeError("no memory")

    with pytest.raises(RuntimeError, match="no memory"):
        prefilter.warm_all([Prefilter([(r"abc", 0)]), Broken([(r"abc", 0)])], threads=2)


def test_the_engine_builds_every_prefilter_on_its_first_long_text(monkeypatch):
    from redactor.engine import build_engine
    from redactor.profile import Profile

    monkeypatch.setattr(prefilter, "COMPILE_FROM_CHARS", 50_000)

    engine = build_engine(Profile.load(ROOT / "samples" / "redactor.yaml"), use_ner=False)
    prefilters = [rec.prefilter for rec in engine.recognizers if getattr(rec, "prefilter", None) is not None]
    assert len(prefilters) > 20
    line = "user mberg on 10.14.7.88\n"
    engine.spans(line * 100, ner=False)                                     # 2,500 chars: nothing built
    assert not any(p._built for p in prefilters)
    engine.spans(line * 2_001, ner=False)                                   # 50,025 chars
    assert all(p._built for p in prefilters)


def test_the_engine_builds_them_once_short_texts_add_up(monkeypatch):
    """A bot's or the service's stream of short messages: once they add up, the engine builds the
    prefilters, and later messages over `USE_FROM_CHARS` are prefiltered."""
    import redactor.engine
    from redactor.engine import build_engine
    from redactor.profile import Profile

    monkeypatch.setattr(prefilter, "COMPILE_FROM_CHARS", 50_000)
    monkeypatch.setattr(prefilter, "USE_FROM_CHARS", USE_FROM_CHARS)
    monkeypatch.setattr(redactor.engine, "PREFILTERS_AFTER_CHARS", 19_000)
    engine = build_engine(Profile.load(ROOT / "samples" / "redactor.yaml"), use_ner=False)
    prefilters = [rec.prefilter for rec in engine.recognizers if getattr(rec, "prefilter", None) is not None]
    message = "user mberg logged on from 10.14.7.88 at 10:02 to fileserver01\n" * 40   # 2,480 chars
    expected = sorted(engine.spans(message, ner=False))
    for _ in range(6):
        assert sorted(engine.spans(message, ner=False)) == expected
    assert not any(p._built for p in prefilters)                                 # 17,360 chars so far
    assert sorted(engine.spans(message, ner=False)) == expected                 # 19,840: built
    assert all(p._built for p in prefilters)
    assert prefilters[0].active(message) is not None
