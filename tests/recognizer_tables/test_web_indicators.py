import re

import pytest

from recognizers.contact import PhoneNumberRecognizer
from recognizers.indicators import IndicatorRecognizer
from recognizers.web import EmailAddressRecognizer, UrlLinkRecognizer

from .helpers import hits, values

EMAIL, URL, IND, PHONE = EmailAddressRecognizer(), UrlLinkRecognizer(), IndicatorRecognizer(), PhoneNumberRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("mail jdoe@acme-bank.com.", {"jdoe@acme-bank.com"}),
    ("sender bad[@]evil[.]com here", {"bad[@]evil[.]com"}),
    ("<payroll-notice@hr-portal.com>", {"payroll-notice@hr-portal.com"}),
    ("from jürgen.weiß@acme-bank.com.", {"jürgen.weiß@acme-bank.com"}),
    ("to oeystein.ødegård@corp.local", {"oeystein.ødegård@corp.local"}),
    ("at info@müller-bau.de", {"info@müller-bau.de"}),
    ("from ju\u0308rgen.weiß@acme-bank.com", {"ju\u0308rgen.weiß@acme-bank.com"}),   # decomposed ü
    # URL-encoded, as a login URL's `login_hint` carries it
    ("authorize?login_hint=h.solberg%40fjellheim-energi.no&x=1", {"h.solberg%40fjellheim-energi.no"}),
])
def test_email_hits(text, expected):
    assert values(EMAIL, text) == expected


@pytest.mark.parametrize("text", ["user@host", "a..b@x.com", "@mention", "root@web01", "jürgen@host",
                                  "größe@1.2.3"])
def test_email_near_misses(text):
    assert values(EMAIL, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("see hxxps://evil[.]com/a/b.js.", {"hxxps://evil[.]com/a/b.js"}),
    ("(https://wiki.acme.local/x?y=1)", {"https://wiki.acme.local/x?y=1"}),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", {"https://en.wikipedia.org/wiki/Foo_(bar)"}),
    ("smb://fs01/share", {"smb://fs01/share"}),
    # database, queue and remote-access URLs name their host as web URLs do
    ("mongodb://ro:pw@mongo-03:27017/analytics, redis://cache-01:6379/0; ssh://git@gitlab01:2222/x.git",
     {"mongodb://ro:pw@mongo-03:27017/analytics", "redis://cache-01:6379/0", "ssh://git@gitlab01:2222/x.git"}),
    ("jdbc:postgresql://pg01.corp.local:5432/hr and mongodb+srv://c0.ab1cd.mongodb.net/x",
     {"postgresql://pg01.corp.local:5432/hr", "mongodb+srv://c0.ab1cd.mongodb.net/x"}),
    ("s3://hb-payroll-exports/x and gs://bucket/y and redisson://x and mysql: 8.0", set()),
])
def test_url_hits(text, expected):
    assert values(URL, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("md5 5f4dcc3b5aa765d61d8327deb882cf99", {("HASH", "5f4dcc3b5aa765d61d8327deb882cf99")}),
    ("sha1 a94a8fe5ccb19ba61c4c0873d391e987982fbbd3", {("HASH", "a94a8fe5ccb19ba61c4c0873d391e987982fbbd3")}),
    ("CVE-2023-4966 and T1059.001, TA0001", {("CVE_ID", "CVE-2023-4966"), ("ATTACK_ID", "T1059.001"), ("ATTACK_ID", "TA0001")}),
    ("ssdeep 96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlxDrwciQmA", {("HASH", "96:s4Ud1Lj96tHHlZDrwciQmA:s4Ud1Lj96tHHlxDrwciQmA")}),
])
def test_indicator_hits(text, expected):
    assert hits(IND, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("call +47 912 34 567", {"+47 912 34 567"}),
    ("phone: (415) 555-0132", {"(415) 555-0132"}),
    # a signature's label, the number in its country's format
    ("James Whitfield\nT: 0113 496 0000\nM: 07700 900123", {"0113 496 0000", "07700 900123"}),
    ("Mobile: 912 34 567 | maria.berg@halvorsen-bank.com", {"912 34 567"}),
    ("Head of SOC | Tel. 030 1234567 | Fax: 030-1234568", {"030 1234567", "030-1234568"}),
    ("Direct: 01134960000", {"01134960000"}),
    # prose, a national format after a phone word
    ("her desk phone 22 98 76 54 and mobile number is 912 34 567; tlf. 22987654", {"22 98 76 54", "912 34 567"}),
    # ... after a comma, in German and Norwegian
    ("Ansprechpartner: Jürgen Weiß, Tel. 030 1234567, Handy 0171 2345678; Kontakt: Ole Hansen, mobil 912 34 567",
     {"030 1234567", "0171 2345678", "912 34 567"}),
    # ... also at a sentence's end
    ("Switchboard: +47 55 00 11 22, tlf. 915 22 333. Mobile: 912 34 567.", {"+47 55 00 11 22", "915 22 333", "912 34 567"}),
    # a whois-like label where no whois record is: a person's of ours
    ("IT contacts\nAdmin Phone: +47 22 98 76 54\nadmin phone: +47 912 34 567", {"+47 22 98 76 54", "+47 912 34 567"}),
])
def test_phone_hits(text, expected):
    assert values(PHONE, text) == expected


@pytest.mark.parametrize("text", ["at 2024-05-11 04:05:33", "ticket 415-555-0132", "build 20240511.3",
                                  "bytes_out=44040192000",
                                  # a label, then not a phone number
                                  "T: 2024-05-11", "D: 11.05.2024", "P: 10.14.2.9", "M: 12345", "T: 20240511",
                                  "F: 1.2.3.4567", "Tel: 192.168.1.10", "the phone: 3 calls", "Office: 4 floors",
                                  "phone 1 of 2", "the mobile app 5.2.1", "cell 12 345", "the phone was seized at 10:02 on 11.05.2024",
                                  "mobile 2024-05-11 10:02", "phone 10.14.37.48", "Fax 2 pages",
                                  "phone count 4624 1102",
                                  # a whois record's: the attacker's domain's (an indicator), also run into one line
                                  "Registrant Country: SE\nRegistrant Phone: +46.318831056\nRegistrant Phone Ext:",
                                  "domainregistry.com Registrar Abuse Contact Phone: +1-2013775952 Domain Status: OK",
                                  "Registrant Name: V Gomez\nAdmin Name: V Gomez\nAdmin Phone: +541.141311903"])
def test_phone_near_misses(text):
    assert values(PHONE, text) == set()


@pytest.mark.parametrize("written, plain", [
    ("hxxps://evil[.]com/a", "https://evil.com/a"), ("hXXp://x.com", "http://x.com"), ("fxp://a.b", "ftp://a.b"),
    ("hxxps[:]//evil[.]com", "https://evil.com"), ("hxxp[://]evil.com", "http://evil.com"),
    # a name that starts like a defanged scheme is no scheme (hypothesis drew `Fxpa Aaaa <fxpa.aaaa@…>`)
    ("fxpa.aaaa@halvorsen-bank.com", "fxpa.aaaa@halvorsen-bank.com"), ("Hxxpert", "Hxxpert"),
])
def test_refang_reads_a_defanged_scheme_only(written, plain):
    from recognizers.defang import is_defanged, refang
    assert refang(written) == plain and is_defanged(written) == (written != plain)


def test_a_name_that_starts_like_a_defanged_scheme_is_one_person(redactor):
    out = redactor.redact_text("From: Fxpa Aaaa <fxpa.aaaa@halvorsen-bank.com>\nLater Fxpa isolated it.\n").text
    n = re.search(r"From: PERSON-(\d+) <person-\1@domain-\d+\.example>", out)
    assert n and out.endswith(f"Later PERSON-{n.group(1)} isolated it.\n"), out
