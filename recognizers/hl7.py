"""HL7 v2 messages quoted in a hospital's report: the patient, their next of kin, guarantor and insured, and
the clinicians, by the place of each field in its segment.

`PID|1||004829137^^^MRH^MR||WHITAKER^JANE^A||19780412|F|||1457 W DEVON AVE^^CHICAGO^IL^60660||(773)555-0143`:
no word stands next to these values, the segment's grammar says what each one is. A name (`family^given^middle`)
is one PERSON, the same person as `Jane Whitaker` in prose (`entities.normalize`); an identifier list gives each
repetition's ID (`004829137`, not its assigning authority `MRH` or type `MR`); a clinician (`id^family^given`)
gives an EMPLOYEE_ID and a PERSON. Segments are lines that start with their name and the field separator `|`.
Near misses: a Markdown table's `| PID | 4242 |`, a process list's `PID|PPID|CMD` header, an empty field, the
message header's sending application and facility (`MSH|^~\\&|EPIC|MRH|`): the software and a site code stay.
"""
from __future__ import annotations

import re

from .base import RegexRecognizer, Rule, Span, triggered
from .entity_types import (CUSTOMER_ID, DATE_OF_BIRTH, EMPLOYEE_ID, NATIONAL_ID, PERSON, PHONE_NUMBER,
                           POSTAL_ADDRESS, US_SSN)

ID, NAME, CLINICIAN, DATE, ADDRESS, PHONE = "id", "name", "clinician", "date", "address", "phone"
# (segment, field number) -> what the field holds (HL7 v2.5: PID-3 the patient's identifiers, PID-5 the name …)
_FIELDS = {
    "PID": {2: ID, 3: ID, 4: ID, 5: NAME, 6: NAME, 7: DATE, 9: NAME, 11: ADDRESS, 13: PHONE, 14: PHONE, 18: ID,
            19: US_SSN, 20: NATIONAL_ID, 21: ID},
    "NK1": {2: NAME, 4: ADDRESS, 5: PHONE, 6: PHONE, 30: NAME, 31: PHONE, 32: ADDRESS, 33: ID, 37: US_SSN},
    "GT1": {2: ID, 3: NAME, 4: NAME, 5: ADDRESS, 6: PHONE, 7: PHONE, 8: DATE, 12: US_SSN, 19: US_SSN},
    "IN1": {16: NAME, 18: DATE, 19: ADDRESS, 36: ID, 49: ID},
    "IN2": {1: ID, 2: US_SSN},
    "PV1": {7: CLINICIAN, 8: CLINICIAN, 9: CLINICIAN, 17: CLINICIAN, 19: ID, 50: ID, 52: CLINICIAN},
    "PD1": {4: CLINICIAN},
    "MRG": {1: ID, 2: ID, 3: ID, 4: ID, 5: ID, 7: NAME},
    "ORC": {10: CLINICIAN, 11: CLINICIAN, 12: CLINICIAN, 19: CLINICIAN},
    "OBR": {10: CLINICIAN, 16: CLINICIAN, 28: CLINICIAN, 32: CLINICIAN, 33: CLINICIAN, 34: CLINICIAN},
    "OBX": {16: CLINICIAN},
    "EVN": {5: CLINICIAN},
    "ROL": {4: CLINICIAN, 11: ADDRESS, 12: PHONE},
    "PRD": {2: NAME, 3: ADDRESS, 5: PHONE, 7: ID},
}
# (a message separates its segments with a carriage return alone)
_SEGMENT = r"(?m)(?:^|\r)(?P<seg>(?:PID|NK1|GT1|IN1|IN2|PV1|PD1|MRG|ORC|OBR|OBX|EVN|ROL|PRD)\|[^\r\n]*)"
_DIGIT = re.compile(r"\d")


def _components(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each `^` component of the field repetition text[start:end]."""
    out, pos = [], start
    for part in text[start:end].split("^"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 1
    return out


def _name(text: str, parts: list[tuple[int, int]]) -> tuple[int, int] | None:
    """family^given^middle: from the family name to the last of the three that is there."""
    named = [p for p in parts[:3] if p[1] > p[0]]
    if not named or not any(c.isalpha() for c in text[parts[0][0]:named[-1][1]]):
        return None
    return parts[0][0], named[-1][1]


class Hl7Recognizer(RegexRecognizer):
    ENTITIES = (PERSON, CUSTOMER_ID, DATE_OF_BIRTH, EMPLOYEE_ID, NATIONAL_ID, PHONE_NUMBER, POSTAL_ADDRESS, US_SSN)
    RULES = (Rule("hl7 segment", _SEGMENT, 0.9, triggers=("pid|", "nk1|", "gt1|", "in1|", "in2|", "pv1|", "pd1|",
                                                         "mrg|", "orc|", "obr|", "obx|", "evn|", "rol|", "prd|")),)

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        out: list[Span] = []
        rule = self.rules[0]
        if lower is None:
            lower = text.lower()
        active = self.prefilter.active(text)
        if active is not None and 0 not in active or not triggered(rule, lower):
            return out
        for m in rule.finditer(text):
            segment = m.group("seg")
            fields = _FIELDS[segment[:3]]
            pos = m.start("seg") + 4
            for number, field in enumerate(segment[4:].split("|"), start=1):
                kind = fields.get(number)
                if kind is not None and field.strip():
                    rep = pos
                    for repetition in field.split("~"):
                        out.extend(self._values(text, kind, rep, rep + len(repetition)))
                        rep += len(repetition) + 1
                pos += len(field) + 1
        return out

    def _values(self, text: str, kind: str, start: int, end: int) -> list[Span]:
        parts = _components(text, start, end)
        first = parts[0]
        if kind == NAME:
            span = _name(text, parts)
            return [(PERSON, *span, 0.9, "hl7 name")] if span else []
        if kind == CLINICIAN:   # id^family^given^middle^suffix^prefix
            out: list[Span] = []
            if first[1] - first[0] >= 3 and _DIGIT.search(text, first[0], first[1]):
                out.append((EMPLOYEE_ID, *first, 0.9, "hl7 clinician id"))
            span = _name(text, parts[1:]) if len(parts) > 1 else None
            if span:
                out.append((PERSON, *span, 0.9, "hl7 clinician name"))
            return out
        if kind == ADDRESS:   # street^other^city^state^zip^country: the whole, without empty trailing components
            last = max((p for p in parts if p[1] > p[0]), key=lambda p: p[1], default=None)
            return [(POSTAL_ADDRESS, first[0], last[1], 0.9, "hl7 address")] if last and \
                _DIGIT.search(text, first[0], last[1]) else []
        if first[1] - first[0] < 3 or not _DIGIT.search(text, first[0], first[1]):
            return []   # an identifier, a date, a phone number, an SSN: the first component, with digits
        entity = {ID: CUSTOMER_ID, DATE: DATE_OF_BIRTH, PHONE: PHONE_NUMBER}.get(kind, kind)
        return [(entity, *first, 0.9, f"hl7 {kind}")]
