"""Financial and personal identifiers that fraud and breach reports carry.

Presidio's own recognizers are reused where they validate (Luhn for cards, mod-97 for IBANs,
the ABA checksum for routing numbers, SSN and UK NI number rules) — never the noisy ones
wholesale (US_BANK_NUMBER fires on any 8–17 digits). Bank account numbers and SWIFT/BIC codes
are only taken next to their words.
"""
from __future__ import annotations

from presidio_analyzer.predefined_recognizers import (AbaRoutingRecognizer, CreditCardRecognizer,
                                                      IbanRecognizer, UkNinoRecognizer, UsSsnRecognizer)

from .base import Candidate, RegexRecognizer, Rule, has_context
from .entity_types import BANK_ACCOUNT, SWIFT_CODE

_ACCOUNT_WORDS = ("account", "acct", "account no", "account number", "a/c", "kontonummer", "beneficiary")
_SWIFT_WORDS = ("swift", "bic", "swift/bic", "swift code", "bic code")


class BankAccountRecognizer(RegexRecognizer):
    ENTITIES = (BANK_ACCOUNT,)
    RULES = (
        Rule("bank account (context)", r"(?<![\w-])\d{6,17}(?![\w-])", 0.5, ((0, BANK_ACCOUNT),)),
        Rule("swift/bic (context)", r"(?<![\w-])[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?(?![\w-])", 0.5,
             ((0, SWIFT_CODE),)),
    )

    def check(self, cand: Candidate) -> float | None:
        words = _SWIFT_WORDS if cand.entity == SWIFT_CODE else _ACCOUNT_WORDS
        return 0.85 if has_context(cand.match.string, cand.start, words, 30) else None


def financial_recognizers() -> list[object]:
    return [CreditCardRecognizer(), IbanRecognizer(), AbaRoutingRecognizer(), UsSsnRecognizer(),
            UkNinoRecognizer(), BankAccountRecognizer()]
