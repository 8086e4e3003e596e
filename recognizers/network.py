"""IP addresses (v4, v6, defanged, with ports/CIDR) and MAC addresses.

Internal vs external is decided by policy (ipaddress + profile networks), not here.
Near misses: version strings (`10.0.19041.1`, `version 1.2.3.4`), OIDs, timestamps, dates.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from .base import Candidate, RegexRecognizer, Rule, window_before
from .defang import DOT, refang
from .entity_types import IP_ADDRESS, MAC_ADDRESS

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_VERSION_WORDS = ("version", "ver", "v", "build", "release", "rev", "firmware", "oid")


class IpAddressRecognizer(RegexRecognizer):
    ENTITIES = (IP_ADDRESS,)
    RULES = (
        Rule("ipv4", rf"(?<![\w.-])(?:{_OCTET}{DOT}){{3}}{_OCTET}(?!\w|\.\d|\[\.\]\d)", 0.9),
        Rule(
            "ipv6",
            r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})"
            r"(?:%[\w]+)?(?![\w:])|(?<![\w:])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![\w:])",
            0.9,
        ),
    )

    def check(self, cand: Candidate) -> float | None:
        version = ip_version(cand.value)
        if version is None:
            return None
        if cand.rule.name == "ipv4":
            words = window_before(cand.match.string, cand.start, 12).split()
            if words and words[-1].rstrip(":=") in _VERSION_WORDS:
                return None
        elif version == 6 and cand.value.count(":") < 2:
            return None
        return cand.score


@lru_cache(maxsize=262144)
def parse_ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """`ipaddress.ip_address`, memoized (logs repeat addresses); raises ValueError likewise."""
    return ipaddress.ip_address(value)


@lru_cache(maxsize=65536)
def ip_version(written: str) -> int | None:
    """4 or 6 for a (possibly defanged, zone-suffixed) address, None if it is not one."""
    try:
        return parse_ip(refang(written).split("%")[0]).version
    except ValueError:
        return None


class MacRecognizer(RegexRecognizer):
    ENTITIES = (MAC_ADDRESS,)
    RULES = (
        Rule("mac (colon/dash)",
             r"(?<![\w:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])", 0.85),
        Rule("mac (cisco dotted)", r"(?<![\w.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![\w.])",
             0.7, engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        digits = "".join(c for c in cand.value.lower() if c in "0123456789abcdef")
        if digits in ("000000000000", "ffffffffffff"):
            return None
        if cand.rule.name.startswith("mac (cisco") and not any(c in "abcdef" for c in digits):
            return None  # 1234.5678.9012 is more likely a number than a MAC
        return cand.score
