"""Defanged indicators: `hxxp://evil[.]com`, `10[.]0[.]0[.]1`, `bad[@]evil[.]com`; also a name in
DNS wire format (`(4)evil(3)com(0)`), as Windows' DNS debug log writes it.

Recognizers accept these forms; `refang()` gives the normalized value used for
classification and the entity table. Kept indicators are written back exactly as written.
"""
from __future__ import annotations

import re

# the separators that stand for a dot / an at / a colon in defanged text
DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
AT = r"(?:@|\[@\]|\(@\)|\[at\]|\(at\)|%40)"   # (and URL-encoded: `login_hint=m.berg%40hb.no`)

_REFANG = (
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)", re.I), "."),
    (re.compile(r"\[@\]|\(@\)|\[at\]|\(at\)|%40", re.I), "@"),
    (re.compile(r"\[:\]|\[://\]", re.I), lambda m: m.group(0)[1:-1]),
    # a scheme only (`hxxps://`, `fxp[:]//`): not the start of a name (`fxpa.aaaa@…`, `Hxxpert`)
    (re.compile(r"^h[xX]{2}p(?=s?(?::|\[:))", re.I), "http"),
    (re.compile(r"^fxp(?=s?(?::|\[:))", re.I), "ftp"),
)


_MAYBE_DEFANGED = re.compile(r"[\[({]|^[hf][xX]|%40", re.I)


# a name as DNS writes it on the wire, as Windows' DNS debug log prints it: `(7)finws42(2)hb(5)local(0)`
_WIRE = re.compile(r"(?:\(\d{1,2}\)[\w-]{1,63})+\(0\)")
_WIRE_LABEL = re.compile(r"\)([\w-]+)")


def refang(value: str) -> str:
    if _MAYBE_DEFANGED.search(value) is None:
        return value  # the common case, without five substitutions
    if value[:1] == "(" and _WIRE.fullmatch(value):
        return ".".join(_WIRE_LABEL.findall(value))
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


def is_dns_wire(value: str) -> bool:
    return value[:1] == "(" and _WIRE.fullmatch(value) is not None


def to_dns_wire(name: str) -> str:
    """`host-1.domain-2.example` -> `(6)host-1(8)domain-2(7)example(0)`."""
    return "".join(f"({len(label)}){label}" for label in name.split(".") if label) + "(0)"


def is_defanged(value: str) -> bool:
    """Written so as not to be a live link (`evil[.]com`, `hxxp://`)? A URL-encoded at (`%40`) is no defanging."""
    return refang(value) != value.replace("%40", "@")
