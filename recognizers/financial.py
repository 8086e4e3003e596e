"""Financial and personal identifiers that fraud and breach reports carry.

Presidio's own recognizers are reused where they validate (Luhn for cards, mod-97 for IBANs,
the ABA checksum for routing numbers, SSN and UK NI number rules) — never the noisy ones
wholesale (US_BANK_NUMBER fires on any 8–17 digits). Bank account numbers and SWIFT/BIC codes
are only taken next to their words.
"""
from __future__ import annotations

import re

from presidio_analyzer import PatternRecognizer
from presidio_analyzer.predefined_recognizers import (AbaRoutingRecognizer, CreditCardRecognizer,
                                                      IbanRecognizer, UkNinoRecognizer, UsSsnRecognizer)

from .base import Candidate, RegexRecognizer, Rule, has_context
from .entity_types import ABA_ROUTING_NUMBER, BANK_ACCOUNT, CREDIT_CARD, SWIFT_CODE, US_SSN

_ACCOUNT_WORDS = ("account", "acct", "account no", "account number", "a/c", "kontonummer", "konto", "beneficiary")
_SORT_CODE_WORDS = ("sort code", "sort-code", "sortcode")
_SWIFT_WORDS = ("swift", "bic", "swift/bic", "swift code", "bic code")
# Presidio scores a bare 9-digit number an SSN ("very weak") and counts on context to lift it; a
# log's byte counts and order numbers, a Cobalt Strike watermark are not. Only `123-45-6789` stands alone.
_SSN_WORDS = ("ssn", "ssns", "ssn#", "ss#", "social security", "social security number", "ss no", "ss number")
_SSN_DASHED = re.compile(r"\d{3}-\d{2}-\d{4}")
# an ABA routing number is nine digits with a checksum one number in ten passes: only next to its words
_ABA_WORDS = ("routing", "aba", "rtn", "routing number", "transit", "routing/transit", "abartn")


def card_length_fits(digits: str) -> bool:
    """Does the number's length fit a card scheme its first digits name (ISO/IEC 7812 ranges)?
    The Luhn check passes one number in ten; a scheme's lengths cut most of the rest."""
    n, two, four = len(digits), digits[:2], digits[:4]
    if digits[:1] == "4":
        return n in (13, 16, 19)                         # Visa
    if "51" <= two <= "55" or "2221" <= four <= "2720":
        return n == 16                                   # Mastercard
    if two in ("34", "37"):
        return n == 15                                   # American Express
    if two in ("30", "36", "38", "39"):
        return 14 <= n <= 19                             # Diners Club
    if two == "35":
        return 16 <= n <= 19                             # JCB
    if digits[:1] in ("5", "6"):
        return 12 <= n <= 19                             # Maestro, Discover, UnionPay, RuPay
    if digits[:1] == "1":
        return n == 15                                   # UATP
    return "2200" <= four <= "2204" and 16 <= n <= 19    # Mir


class BankAccountRecognizer(RegexRecognizer):
    ENTITIES = (BANK_ACCOUNT,)
    RULES = (
        Rule("bank account (context)", r"(?<![\w-])\d{6,17}(?![\w-])", 0.5, ((0, BANK_ACCOUNT),), triggers=('account', 'acct', 'a/c', 'kontonummer', 'beneficiary')),
        # grouped as banks print them: Norway's `1503.12.34567` (also with spaces), a UK sort code `20-00-00`
        Rule("grouped bank account (context)", r"(?<![\w.-])\d{4}([. ])\d{2}\1\d{5}(?![\w-]|\.\d)", 0.5,
             ((0, BANK_ACCOUNT),), triggers=('account', 'acct', 'a/c', 'konto', 'beneficiary')),
        Rule("sort code (context)", r"(?<![\w.-])\d{2}-\d{2}-\d{2}(?![\w-])", 0.5, ((0, BANK_ACCOUNT),),
             triggers=('sort code', 'sort-code', 'sortcode')),
        Rule("swift/bic (context)", r"(?<![\w-])[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![\w-])", 0.5,
             ((0, SWIFT_CODE),), triggers=('swift', 'bic'), engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        words = _SWIFT_WORDS if cand.entity == SWIFT_CODE else \
            _SORT_CODE_WORDS if cand.rule.name == "sort code (context)" else _ACCOUNT_WORDS
        return 0.85 if has_context(cand.match.string, cand.start, words, 30) else None


class PresidioPatterns(RegexRecognizer):
    """A Presidio `PatternRecognizer` run by our lean loop on `re`, with its own validation.

    Same patterns, scores, `validate_result` (True -> 1.0, False -> dropped) and
    `invalidate_result`, on the same `regex` engine; what is saved is Presidio's per-match
    explanation objects and a timeout thread per pattern and call.
    """

    def __init__(self, wrapped: PatternRecognizer) -> None:
        self.wrapped = wrapped
        entity = wrapped.supported_entities[0]
        rules = tuple(Rule(p.name, p.regex, p.score, ((0, entity),), flags=wrapped.global_regex_flags,
                           engine="regex") for p in wrapped.patterns)   # written for `regex`, as Presidio runs them
        super().__init__(rules, name=wrapped.name)

    def check(self, cand: Candidate) -> float | None:
        value = cand.value
        score = cand.score
        valid = self.wrapped.validate_result(value)
        if valid is not None:
            score = 1.0 if valid else 0.0
        if self.wrapped.invalidate_result(value):
            score = 0.0
        if cand.entity == CREDIT_CARD and not card_length_fits(re.sub(r"\D", "", value)):
            return None   # `…/554791824607141/` (a Facebook photo ID): 15 digits after 55, no card's
        if cand.entity == US_SSN and not _SSN_DASHED.fullmatch(value) and \
                not has_context(cand.match.string, cand.start, _SSN_WORDS, 40):
            return None   # `watermark 987654321`, `bytes=412345678`, `build 412 34 5678`
        if cand.entity == ABA_ROUTING_NUMBER and not has_context(cand.match.string, cand.start, _ABA_WORDS, 40):
            return None   # `var r = [..., 1537002063, ...]`: a constant that passes the checksum
        return score if score > 0 else None


def financial_recognizers() -> list[object]:
    # IBAN keeps Presidio's own analyze: it re-tries shorter group spans for the checksum
    return [PresidioPatterns(CreditCardRecognizer()), IbanRecognizer(),
            PresidioPatterns(AbaRoutingRecognizer()), PresidioPatterns(UsSsnRecognizer()),
            PresidioPatterns(UkNinoRecognizer()), BankAccountRecognizer()]
