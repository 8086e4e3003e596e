"""Financial and personal identifiers (through the engine: Presidio's validated recognizers)."""
import pytest


def found(bare, text):
    return {(f.entity_type, text[f.start:f.end]) for f in bare.check_text(text)}


@pytest.mark.parametrize("text, expected", [
    ("card 4111 1111 1111 1111 was used", ("CREDIT_CARD", "4111 1111 1111 1111")),
    ("IBAN DE89 3704 0044 0532 0130 00 debited", ("IBAN_CODE", "DE89 3704 0044 0532 0130 00")),
    ("account number 12345678901 at the bank", ("BANK_ACCOUNT", "12345678901")),
    ("SWIFT/BIC: DEUTDEFF500", ("SWIFT_CODE", "DEUTDEFF500")),
    ("SSN 536-22-8726 on file", ("US_SSN", "536-22-8726")),
])
def test_financial_hits(bare, text, expected):
    assert expected in found(bare, text)


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 declined",          # fails Luhn
    "ticket 12345678901 opened",                  # digits without account context
    "the HOSTNAME DEUTDEFF500 string",            # BIC shape without context
    "build 20240511123 shipped",
])
def test_financial_near_misses(bare, text):
    types = {t for t, _ in found(bare, text)}
    assert not types & {"CREDIT_CARD", "BANK_ACCOUNT", "SWIFT_CODE", "US_SSN"}
