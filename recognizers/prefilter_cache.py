"""The compiled Hyperscan databases of the built-in patterns, kept on disk between runs.

Compiling every recognizer's prefilter costs ~1.4 s of CPU (~0.7 s of wall time on 2 cores);
loading the same databases back costs ~10 ms. So a process whose prefilters were built stores the
databases of the *built-in* patterns (those `standard_recognizers()` has without a profile), and
every engine built later loads them at once: its short texts are prefiltered from the first one
(a pre-commit check, a bot's messages) and a big batch starts without the build.

Never a profile's patterns: a database compiled from a roster, a customer list, an internal domain or
a host-name convention holds those strings, so it is compiled in memory each run, as before,
and never written. What is written is derived from public code only.

Where: `$REDACTOR_CACHE_DIR`, else `$XDG_CACHE_HOME/redactor`, else `~/.cache/redactor`; under it
`prefilters/<tag>/`, where the tag changes with the translator's source, the hyperscan and Python
versions and the machine, so a stale database is never read. `REDACTOR_NO_CACHE=1` turns it off. A file that is
missing, unreadable, corrupt (each carries its SHA-256) or built for another CPU is compiled again
and replaced; a cache that cannot be written is silently not used. Writes are atomic.
A database decides which rules are skipped, so only a folder this user owns and no one else may
write to is read or written (as ssh treats its keys): `REDACTOR_CACHE_DIR=/tmp/shared` made by another
user, or opened to the group, is ignored.
"""
from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import stat
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

try:
    import hyperscan
except ImportError:  # no wheel for this platform: no prefilters, nothing cached
    hyperscan = None

_MAGIC = b"redactor-hs-1\n"
ALWAYS = "always"   # a pattern group that is not prefiltered (untranslatable, or refused by Hyperscan)
KEEP_TAGS = 3       # tag folders kept (a few installed versions side by side); older ones are removed

_TAG_NAME = re.compile(r"[0-9a-f]{16}")
Group = tuple[tuple[str, int], ...]   # the (pattern, flags) of one prefilter id, in order


def directory() -> Path | None:
    """This build's cache folder, or None when caching is off or hyperscan is missing."""
    if hyperscan is None or os.environ.get("REDACTOR_NO_CACHE", "") not in ("", "0"):
        return None
    root = os.environ.get("REDACTOR_CACHE_DIR")
    if root:
        base = Path(root).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = (Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache") / "redactor"
    tag = _tag()
    return None if tag is None else base / "prefilters" / tag


@lru_cache(maxsize=1)
def _tag() -> str | None:
    """Changes whenever a database built before could differ from one built now; None (no cache)
    if the translator's source cannot be read (a frozen or zipped install)."""
    try:
        digest = hashlib.sha256(Path(__file__).with_name("prefilter.py").read_bytes())
    except OSError:
        return None
    # Python's own parser reads the patterns (`re._parser`): its version is part of the translation
    digest.update(f"\0{hyperscan.__version__}\0{platform.machine()}\0{platform.system()}\0{sys.version}".encode())
    return digest.hexdigest()[:16]


def key(group: Group) -> str:
    digest = hashlib.sha256()
    for pattern, flags in group:
        digest.update(f"{flags}\0{len(pattern)}\0{pattern}\0".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _builtin_prefilters() -> list[Any]:
    """The prefilters of freshly made built-in recognizers without a profile (fresh, so `main` compiles them all)."""
    from . import standard_recognizers   # here: this module is imported while the package loads

    return [p for rec in standard_recognizers(use_ner=False) if (p := getattr(rec, "prefilter", None))]


@lru_cache(maxsize=1)
def public_patterns() -> frozenset[tuple[str, int]]:
    """Every (pattern, flags) of the built-in recognizers without a profile: all that may be stored."""
    return frozenset(pattern for prefilter in _builtin_prefilters() for pattern in prefilter.patterns)


def trusted(folder: Path) -> bool:
    """Is `folder` a real folder of this user's that only this user may write to?"""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    owner = os.getuid() if hasattr(os, "getuid") else st.st_uid
    return stat.S_ISDIR(st.st_mode) and st.st_uid == owner and not st.st_mode & 0o022


def readable() -> Path | None:
    """The folder to load from: this build's, if caching is on and the folder is `trusted`."""
    folder = directory()
    return folder if folder is not None and trusted(folder) else None


def load(folder: Path, group: Group) -> Any:
    """The database stored for `group` in `folder` (from `readable()`), `ALWAYS`, or None (not
    stored, unreadable, corrupt, or not loadable on this machine)."""
    try:
        data = (folder / key(group)).read_bytes()
    except OSError:
        return None
    if not data.startswith(_MAGIC):
        return None
    digest, body = data[len(_MAGIC):len(_MAGIC) + 32], data[len(_MAGIC) + 32:]
    if hashlib.sha256(body).digest() != digest:
        return None
    if body == ALWAYS.encode():
        return ALWAYS
    try:
        return hyperscan.loadb(body, hyperscan.HS_MODE_BLOCK)
    except hyperscan.error:   # another CPU's or version's database
        return None


def store(folder: Path, group: Group, database: Any) -> None:
    """Write `database` (or `ALWAYS`) for `group`, if every pattern in it is public; never raises."""
    if not all(pattern in public_patterns() for pattern in group):
        return
    body = ALWAYS.encode() if database is ALWAYS else hyperscan.dumpb(database)
    try:
        if not folder.is_dir():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            _prune(folder.parent)
        if not trusted(folder):
            return
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_MAGIC + hashlib.sha256(body).digest() + body)
            os.replace(tmp, folder / key(group))
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass   # a read-only or full disk: the databases are compiled in memory, as without a cache


def _prune(parent: Path) -> None:
    """Keep the `KEEP_TAGS` most recently made tag folders (each ~6 MB); nothing else is touched."""
    try:
        tags = sorted((p for p in parent.iterdir() if _TAG_NAME.fullmatch(p.name) and p.is_dir()),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in tags[KEEP_TAGS:]:
        shutil.rmtree(old, ignore_errors=True)


def main() -> None:
    """Build and store the built-in patterns' databases now, so the first run already has them
    (`make install` runs `python -c "from recognizers.prefilter_cache import main; main()"`)."""
    from . import prefilter

    folder = directory()
    if folder is None:
        print("prefilter cache: off (REDACTOR_NO_CACHE, or no hyperscan on this platform)")
        return
    prefilters = _builtin_prefilters()
    prefilter.load_cached(prefilters)
    prefilter.warm_all(prefilters)
    stored = len(list(folder.glob("[0-9a-f]*"))) if folder.is_dir() else 0
    print(f"prefilter cache: {stored} databases in {folder}")
