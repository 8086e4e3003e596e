"""Phone numbers (international formats, or national formats next to a phone word),
validated with `phonenumbers`. Near misses: timestamps, dates, ticket and build numbers.
"""
from __future__ import annotations

import phonenumbers

from .base import Candidate, RegexRecognizer, Rule, has_context
from .entity_types import PHONE_NUMBER

_PHONE_WORDS = ("phone", "tel", "telephone", "mobile", "cell", "call", "fax", "whatsapp", "signal",
                "contact", "mob", "ph")


class PhoneNumberRecognizer(RegexRecognizer):
    ENTITIES = (PHONE_NUMBER,)
    RULES = (
        Rule("international phone", r"(?<![\w+])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w])", 0.8, triggers=('+',), engine="regex"),
        Rule("national phone (context)", r"(?<![\w+-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])", 0.5, triggers=('ph', 'tel', 'mob', 'cell', 'call', 'fax', 'whatsapp', 'signal', 'contact')),
    )

    def check(self, cand: Candidate) -> float | None:
        value = cand.value
        if cand.rule.name.startswith("national"):
            if not has_context(cand.match.string, cand.start, _PHONE_WORDS, 40):
                return None
            region = "US"
        else:
            region = None
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            return None
        return 0.85 if phonenumbers.is_possible_number(number) else None
