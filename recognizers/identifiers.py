"""Employee, customer, company and device numbers, and customer companies, next to the words that name them;
the organisation a machine is registered to (systeminfo's `Registered Organization`: ours), and the one a
OneDrive for Business folder is named after (`OneDrive - Halvorsen Bank ASA\\…`: ours).

`Employee ID E104552`, `badge no. 20417`, `personnel number: 0081234`, `customer number 88213004`,
`Kundennummer 4471`, a patient's `MRN 004829137`: an identifier of a person or a customer of ours, whatever
its format (the profile's `customers.id_patterns` know the exact one; these need no profile). It must have at
least four digits; the word must stand right before it.
A company with a legal form after `customer`/`client`/`merchant` (`Customer Acme Logistics GmbH`,
`client Nordic Freight AS`) is a CUSTOMER without a profile list; a vendor's name after it is not
(`client Microsoft Corporation`). So are two to four capitalized words there (`Customer Nordvik Kraft
reported`, `Customer Tailspin Toys`; not `Customer Success Team`, nor English words the text also writes
in lower case).
Near misses: `employee 4 of 12`, `Employee IDs are 6 digits`, `customer since 2019`, `customer 360`.
"""
from __future__ import annotations

import re

import regex

from .base import Candidate, RegexRecognizer, Rule, Span
from .english import is_english_word, used_as_word
from .entity_types import COMPANY_ID, CUSTOMER, CUSTOMER_ID, DEVICE_ID, EMPLOYEE_ID, ORGANIZATION
from .shapes import NUMERIC_DATE, QUOTED, SIGN_OFF, SIGN_OFF_WORDS
from .vocabulary import is_security_term

_ID = r"(?P<id>[A-Za-z]{0,3}[-_]?\d[\d-]{3,14}(?<!-)|\d{4,15})(?![\w-])"
LEGAL = (r"(?:GmbH|AG|ASA?|A/S|ApS|AB|Oyj?|Ltd\.?|Limited|LLC|Inc\.?|Incorporated|[Pp]lc|PLC|S\.A\.|SAS?|S\.r\.l\.|SpA|"
          r"B\.V\.|BV|N\.V\.|NV|Corp\.?|Corporation|Co\.|KG|SE|Building Society)")
# `Kind regards,` on its own line, or a signature's delimiter (`-- `), also in a quoted reply (`> -- `)
_SIGN_OFF_LINE = rf"(?m)^{QUOTED}(?:{SIGN_OFF}[,.!]?|--)[ \t]*\r?\n"
_SEP = r"[\"']?\s*(?:(?:id|no|nr|number|num|#)\b\.?|#)?\s*(?:is|was|[:=#])?\s*[\"']?"   # also a JSON key's `": "`


# what follows "customer"/"client" when it names no company: `Customer Success Team`, `Client Hello`
_CUSTOMER_NOUNS = frozenset("""
success service services support care experience portal data database account accounts id number name names
list records information details segment base satisfaction relations relationship onboarding journey center
centre desk team hello side certificate secret key keys access area zone app application agent software
""".split())


# what has a serial number that is no device of ours: a certificate (a signer's is an indicator), a
# volume or drive (an LNK file's can be the attacker's machine)
_NOT_A_DEVICE = re.compile(r"cert|sign|issuer|thumbprint|x\.?509|volume|drive|disk|lnk|droid|birth")


# a list of customers after its label, to the line's end or its next label; each company in it: one with a
# legal form, or two to four capitalized words (see check)
_LIST_LABEL = regex.compile(r"(?i)\b(?:customers|clients|merchants)(?:[ \t]*\(\d{1,4}\))?[ \t]*:"
                            r"(?P<items>[^\n:]{1,300})")
_LIST_ITEM = regex.compile(r"(?<![\w&'.-])(?P<c>(?:\p{Lu}[\p{L}\d&'.-]*,?[ ]){1,4}" + LEGAL + r"|"
                           r"\p{Lu}[\p{L}&'-]*(?:[ ]\p{Lu}[\p{L}&'-]*){1,3})(?![\w&'-]|[ ]\p{Lu})")
_LIST_RULE = Rule("customer list", _LIST_ITEM.pattern, 0.8, (("c", CUSTOMER),), engine="regex")


class IdentifierRecognizer(RegexRecognizer):
    ENTITIES = (EMPLOYEE_ID,)
    RULES = (
        Rule("employee id (context)",
             r"(?i)\b(?:employee|staff|personnel|badge|payroll)(?:[_ -]?(?:id|no|nr|number|num|#)\.?)" + _SEP + _ID,
             0.85, (("id", EMPLOYEE_ID),), triggers=('employee', 'staff', 'personnel', 'badge', 'payroll'), engine="regex"),
        # our devices: an asset tag, a service tag, a serial number, a phone's IMEI or UDID (see check: not a
        # certificate's serial, not a volume's, which can be the attacker's machine in an LNK file)
        Rule("device id (context)",
             r"(?i)\b(?:asset[ _-]?(?:tag|id|no|nr|number|#)|service[ _-]?tag|inventory[ _-]?(?:no|nr|number|#)"
             r"|serial(?:[ _-]?(?:number|no|nr|#))?|s/n|imei|udid)\.?[ \t]*(?:is|was|[:=#])?[ \t]*[\"']?"
             r"(?P<d>(?-i:[A-Z0-9][A-Za-z0-9-]{3,39}))(?![\w-])",
             0.85, (("d", DEVICE_ID),), triggers=('asset', 'service tag', 'servicetag', 'inventory', 'serial', 's/n',
                                                 'imei', 'udid'), engine="regex"),
        # a company's registration or VAT number: `Org.nr. 987 654 321`, `CVR 12345678`, `Company No. 01234567`,
        # `VAT GB123456789`, `Y-tunnus 1234567-8` (a signature's, ours; a customer's)
        Rule("company id (context)",
             r"(?i)\b(?:org\.?[ ]?(?:nr|no)\.?|organi[sz]ation(?:s)?[ ]?(?:nummer|number|no\.?)|organisasjonsnummer|"
             r"foretaksnummer|company[ ](?:reg(?:istration)?\.?[ ])?(?:number|no\.?)|registered[ ](?:number|no\.?)|"
             r"vat(?:[ ](?:reg(?:istration)?\.?[ ])?(?:number|no\.?|id))?|mva|cvr(?:-nr\.?)?|y-tunnus|business[ ]id|"
             r"kvk(?:-nummer)?|siren|siret|duns(?:[ ]number)?|abn|ein)[ \t]*[:.#]?[ \t]*"
             r"(?P<co>(?-i:[A-Z]{2})?\d[\d .-]{4,14}\d(?:[ ]?MVA)?)(?![\w-]|\.\d)",
             0.85, (("co", COMPANY_ID),), triggers=('org', 'nummer', 'company', 'registered', 'vat', 'mva', 'cvr',
                                                   'tunnus', 'business id', 'kvk', 'siren', 'siret', 'duns', 'abn', 'ein'),
             engine="regex"),
        Rule("customer id (context)",
             r"(?i)\b(?:customer|cust\.?|client|kunden|member)(?:[_ -]?(?:id|no|nr|number|num|#|nummer)\.?)"
             # (an insurer's member ID after the insurer's code: `member ID BCBS-IL 884412931`)
             + _SEP + r"(?:(?-i:[A-Z]{2,6}(?:-[A-Z]{2})?)[ ](?=\d{4}))?" + _ID,
             0.85, (("id", CUSTOMER_ID),), triggers=('customer', 'cust', 'client', 'kunden', 'member'), engine="regex"),
        # a hospital's patients: `MRN 004829137`, `medical record number: 0048291`, `Patient ID P-2210934`,
        # `encounter no. 7781234`; Cerner's financial number and Epic's contact serial number, six digits or more
        # after them (`FIN 2024` is a year)
        Rule("patient id (context)",
             r"(?i)\b(?:mrn|medical[ ]record(?:[ ](?:number|no|nr|#))?"
             r"|(?:patient|encounter)[_ -]?(?:id|no|nr|number|num|#))\.?" + _SEP + _ID, 0.85, (("id", CUSTOMER_ID),),
             triggers=('mrn', 'medical record', 'patient', 'encounter'), engine="regex"),
        Rule("patient number (acronym)", r"\b(?:FIN|CSN)[ \t]*(?:#|:|no\.?)?[ \t]*(?P<id>\d{6,15})(?![\w-])", 0.85,
             (("id", CUSTOMER_ID),), triggers=('fin', 'csn'), engine="regex"),
        Rule("customer company (context)",
             r"\b(?i:customer|client|merchant)s?\s+(?:(?:was|is|named|called)\s+)?"
             r"(?P<c>(?:\p{Lu}[\p{L}\d&'.-]*,?[ ]){1,4}" + LEGAL + r")(?![\w])",
             0.85, (("c", CUSTOMER),), triggers=('customer', 'client', 'merchant'), engine="regex"),
        # the company first: `Nordvik Kraft AS, our customer`, `Fjord Kraft ASA (a client of ours)`
        Rule("customer company, then its word",
             r"(?<![\w&'.-])(?P<c>(?:\p{Lu}[\p{L}\d&'.-]*,?[ ]){1,4}" + LEGAL + r")[ ]?[,(–-][ ]?"
             r"(?i:(?:our|a|the|one of our|an? existing)[ ]+)?(?i:customer|client|merchant)s?\b",
             0.85, (("c", CUSTOMER),), triggers=('customer', 'client', 'merchant'), engine="regex"),
        # `Customer Nordvik Kraft reported …`: two to four capitalized words, one of them no English word
        # (see check; not `Customer Success Team`, `client Microsoft Teams`)
        Rule("customer name (context)",
             r"\b(?i:customer|client|merchant)\s+(?:(?:was|is|named|called)\s+)?"
             r"(?P<c>\p{Lu}[\p{L}&'-]*(?:[ ]\p{Lu}[\p{L}&'-]*){1,3})(?![\w-]|[ ]\p{Lu})",
             0.8, (("c", CUSTOMER),), triggers=('customer', 'client', 'merchant'), engine="regex"),
        # a mail signature's company: `Kind regards,` / the name / a title / `Halvorsen Bank ASA` (the
        # writer's organisation: ours or a peer's; a security vendor's stays, see check)
        Rule("signature company",
             _SIGN_OFF_LINE +
             r"(?:[ \t]*\r?\n)?(?:[^\n]*\S[^\n]*\n){1,3}?[^\n]*?(?<![\w&'.-])"
             # (a comma only before the legal form: `CISO, Halvorsen Bank ASA` is a title, then the company)
             r"(?P<o>(?:\p{Lu}[\p{L}\d&'.-]*[ ]){0,3}\p{Lu}[\p{L}\d&'.-]*,?[ ]" + LEGAL + r")(?![\w])", 0.85,
             (("o", ORGANIZATION),),
             # the prefilter reads the sign-off line only: with the name after it, the list of
             # closings in many languages took Hyperscan 12 s to compile
             triggers=(*SIGN_OFF_WORDS, "--"), engine="regex", prefilter=_SIGN_OFF_LINE),
        # OneDrive for Business names its folder after the tenant's organisation: `C:\Users\x\OneDrive - Halvorsen
        # Bank ASA\Documents`, ours (its path is one of our users')
        Rule("onedrive folder", r"(?i)\bOneDrive[ ]-[ ](?P<o>(?-i:\p{Lu})[^\\/\r\n\"'<>|:*?]{0,80}?)[ ]?(?=[\\/])",
             0.9, (("o", ORGANIZATION),), triggers=('onedrive - ',), engine="regex"),
        # systeminfo and Windows' registry: the organisation the machine is registered to is ours
        Rule("registered organization",   # systeminfo's `Registered Organization:`, reg query's `REG_SZ`
             r"(?im)^[ \t]*(?:HK[^\n]*?[ \t]+)?(?:Registered[ ]?Organi[sz]ation)(?:[ \t]*[:=]|[ \t]+REG_SZ)[ \t]*"
             r"(?P<o>\p{Lu}[^\n]{1,80}?)[ \t]*\r?$",
             0.9, (("o", ORGANIZATION),), triggers=('registeredorgani', 'registered organi'), engine="regex"),
    )

    def spans(self, text: str, lower: str | None = None) -> list[Span]:
        """The rules' spans, and each company in a list after its label (`Affected customers (3): Havbris
        Shipping AS (cust. no. 20931), Nordlys Fiskeri and …`): found from the label forward, so that the
        cost is the labelled lines', not a look back from every capital of the text."""
        out = super().spans(text, lower)
        low = text.lower() if lower is None else lower
        if "customers" not in low and "clients" not in low and "merchants" not in low:
            return out
        for label in _LIST_LABEL.finditer(text):
            for item in _LIST_ITEM.finditer(text, label.start("items"), label.end("items")):
                cand = Candidate(CUSTOMER, item.start("c"), item.end("c"), 0.8, _LIST_RULE, item)
                if (score := self.check(cand)) is not None:
                    out.append((CUSTOMER, cand.start, cand.end, score, _LIST_RULE.name))
        return out

    def check(self, cand: Candidate) -> float | None:
        if cand.entity == ORGANIZATION:
            first = cand.value.split()[0].rstrip(",")
            if cand.rule.name == "onedrive folder" and (" " not in cand.value and is_english_word(cand.value.lower())
                                                        or cand.value.lower() in ("personlig", "persönlich", "privat")):
                return None   # `OneDrive - Personal`: the consumer OneDrive's folder, no organisation's
            if cand.rule.name == "signature company" and is_security_term(first):
                return None   # `Mandiant Inc.`, `CrowdStrike, Inc.`: the vendor's consultant signs; its name stays
            return None if is_security_term(cand.value) or cand.value.lower() in ("n/a", "none", "-") else cand.score
        if cand.entity == CUSTOMER:
            first = cand.value.split()[0].rstrip(",")
            if cand.rule.name == "customer list" and not re.search(LEGAL + r"$", cand.value) \
                    and all(is_english_word(w) for w in cand.value.split()):
                return None   # `Affected customers: Retail Banking, Private Clients`: a segment, not a company
            if cand.rule.name == "customer name (context)":
                words = cand.value.split()
                if any(is_security_term(w) for w in words) or (all(is_english_word(w) for w in words) and (
                        any(w.lower() in _CUSTOMER_NOUNS for w in words)
                        or all(used_as_word(w, cand.match.string) for w in words))):
                    return None   # `Customer Success Team`, `client Microsoft Teams`, `Client Hello Message`
            return None if is_security_term(first) or is_security_term(cand.value) else cand.score
        if cand.entity == COMPANY_ID:
            if len(re.sub(r"\D", "", cand.value)) < 6 or NUMERIC_DATE.fullmatch(cand.value):
                return None   # not `VAT 25`, `EIN 1`, a date
            return cand.score
        if cand.entity == DEVICE_ID:
            before = cand.match.string[max(0, cand.match.start() - 60):cand.match.start()].lower()
            if not any(c.isdigit() for c in cand.value) or _NOT_A_DEVICE.search(before):
                return None   # `serial number CHANGED`; a certificate's or a volume's serial (an indicator)
            return cand.score
        digits = re.sub(r"\D", "", cand.value)
        if len(digits) < 4 or re.fullmatch(r"(?:19|20)\d\d", cand.value):
            return None   # a count or a year: `employee no. 4`, `customer id 2019`
        return cand.score
