"""Keyed, deterministic, readable pseudonyms.

A number is the HMAC-SHA256 of the entity's family (normalized value, or the roster person it
belongs to) under the run key, folded to 10000..99999; the entity table probes on collision.
Internal IPs stay IPs in their block, prefix-preserving (Crypto-PAn style: bit i is flipped by
a PRF of bits 0..i-1, so two hosts in one /24 stay in one /24). The PRF is one HMAC per octet
of prefix (its 255 bits cover every within-octet prefix), cached, so a log of many addresses
in few subnets costs about one HMAC per address. MACs keep their vendor OUI.
Domain SIDs keep their shape and well-known RIDs.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
from functools import lru_cache

from recognizers.network import parse_ip

NUMBER_LOW, NUMBER_SPAN = 10000, 90000
DOMAIN_SUFFIX = "example"     # RFC 2606: reserved, never resolves


@lru_cache(maxsize=256)
def _prefixlen(block: str) -> int:
    return ipaddress.ip_network(block, strict=False).prefixlen


class Pseudonymizer:
    def __init__(self, key: bytes) -> None:
        self._key = key
        self._octet_bits = lru_cache(maxsize=65536)(self._octet_bits_uncached)
        self._octet_out = lru_cache(maxsize=65536)(self._octet_out_uncached)

    def digest(self, *parts: str) -> bytes:
        return hmac.new(self._key, "\x1f".join(parts).encode("utf-8"), hashlib.sha256).digest()

    def number(self, tag: str, family: str, attempt: int = 0) -> int:
        d = self.digest("n", tag, family, str(attempt))
        return NUMBER_LOW + int.from_bytes(d[:8], "big") % NUMBER_SPAN

    # --- structured values -------------------------------------------------------------
    def ip(self, addr: str, block: str) -> str:
        """`addr`'s pseudonym inside `block` (not memoized here: the pseudonym book keeps every
        replacement it makes). Octet by octet: an octet's new value depends only on the block, the
        bits before it and its own bits, so the octets an address shares with others are looked up."""
        ip = parse_ip(addr)
        prefixlen = _prefixlen(block)
        bits = ip.max_prefixlen
        value = int(ip)
        out = value
        octet_out = self._octet_out
        for octet in range(prefixlen // 8, bits // 8):
            shift = bits - 8 * octet - 8
            byte = (value >> shift) & 255
            out ^= (byte ^ octet_out(block, octet, value >> (shift + 8), byte)) << shift
        if bits == 32:
            return f"{out >> 24}.{(out >> 16) & 255}.{(out >> 8) & 255}.{out & 255}"
        return str(ipaddress.IPv6Address(out))

    def _octet_out_uncached(self, block: str, octet: int, prefix: int, byte: int) -> int:
        """One octet's new value: bit j (from the top) flips when the PRF of the bits before the octet,
        at the index of the j bits above it, says so; the block's own bits never flip."""
        prf = self._octet_bits(block, octet, prefix)
        out = byte
        for j in range(max(0, _prefixlen(block) - 8 * octet), 8):
            if (prf >> ((1 << j) - 1 + (byte >> (8 - j)))) & 1:
                out ^= 1 << (7 - j)
        return out

    def _octet_bits_uncached(self, block: str, octet: int, prefix: int) -> int:
        """256 pseudo-random bits for one octet, given every bit before it."""
        return int.from_bytes(self.digest("ip", block, str(octet), str(prefix)), "big")

    def mac(self, mac: str) -> str:
        hexdigits = re.sub(r"[^0-9A-Fa-f]", "", mac)
        tail = self.digest("mac", hexdigits.lower()).hex()[:6]
        new = hexdigits[:6] + (tail.upper() if hexdigits.isupper() else tail)
        it = iter(new)  # write back into the original separators
        return "".join(next(it) if c in "0123456789abcdefABCDEF" else c for c in mac)

    def aws_resource(self, value: str) -> str:
        """`i-0a1b2c3d4e5f67890` -> `i-` and as many keyed hex digits: the kind of resource stays."""
        kind, _, hexid = value.partition("-")
        return f"{kind}-{self.digest('aws-resource', value.lower()).hex()[:len(hexid)]}"

    def sid(self, sid: str) -> str:
        parts = sid.split("-")
        # S-1-5-21-a-b-c[-rid]  /  S-1-12-1-a-b-c-d
        head = 4
        body, rid = parts[head:], None
        if parts[2] == "5" and len(body) == 4:
            body, rid = body[:3], body[3]
        d = self.digest("sid", "-".join(body))
        new_body = [str(1000000000 + int.from_bytes(d[4 * i:4 * i + 4], "big") % 3000000000)
                    for i in range(len(body))]
        if rid is not None and int(rid) >= 1000:
            rid = str(1000 + int.from_bytes(self.digest("rid", "-".join(body), rid)[:4], "big") % 90000)
        return "-".join(parts[:head] + new_body + ([rid] if rid is not None else []))

    def aws_account(self, account: str) -> str:
        return f"{int.from_bytes(self.digest('aws', account)[:8], 'big') % 10**12:012d}"
