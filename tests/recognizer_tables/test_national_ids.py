import pytest

from recognizers.national_ids import NationalIdRecognizer

from .helpers import hits

IDS = NationalIdRecognizer()


@pytest.mark.parametrize("text, expected", [
    # each country's number next to its word, valid check digits or not
    ("the victim's national ID (fødselsnummer) 01019012345 was in the file", {("NATIONAL_ID", "01019012345")}),
    ("fnr: 010190 12345; personnummer 19900101-2384 and 900101+2384", {("NATIONAL_ID", "010190 12345"),
                                                                         ("NATIONAL_ID", "19900101-2384"),
                                                                         ("NATIONAL_ID", "900101+2384")}),
    ("CPR-nr. 010190-1234, henkilötunnus 010190-123N", {("NATIONAL_ID", "010190-1234"), ("NATIONAL_ID", "010190-123N")}),
    ("National identity number: 123 456 789", {("NATIONAL_ID", "123 456 789")}),
    # a passport's number, a date of birth in the usual spellings
    ("passport no. 34567891; Passport number: C01X00T47", {("PASSPORT_NUMBER", "34567891"),
                                                         ("PASSPORT_NUMBER", "C01X00T47")}),
    ("DOB: 1990-01-01, date of birth 01.01.1990, born on 1 January 1990, fødselsdato 01/01/90",
     {("DATE_OF_BIRTH", "1990-01-01"), ("DATE_OF_BIRTH", "01.01.1990"), ("DATE_OF_BIRTH", "1 January 1990"),
      ("DATE_OF_BIRTH", "01/01/90")}),
])
def test_national_id_hits(text, expected):
    assert hits(IDS, text) == expected


@pytest.mark.parametrize("text", [
    "bytes_out=44040192000 and ticket 01019012345 (no word for an identity number)",
    "Event 4624 at 2024-05-11 10:02; the national CERT was told on 2024-05-11.",
    "personal identity number fields were empty; PESEL validation was off (v2.10.3)",
    "passport photo, passport CONTROL, the Passport.js library",
    "The campaign was born in 2019; it was seen on 2024-05-11 and born again in May 2024.",
    "identity number 10.14.37.48 and national ID card readers (model 4624)",
])
def test_national_id_near_misses(text):
    assert hits(IDS, text) == set()
