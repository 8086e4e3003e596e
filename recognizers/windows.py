"""Windows security identifiers.

Domain and machine SIDs (`S-1-5-21-…`) and Azure AD SIDs (`S-1-12-1-…`) identify the
organisation; well-known SIDs (`S-1-5-18`, `S-1-5-32-544`, `S-1-1-0`) do not and are kept.
"""
from __future__ import annotations

from .base import Candidate, RegexRecognizer, Rule
from .entity_types import WINDOWS_SID


class SidRecognizer(RegexRecognizer):
    ENTITIES = (WINDOWS_SID,)
    RULES = (Rule("windows sid", r"(?<![\w-])S-1-(?:5-21|12-1)(?:-\d{1,10}){2,5}(?![\w-])", 0.95, triggers=('s-1-',), engine="regex"),)

    def check(self, cand: Candidate) -> float | None:
        return cand.score
