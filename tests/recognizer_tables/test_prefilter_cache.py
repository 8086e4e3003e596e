"""The disk cache of the built-in patterns' Hyperscan databases (recognizers/prefilter_cache.py).

What it must never do: write a database compiled from a profile's values, serve a database for
other patterns than asked, or let a stale, corrupt or foreign file change what is found.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import recognizers.prefilter as prefilter
from recognizers import prefilter_cache
from recognizers.prefilter import Prefilter

pytest.importorskip("hyperscan")
ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """The cache turned on (conftest turns it off for the suite), in a folder of this test's own."""
    monkeypatch.delenv("REDACTOR_NO_CACHE", raising=False)
    monkeypatch.setenv("REDACTOR_CACHE_DIR", str(tmp_path / "cache"))
    folder = prefilter_cache.directory()
    assert folder is not None and folder.is_relative_to(tmp_path / "cache")
    return folder


def samples_engine():
    from redactor.engine import build_engine
    from redactor.profile import Profile

    return build_engine(Profile.load(SAMPLES / "redactor.yaml"), use_ner=False)


def stored(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not p.name.startswith(".")) if folder.is_dir() else []


def sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((SAMPLES / "reports").iterdir())
            if p.suffix in (".md", ".txt", ".log", ".eml", ".csv", ".json")]


def test_a_later_engine_loads_the_builtin_databases_and_finds_exactly_the_same(cache):
    first = samples_engine()
    assert not any(p._built for p in first._prefilters())        # nothing stored yet: nothing loaded
    first.build_prefilters()
    public = {prefilter_cache.key(g) for p in first._prefilters() for g in p._groups().values()
              if all(pattern in prefilter_cache.public_patterns() for pattern in g)}
    assert len(public) > 150 and {p.name for p in stored(cache)} == public

    second = samples_engine()
    loaded = second._prefilters()
    assert sum(p._built for p in loaded) > 15                     # built-in only: loaded whole
    assert all(p._state is not None for p in loaded if p._built)
    assert not all(p._built for p in loaded)                      # the profile's lists: compiled when needed
    texts = sample_texts()
    assert len(texts) >= 7 and all(len(t) >= prefilter.USE_FROM_CHARS for t in texts)
    assert any(p.active(texts[0]) is not None for p in loaded)    # short texts are prefiltered at once

    os.environ["REDACTOR_NO_CACHE"] = "1"                         # (the fixture's monkeypatch restores it)
    plain = samples_engine()                                      # no prefilter at all for short texts
    assert not any(p._state is not None for p in plain._prefilters())
    for text in texts:
        assert sorted(second.spans(text, ner=False)) == sorted(plain.spans(text, ner=False))
    long_text = "\n".join(texts) * 6                              # over COMPILE_FROM_CHARS: the rest is built
    assert len(long_text) >= prefilter.COMPILE_FROM_CHARS
    assert sorted(second.spans(long_text, ner=False)) == sorted(plain.spans(long_text, ner=False))
    assert all(p._built for p in loaded)


def test_no_profile_value_is_ever_written(cache):
    """A database compiled from the roster, the customer list, the organisation's names, its
    domains or its host-name convention holds those strings: those are compiled in memory only."""
    engine = samples_engine()
    engine.build_prefilters()
    profile = engine.profile
    secrets = [*profile.org_names, *profile.customer_names, *profile.internal_domains, *profile.ad_domains,
               *(e.name for e in profile.employees if e.name), *(e.username for e in profile.employees if e.username),
               "osl-", "brg-", "hb-cust"]   # the host-name convention's and the customer ids' literals
    blob = b"".join(p.read_bytes() for p in stored(cache)).lower()
    assert len(blob) > 1_000_000
    words = {w for value in secrets for w in value.lower().replace(".", " ").split() if len(w) >= 5 or "-" in w}
    # a word a built-in pattern spells itself proves nothing (`group` of a customer "… Group", and of
    # `Add-ADGroupMember`; `asa`, a legal form, is too short to be counted at all)
    builtin = " ".join(rule.regex for rec in engine.recognizers for rule in type(rec).__dict__.get("RULES", ())).lower()
    words = {w for w in words if w not in builtin}
    assert len(words) > 25
    for word in words:
        assert word.encode() not in blob, f"{word!r} of the profile is in the cache"
    # and the same check can fail: a built-in pattern's own literal is in there
    assert b"password" in blob


def test_a_corrupt_file_is_compiled_again_and_replaced(cache, monkeypatch):
    pre = Prefilter([(r"alpha\d+", 0), (r"beta", 0)])
    group0, group1 = pre._groups()[0], pre._groups()[1]
    monkeypatch.setattr(prefilter_cache, "public_patterns", lambda: frozenset(pre.patterns))
    pre.warm()
    assert len(stored(cache)) == 2
    body = (cache / prefilter_cache.key(group0)).read_bytes()
    (cache / prefilter_cache.key(group0)).write_bytes(body[:-1] + bytes([body[-1] ^ 1]))   # one bit
    assert prefilter_cache.load(cache, group0) is None
    assert prefilter_cache.load(cache, group1) is not None
    fresh = Prefilter(pre.patterns)
    prefilter.load_cached([fresh])
    assert not fresh._built
    text = "x" * 300 + " beta"
    assert fresh.active(text) == {0, 1}            # not loaded: reported active, whatever the text
    fresh.warm()
    assert fresh.active(text) == {1}
    assert fresh.active("alpha7 " * 50) == {0}
    assert (cache / prefilter_cache.key(group0)).read_bytes() == body    # written again, whole


def test_a_database_from_another_machine_or_version_is_not_used(cache):
    import hyperscan

    group = ((r"gamma", 0),)
    cache.mkdir(parents=True)
    garbage = b"not a hyperscan database" * 10
    (cache / prefilter_cache.key(group)).write_bytes(
        prefilter_cache._MAGIC + __import__("hashlib").sha256(garbage).digest() + garbage)
    with pytest.raises(hyperscan.error):
        hyperscan.loadb(garbage, hyperscan.HS_MODE_BLOCK)
    assert prefilter_cache.load(cache, group) is None


def test_off_and_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_NO_CACHE", "1")
    assert prefilter_cache.directory() is None
    monkeypatch.setenv("REDACTOR_NO_CACHE", "0")
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("REDACTOR_CACHE_DIR", str(blocker))      # its folder cannot be made
    monkeypatch.setattr(prefilter_cache, "public_patterns", lambda: frozenset({(r"delta", 0)}))
    pre = Prefilter([(r"delta", 0)])
    pre.warm()                                                  # compiled in memory all the same
    assert pre.active("x" * 300 + "delta") == {0} and pre.active("x" * 300) == set()


def test_the_default_folder_is_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("REDACTOR_NO_CACHE", raising=False)
    monkeypatch.delenv("REDACTOR_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert prefilter_cache.directory().parent == tmp_path / "redactor" / "prefilters"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")           # not absolute: ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert prefilter_cache.directory().parent == tmp_path / "home" / ".cache" / "redactor" / "prefilters"


def test_only_the_most_recent_versions_are_kept(cache, monkeypatch):
    parent = cache.parent
    for i in range(5):
        (parent / f"{i:016x}").mkdir(parents=True)
        os.utime(parent / f"{i:016x}", (1_000_000 + i, 1_000_000 + i))
    (parent / "mine").mkdir()                                   # not a tag: never touched
    os.utime(parent / "mine", (1_000, 1_000))
    monkeypatch.setattr(prefilter_cache, "public_patterns", lambda: frozenset({(r"epsilon", 0)}))
    Prefilter([(r"epsilon", 0)]).warm()
    assert sorted(p.name for p in parent.iterdir()) == sorted([cache.name, f"{4:016x}", f"{3:016x}", "mine"])


def test_make_install_fills_it(cache):
    """`make install` runs `prefilter_cache.main()`: every public database is stored."""
    env = {**os.environ, "REDACTOR_CACHE_DIR": os.environ["REDACTOR_CACHE_DIR"]}
    env.pop("REDACTOR_NO_CACHE", None)
    out = subprocess.run([sys.executable, "-c", "from recognizers.prefilter_cache import main; main()"],
                         env=env, check=True, capture_output=True, text=True).stdout
    files = stored(cache)
    assert len(files) > 150 and f"{len(files)} databases in {cache}" in out
    engine = samples_engine()
    assert sum(p._built for p in engine._prefilters()) > 15


def test_a_folder_others_may_write_to_is_neither_read_nor_written(cache, monkeypatch):
    """A database decides which rules are skipped: one planted by another user must not be read."""
    monkeypatch.setattr(prefilter_cache, "public_patterns", lambda: frozenset({(r"zeta", 0)}))
    group = ((r"zeta", 0),)
    Prefilter([(r"zeta", 0)]).warm()
    assert prefilter_cache.load(cache, group) is not None
    cache.chmod(0o777)
    assert not prefilter_cache.trusted(cache) and prefilter_cache.readable() is None
    planted = Prefilter([(r"zeta", 0)])
    prefilter.load_cached([planted])
    assert planted._state is None and not planted._built
    (cache / prefilter_cache.key(group)).unlink()
    Prefilter([(r"zeta", 0)]).warm()
    assert not (cache / prefilter_cache.key(group)).exists()
    cache.chmod(0o700)
    link = cache.parent / "link"
    link.symlink_to(cache)
    assert prefilter_cache.trusted(cache) and not prefilter_cache.trusted(link)
