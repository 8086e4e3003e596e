"""Financial and personal identifiers (through the engine: Presidio's validated recognizers)."""
import pytest


def found(bare, text):
    return {(f.entity_type, text[f.start:f.end]) for f in bare.check_text(text)}


@pytest.mark.parametrize("text, expected", [
    ("card 4111 1111 1111 1111 was used", ("CREDIT_CARD", "4111 1111 1111 1111")),
    ("Amex 378282246310005 charged", ("CREDIT_CARD", "378282246310005")),          # 15 digits after 37
    ("Mastercard 5555555555554444 charged", ("CREDIT_CARD", "5555555555554444")),
    ("Diners 30569309025904 charged", ("CREDIT_CARD", "30569309025904")),          # 14 digits
    ("card 6011111111111117 (Discover)", ("CREDIT_CARD", "6011111111111117")),
    ("IBAN DE89 3704 0044 0532 0130 00 debited", ("IBAN_CODE", "DE89 3704 0044 0532 0130 00")),
    ("account number 12345678901 at the bank", ("BANK_ACCOUNT", "12345678901")),
    ("SWIFT/BIC: DEUTDEFF500", ("SWIFT_CODE", "DEUTDEFF500")),
    ("Account 1503.12.34567 (Norwegian BBAN)", ("BANK_ACCOUNT", "1503.12.34567")),
    ("konto 1503 12 34567 ble tømt", ("BANK_ACCOUNT", "1503 12 34567")),
    ("sort code 20-00-00, account 43126789", ("BANK_ACCOUNT", "20-00-00")),
    ("SSN 536-22-8726 on file", ("US_SSN", "536-22-8726")),
    ("SSN: 536228726", ("US_SSN", "536228726")),                     # undashed, next to its word
    ("her social security number 536 22 8726", ("US_SSN", "536 22 8726")),
    ("ABA routing number 021000021", ("ABA_ROUTING_NUMBER", "021000021")),
])
def test_financial_hits(bare, text, expected):
    assert expected in found(bare, text)


@pytest.mark.parametrize("text", [
    "card 4111 1111 1111 1112 declined",          # fails Luhn
    "ticket 12345678901 opened",                  # digits without account context
    "the HOSTNAME DEUTDEFF500 string",            # BIC shape without context
    "build 20240511123 shipped",
    "version 1503.12.34567 shipped", "account created 2024-05-11 at 10.02.2024", "dated 20-05-24",
    # nine digits are no SSN without the word (Presidio's "very weak" patterns count on context)
    "Cobalt Strike watermark 987654321", "bytes=412345678", "order 412345678 shipped", "build 412 34 5678",
    "var r = [1116352408, 021000021, -1245643825]",   # a constant that passes the ABA checksum
    # Luhn passes one number in ten: the length must fit the scheme its first digits name
    "https://www.facebook.com/x/photos/a.1/554791824607141/",   # 15 digits after 55 (Mastercard has 16)
    "ranges 10009923 10022930 and 10011044 10023300",            # 16 digits after 1 (UATP has 15)
    "id 3234567890123458 issued",                                # no scheme starts 32
])
def test_financial_near_misses(bare, text):
    types = {t for t, _ in found(bare, text)}
    assert not types & {"CREDIT_CARD", "BANK_ACCOUNT", "SWIFT_CODE", "US_SSN", "ABA_ROUTING_NUMBER"}
