"""Email addresses and URLs, also defanged (`hxxps://evil[.]com/a`, `bad[@]evil[.]com`).

Local parts and domain labels take letters of any script (`jürgen.weiß@…`, `ødegård@…`).
Internal ones (host under an internal domain/suffix or an internal IP) are replaced by policy;
external ones are indicators and stay exactly as written.
"""
from __future__ import annotations

from .base import Candidate, RegexRecognizer, Rule, Span
from .defang import AT, DOT
from .entity_types import EMAIL_ADDRESS, URL
from .hostnames import LABEL, LETTER, WORD

_TRAILING = ".,;:!?)]}'\">"


class EmailAddressRecognizer(RegexRecognizer):
    ENTITIES = (EMAIL_ADDRESS,)
    RULES = (
        Rule("email",
             rf"(?<![{WORD}.%+-])[{WORD}.%+-]{{1,64}}{AT}(?:{LABEL}{DOT})+{LETTER}{{2,63}}(?![{WORD}-])",
             0.9, triggers=('@', '[at]', '(at)', '%40')),
    )

    def check(self, cand: Candidate) -> float | None:
        local = cand.value.split("@")[0].split("[")[0]
        if local.startswith(".") or local.endswith(".") or ".." in local:
            return None
        return cand.score


class UrlLinkRecognizer(RegexRecognizer):
    ENTITIES = (URL,)
    RULES = (
        Rule("url",
             r"(?i)(?<![\w])(?:h[tx]{2}ps?|ftps?|sftp|smb|ldaps?|wss?|file|ssh|git|svn|rdp|vnc|telnet"
             r"|mongodb(?:\+srv)?|rediss?|amqps?|mysql|postgres(?:ql)?|mssql|sqlserver|oracle)"
             r"(?:://|\[://\]|\[:\]//)[^\s<>\"'`]+",
             0.9, triggers=('://', '[:]//'), engine="regex"),
    )

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        out = []
        for entity, start, end, score, name in super().spans(text, lower):
            while end > start and text[end - 1] in _TRAILING:  # sentence punctuation, not URL
                closer = text[end - 1]
                if closer in ")]}" and text[start:end].count(closer) <= \
                        text[start:end].count({")": "(", "]": "[", "}": "{"}[closer]):
                    break
                end -= 1
            out.append((entity, start, end, score, name))
        return out

    def check(self, cand: Candidate) -> float | None:
        return cand.score
