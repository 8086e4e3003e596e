"""A person's national identity number, passport number and date of birth, as breach reports
list what leaked: next to their words only, in each country's format.

`fødselsnummer 01019012345` (Norway), `personnummer 900101-2384` (Sweden), `CPR 010190-1234`
(Denmark), `henkilötunnus 010190-123N` (Finland), `national ID number 123 456 789` (any country's
digits), `passport no. 34567891`, `DOB: 1990-01-01`. A number next to its words goes whether or not
its check digits hold (test data and typos do not), and is then hunted everywhere like a name.
Near misses: an 11-digit count or ticket number without the words, `passport photo`, a timestamp
anywhere else (`born` of a campaign that "was born in 2019" has no date).
"""
from __future__ import annotations

import datetime
import re

from .base import Candidate, RegexRecognizer, Rule, has_context
from .entity_types import DATE_OF_BIRTH, NATIONAL_ID, PASSPORT_NUMBER

# (ASCII literals only, non-ASCII letters as `\w`: the prefilter reads every pattern, see prefilter.py)
_ID_WORDS = ("fødselsnummer", "fodselsnummer", "fnr", "f.nr", "d-nummer", "personnummer", "personnr",
             "samordningsnummer", "cpr", "cpr-nr", "cpr-nummer", "henkilötunnus", "hetu", "national id",
             "national identity", "national identification", "national insurance", "personal number",
             "personal identity number", "personal identification number", "personal id", "identity number",
             "birth number", "id card", "identity card", "social insurance number", "bsn", "pesel", "nin")
_ID_TRIGGERS = ("nummer", "fnr", "f.nr", "personnr", "cpr", "tunnus", "hetu", "national", "personal", "identity",
                "birth number", "id card", "insurance", "bsn", "pesel", "nin")
_DATE = (r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{1,2}\.?[ ](?i:jan|feb|mar|apr|may|jun|jul|aug"
         r"|sep|oct|nov|dec)[a-z]*\.?[ ]\d{4}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ ]\d{1,2},?[ ]\d{4})")


class NationalIdRecognizer(RegexRecognizer):
    ENTITIES = (NATIONAL_ID,)
    RULES = (
        # digits in groups after the words: Norway's 11 digits, Sweden's `YYMMDD-NNNC`/`+`, Denmark's `DDMMYY-SSSS`,
        # any country's `123 456 789`
        Rule("id number (context)", r"(?<![\w.+-])\d[\d -]{5,16}\d(?:[-+]\d{4})?(?![\w-]|\.\d)", 0.5,
             triggers=_ID_TRIGGERS),
        Rule("finnish id number (context)", r"(?<![\w.-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])", 0.5,
             triggers=_ID_TRIGGERS),
        Rule("passport number", r"(?i)\bpassport(?:[ \t]+(?:no\.?|number|nr\.?|#))?[ \t]*[:.#]?[ \t]*"
             r"(?P<p>(?-i:[A-Z0-9]{6,9}))(?![\w-])", 0.8, (("p", PASSPORT_NUMBER),), triggers=("passport",),
             engine="regex"),
        Rule("date of birth", r"(?i)\b(?:dob|d\.o\.b\.?|date[ \t]+of[ \t]+birth|birth[ \t]?date|born(?:[ \t]+on)?"
             r"|f\wdselsdato|f\wdelsedatum|geburtsdatum)[ \t]*[:.=]?[ \t]*(?P<d>" + _DATE + r")(?![\w-]|[.:]\d)",
             0.8, (("d", DATE_OF_BIRTH),), triggers=("dob", "d.o.b", "birth", "born", "dselsdato", "delsedatum",
                                                    "geburtsdatum"), engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        if cand.entity == PASSPORT_NUMBER:
            return cand.score if any(c.isdigit() for c in cand.value) else None   # not `passport CONTROL`
        if cand.entity == DATE_OF_BIRTH:
            return cand.score
        if not has_context(cand.match.string, cand.start, _ID_WORDS, 40) or _a_date(cand.value):
            return None
        return 0.85


_DATE_SHAPE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[-. ]\d{1,2}[-. ]\d{4}")


def _a_date(value: str) -> bool:
    """`2024-05-11`, `11 05 2024`: a date next to the words is not the number."""
    if not _DATE_SHAPE.fullmatch(value):
        return False
    try:
        parts = [int(p) for p in re.split(r"[-. ]", value)]
        year, month, day = parts if parts[0] > 31 else parts[::-1]
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True
