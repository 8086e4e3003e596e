import pytest

from recognizers.network import IpAddressRecognizer, MacRecognizer

from .helpers import values

IP = IpAddressRecognizer()
MAC = MacRecognizer()


@pytest.mark.parametrize("text, expected", [
    ("src 10.0.3.17 dst 8.8.8.8", {"10.0.3.17", "8.8.8.8"}),
    ("(10.14.7.88)", {"10.14.7.88"}),
    ("connect 185.174.136.17:443", {"185.174.136.17"}),
    ("net 192.168.10.0/24", {"192.168.10.0"}),
    ("defanged 10[.]0[.]0[.]1 here", {"10[.]0[.]0[.]1"}),
    ("src_ip=10.14.250.3,", {"10.14.250.3"}),
    ("v6 fe80::1ff:fe23:4567:890a%eth0 and 2001:db8::8a2e:370:7334", {"fe80::1ff:fe23:4567:890a%eth0", "2001:db8::8a2e:370:7334"}),
    ("url http://10.1.1.1/x", {"10.1.1.1"}),
])
def test_ip_hits(text, expected):
    assert values(IP, text) == expected


@pytest.mark.parametrize("text", [
    "Windows 10.0.19041.1 build",          # version string with four+ parts
    "version 10.2.3.4",                    # version string that is a valid IP
    "OID 1.3.6.1.4.1.311.21.8",            # OID
    "at 10:22:01 UTC",                      # time
    "999.1.1.1 and 1.2.3",                 # not IPs
    "date 2024.03.14",
])
def test_ip_near_misses(text):
    assert values(IP, text) == set()


@pytest.mark.parametrize("text, expected", [
    ("mac=00:50:56:A1:3F:7C", {"00:50:56:A1:3F:7C"}),
    ("MAC 3c-52-82-1f-9a-0b.", {"3c-52-82-1f-9a-0b"}),
    ("cisco 0050.56a1.3f7c", {"0050.56a1.3f7c"}),
])
def test_mac_hits(text, expected):
    assert values(MAC, text) == expected


@pytest.mark.parametrize("text", ["ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "1234.5678.9012",
                                  "fe80::1ff:fe23:4567:890a", "10:22:01"])
def test_mac_near_misses(text):
    assert values(MAC, text) == set()
