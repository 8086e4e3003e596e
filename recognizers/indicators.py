"""Indicators peers need, recognized so that nothing else eats them: hashes (MD5, SHA-1,
SHA-256, SHA-512, ssdeep), CVE IDs and MITRE ATT&CK IDs. Policy always keeps these.
"""
from __future__ import annotations

from .base import RegexRecognizer, Rule
from .entity_types import ATTACK_ID, CVE_ID, HASH


CVE = r"CVE-\d{4}-\d{4,7}"


class IndicatorRecognizer(RegexRecognizer):
    ENTITIES = (HASH,)
    RULES = (
        Rule("hex hash", r"(?<![\w-])(?:[0-9a-fA-F]{128}|[0-9a-fA-F]{64}|[0-9a-fA-F]{40}|[0-9a-fA-F]{32})(?![\w-])",
             0.6, ((0, HASH),)),
        Rule("ssdeep", r"(?<![\w:/+])\d{1,8}:[A-Za-z0-9/+]{3,}:[A-Za-z0-9/+]{3,}(?:,\"?[^\s\"]+\"?)?(?![\w/+])",
             0.6, ((0, HASH),), engine="regex"),
        Rule("cve", rf"(?i)\b{CVE}\b", 0.6, ((0, CVE_ID),), triggers=('cve-',), engine="regex"),
        Rule("att&ck", r"\b(?:T[A]?\d{4}(?:\.\d{3})?|[SGM]\d{4}|DS\d{4})\b", 0.6, ((0, ATTACK_ID),), engine="regex"),
    )
