"""Defanged indicators: `hxxp://evil[.]com`, `10[.]0[.]0[.]1`, `bad[@]evil[.]com`.

Recognizers accept these forms; `refang()` gives the normalized value used for
classification and the entity table. Kept indicators are written back exactly as written.
"""
from __future__ import annotations

import re

# the separators that stand for a dot / an at / a colon in defanged text
DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
AT = r"(?:@|\[@\]|\(@\)|\[at\]|\(at\))"

_REFANG = (
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)", re.I), "."),
    (re.compile(r"\[@\]|\(@\)|\[at\]|\(at\)", re.I), "@"),
    (re.compile(r"\[:\]|\[://\]", re.I), lambda m: m.group(0)[1:-1]),
    (re.compile(r"^h[xX]{2}p", re.I), "http"),
    (re.compile(r"^fxp", re.I), "ftp"),
)


_MAYBE_DEFANGED = re.compile(r"[\[({]|^[hf][xX]", re.I)


def refang(value: str) -> str:
    if _MAYBE_DEFANGED.search(value) is None:
        return value  # the common case, without five substitutions
    out = value
    for pattern, repl in _REFANG:
        out = pattern.sub(repl, out)  # type: ignore[arg-type]
    return out


def defang(value: str) -> str:
    """`https://host-1.domain-2.example/x` -> `hxxps://host-1[.]domain-2[.]example/x`: what we write
    in place of a defanged value stays defanged (never a live link that was not one)."""
    return _DOTS.sub("[.]", _SCHEME.sub("hxxp", value))


_SCHEME = re.compile(r"^http(?=s?://)", re.I)
_DOTS = re.compile(r"(?<!\[)\.(?!\])")


def is_defanged(value: str) -> bool:
    return refang(value) != value
