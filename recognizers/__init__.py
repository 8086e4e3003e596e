"""redactor's Presidio recognizers, one concern per module, listed explicitly (no discovery).

`standard_recognizers()` returns the profile-independent set; `redactor.engine` adds the
profile's lists and patterns and builds the one AnalyzerEngine.
"""
from __future__ import annotations

from . import stackroom  # noqa: F401 - first: imports Presidio (and spaCy) with frame stack to spare
from presidio_analyzer import EntityRecognizer

from . import entity_types
from .accounts import AccountRecognizer, MachineAccountRecognizer
from .addresses import AddressRecognizer
from .cloud import CloudRecognizer
from .contact import PhoneNumberRecognizer
from .financial import BankAccountRecognizer, financial_recognizers
from .hl7 import Hl7Recognizer
from .hostnames import DomainRecognizer, HostnameRecognizer
from .identifiers import IdentifierRecognizer
from .indicators import IndicatorRecognizer
from .listings import NetListingRecognizer
from .national_ids import NationalIdRecognizer
from .network import IpAddressRecognizer, MacRecognizer
from .people import NameFieldRecognizer, NerPersonRecognizer
from .secrets import SecretRecognizer
from .tables import TableColumnRecognizer
from .terms import TermsRecognizer
from .web import EmailAddressRecognizer, UrlLinkRecognizer
from .windows import SidRecognizer

__all__ = [
    "AccountRecognizer", "AddressRecognizer", "BankAccountRecognizer", "CloudRecognizer", "DomainRecognizer", "EmailAddressRecognizer",
    "HostnameRecognizer", "Hl7Recognizer", "IdentifierRecognizer", "IndicatorRecognizer", "IpAddressRecognizer",
    "MacRecognizer",
    "MachineAccountRecognizer", "NameFieldRecognizer", "NationalIdRecognizer", "NerPersonRecognizer", "NetListingRecognizer", "PhoneNumberRecognizer",
    "SecretRecognizer", "SidRecognizer", "TableColumnRecognizer", "TermsRecognizer", "UrlLinkRecognizer", "entity_types",
    "standard_recognizers",
]


def standard_recognizers(*, internal_domains: tuple[str, ...] = (),
                         hostname_patterns: tuple[str, ...] = (),
                         use_ner: bool = True) -> list[EntityRecognizer]:
    recs: list[EntityRecognizer] = [
        IpAddressRecognizer(), MacRecognizer(), DomainRecognizer(internal_domains),
        HostnameRecognizer(hostname_patterns), AccountRecognizer(), MachineAccountRecognizer(), NetListingRecognizer(),
        SidRecognizer(), CloudRecognizer(), SecretRecognizer(), EmailAddressRecognizer(), UrlLinkRecognizer(),
        IndicatorRecognizer(), NameFieldRecognizer(), PhoneNumberRecognizer(), AddressRecognizer(), IdentifierRecognizer(),
        TableColumnRecognizer(), NationalIdRecognizer(), Hl7Recognizer(),
        *financial_recognizers(),   # Presidio's validated ones (Luhn, mod-97, ABA, SSN, NINO) + ours
    ]
    if use_ner:
        recs.append(NerPersonRecognizer())
    return recs
