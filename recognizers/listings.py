"""Accounts listed by Windows' `net` commands, as attackers run them and reports paste them.

`net group "Domain Admins" /domain` and `net user /domain` print their accounts in columns under
a rule of dashes; `net localgroup administrators` prints one member per line (`HALVORSEN\\mberg`).
Every listed account is a USERNAME (a `DOMAIN\\` in front an AD_DOMAIN, a `NAME$` a HOSTNAME);
built-in accounts and groups stay (`Administrator`, `krbtgt`, `HALVORSEN\\Domain Admins`).
Near misses: the `Members` heading of a report without the dashes, the closing line.
"""
from __future__ import annotations

import re

from .accounts import BUILTIN_ACCOUNTS, WELL_KNOWN_DOMAINS, _looks_like_user
from .base import RegexRecognizer, Rule, Span
from .entity_types import AD_DOMAIN, HOSTNAME, USERNAME

_COLUMN = re.compile(r"[^ \t\r\n]+(?: [^ \t\r\n]+)*")   # an entry: words apart by single spaces


class NetListingRecognizer(RegexRecognizer):
    ENTITIES = (USERNAME,)
    RULES = (
        Rule("net listing",
             r"(?m)^[ \t]*(?:Members|User accounts for \\\\[^\n]*)[ \t]*\r?\n(?:[ \t]*\r?\n)?-{20,}[ \t]*\r?\n"
             r"(?P<body>(?:(?![ \t]*The command completed)[^\n]*\S[^\n]*(?:\r?\n|$))+)",
             0.85, (("body", USERNAME),), triggers=("members", "user accounts for"), engine="regex"),
    )

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        out: list[Span] = []
        for start, end in ((s, e) for _, s, e, _, _ in super().spans(text, lower)):
            for m in _COLUMN.finditer(text, start, end):
                out.extend(self._entry(m.group(0), m.start()))
        return out

    def _entry(self, entry: str, at: int) -> list[Span]:
        domain, sep, user = entry.rpartition("\\")
        found: list[Span] = []
        if sep and domain and domain.lower() not in WELL_KNOWN_DOMAINS:
            found.append((AD_DOMAIN, at, at + len(domain), 0.85, "net listing"))
        start = at + len(domain) + len(sep)
        low = user.lower()
        if low in BUILTIN_ACCOUNTS or (sep and domain.lower() in WELL_KNOWN_DOMAINS):
            return found
        if user.endswith("$") and len(user) > 1:
            return found + [(HOSTNAME, start, start + len(user) - 1, 0.85, "net listing")]
        if " " in user or not _looks_like_user(user):
            return found   # `Domain Admins`, `HALVORSEN\Enterprise Admins`: a group
        return found + [(USERNAME, start, start + len(user), 0.85, "net listing")]
