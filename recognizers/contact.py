"""Phone numbers (international formats, or national formats next to a phone word),
validated with `phonenumbers`. Near misses: timestamps, dates, ticket and build numbers.
"""
from __future__ import annotations

import re

import phonenumbers

from .base import Candidate, RegexRecognizer, Rule, has_context
from .entity_types import PHONE_NUMBER
from .shapes import NUMERIC_DATE

_PHONE_WORDS = ("phone", "tel", "telephone", "mobile", "cell", "call", "fax", "whatsapp", "signal",
                "contact", "mob", "ph")


class PhoneNumberRecognizer(RegexRecognizer):
    ENTITIES = (PHONE_NUMBER,)
    RULES = (
        Rule("international phone", r"(?<![\w+])\+\d{1,3}[\s.-]?\(?\d{1,4}\)?(?:[\s.-]?\d{2,4}){2,4}(?![\w])", 0.8, triggers=('+',), engine="regex"),
        # a signature's or a contact card's label, then a number as the country writes it: `T: 0113 496 0000`,
        # `Mobile: 912 34 567`, `Tel. 030 1234567`, `… | M: 07700 900123`
        Rule("labelled phone",
             r"(?mi)(?:^|[|•·][ \t]*)[ \t]*(?:t|m|p|f|d|tel|tlf|phone|telephone|mobile|mob|mobil|cell|fax|direct|"
             r"office|desk|ph|telefon|handy)\.?[ \t]*[:.][ \t]*(?P<p>\(?\d[\d \t().-]{5,18}\d)(?![\w:/-]|\.\w)",
             0.8, (("p", ""),), engine="regex"),
        # prose: `her desk phone 22 98 76 54`, `mobile number is 912 34 567`, `tlf. 22 98 76 54`, `…, Tel. 030 1234567`
        Rule("phone in prose",
             r"(?i)\b(?:phone|telephone|mobile|mobil|handy|cell|fax|tlf|tel\.|telefon)(?:[ \t]+(?:number|no\.?|nr\.?|#))?"
             r"(?:[ \t]+(?:is|was))?[ \t]*[:.]?[ \t]*(?P<p>\(?\d[\d \t().-]{5,18}\d)(?![\w:/-]|\.\w)",
             0.8, (("p", ""),), triggers=("phone", "mobil", "handy", "cell", "fax", "tlf", "tel.", "telefon"),
             engine="regex"),
        Rule("national phone (context)", r"(?<![\w+-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])", 0.5, triggers=('ph', 'tel', 'mob', 'cell', 'call', 'fax', 'whatsapp', 'signal', 'contact')),
    )

    def check(self, cand: Candidate) -> float | None:
        value = cand.value
        if _whois_phone(cand.match.string, cand.start):
            return None   # a whois record's `Registrant Phone: +46.318831056`: the attacker's domain's, an indicator
        if cand.rule.name in ("labelled phone", "phone in prose"):
            return cand.score if _national_number(value) else None
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


# a whois record's phone field, as whois writes it, right before its number (also run into one line by a PDF)
_WHOIS_PHONE = re.compile(r"(?<![\w-])(?P<who>Registrant|Admin|Tech|Billing|Registrar Abuse Contact)"
                          r" (?:Phone|Fax)(?: Ext\.?)?:[ \t]*\Z")
_REGISTRANT_FIELD = re.compile(r"(?m)(?:^|[ \t])Registr(?:ant|ar)[\w ]{0,20}:")


def _whois_phone(text: str, start: int) -> bool:
    """Is the number at `start` a whois record's (`Registrant Phone:`; `Admin Phone:` below a `Registrant` or
    `Registrar` field), not a person's of ours?"""
    label = _WHOIS_PHONE.search(text, max(0, start - 40), start)
    if label is None:
        return False
    return label.group("who").startswith("Regist") \
        or _REGISTRANT_FIELD.search(text, max(0, start - 1500), start) is not None


_DOTTED_QUAD = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def _national_number(value: str) -> bool:
    """A phone number in a country's own format: 7 to 12 digits in groups (`0113 496 0000`,
    `912 34 567`), or one run that starts with the trunk 0 (`01134960000`); not a date, an IP
    address, a version or a plain count."""
    digits = re.sub(r"\D", "", value)
    if not 7 <= len(digits) <= 12 or NUMERIC_DATE.fullmatch(value) or _DOTTED_QUAD.fullmatch(value):
        return False
    if digits == value:
        return digits.startswith("0") and len(digits) >= 9
    groups = re.findall(r"\d+", value.replace("(0)", ""))
    return all(len(g) > 1 for g in groups)   # `1.2.3.4567` is a version
