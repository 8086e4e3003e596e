import pytest

from recognizers.hostnames import DomainRecognizer, HostnameRecognizer

from .helpers import values

DOM = DomainRecognizer(("acme-bank.com",))
HOST = HostnameRecognizer((r"(?i)\bfin-(?:ws|srv)-\d{3,5}\b",))


@pytest.mark.parametrize("text, expected", [
    ("from fs01.acme-bank.com", {"fs01.acme-bank.com"}),
    ("dc01.corp.local ok", {"dc01.corp.local"}),
    ("ip-10-0-3-17.ec2.internal", {"ip-10-0-3-17.ec2.internal"}),
    ("C2 evil-cdn[.]net and update.microsoft.com", {"evil-cdn[.]net", "update.microsoft.com"}),
    ("acme-bank.com itself", {"acme-bank.com"}),
])
def test_domain_hits(text, expected):
    assert values(DOM, text) == expected


@pytest.mark.parametrize("text", ["ran svchost.exe and config.json", "os.path.join(a)",
                                  "setup.py install", "report.pdf attached", "v1.2.3"])
def test_domain_near_misses(text):
    assert values(DOM, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("host fs01 was", {"fs01"}),
    ("Computer: FIN-WS-0231", {"FIN-WS-0231"}),
    ("ComputerName=JMP-02 ", {"JMP-02"}),
    (r"copied to \\fileserver\share", {"fileserver"}),
    ("lateral to DC01 via SMB", {"DC01"}),
    ("fin-srv-0042 down", {"fin-srv-0042"}),
    ("node ip-10-0-3-17 restarted", {"ip-10-0-3-17"}),
])
def test_hostname_hits(text, expected):
    assert values(HOST, text) == expected


@pytest.mark.parametrize("text", ["Windows Server 2019", "SQL2019 instance", "the host was down",
                                  "host is EDR-protected", r"\\?\C:\x", "TLP and C2 and T1059",
                                  r"HKLM\\SOFTWARE\\Microsoft", r'"Global\\FwtSqmSession"', r"\\server\share"])
def test_hostname_near_misses(text):
    assert values(HOST, text) == set()
