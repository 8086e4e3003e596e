"""Postal addresses: a street with its number and the postcode and town after it, as signatures,
contact cards and "the branch at …" sentences write them. The postcode is what makes it one.

`Strandveien 20, 1366 Lysaker`, `Hauptstraße 5\\n10115 Berlin`, `Kungsgatan 12, 111 43 Stockholm`,
`1 Northbridge Way, Leeds LS1 4AP`, `350 Fifth Avenue, Suite 4100, New York, NY 10118`,
`12 rue de Rivoli, 75001 Paris`, `Calle Mayor 5, 28013 Madrid`. The country after it stays.
Near misses: `Windows Server 2019, 1607 build`, `port 443, 8080 Proxy`, `version 20, 1366 Lysaker`
(no street word), `Monitoring 5, 1234 Events` (an English word that ends like a street: `-ring`, `-gate`),
`Street 20` alone, `20 Main Street, Springfield` without a postcode (too weak alone).
"""
from __future__ import annotations

from .base import Candidate, RegexRecognizer, Rule
from .english import is_english_form
from .entity_types import POSTAL_ADDRESS

# (ASCII literals only, non-ASCII letters as classes: the prefilter reads every pattern, see prefilter.py)
_CAP = r"\p{Lu}[\p{L}\p{M}'.-]*"          # a capitalized word of any script
_NAMEWORD = r"[\p{L}\p{M}'.-]+"            # a word of a street's name (`de`, `Karl`, `Johans`)
# a street type glued to its name (`Strandveien`, `Kungsgatan`, `Hauptstraße`) or written apart (`Karl Johans gate`)
_EU_SUFFIX = (r"(?:stra\w{1,2}e|str\.|gasse|weg|allee|platz|ring|damm|ufer|veien|vegen|vei|veg|gata|gaten|gate|"
              r"gatan|v\wgen|v\wg|gr\wnd|torget|torg|gaden|gade|vejen|vej|str\wde|plads|straat|laan|gracht|plein|kade|dijk|katu|tie|kuja|"
              r"kaien|kaia|kajen|kaj|kai|bryggen|brygga|brygge|plassen|plass|platsen|stredet|str\wdet|all\w|alle)")
_EN_SUFFIX = (r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Way|Drive|Dr\.?|Boulevard|Blvd\.?|Place|Pl\.?|"
              r"Square|Sq\.?|Court|Ct\.?|Terrace|Crescent|Close|Parkway|Pkwy\.?|Highway|Hwy\.?|Row|Wharf|Quay|"
              r"Gardens|Walk|Circle|Plaza)")
_EN_STREET = rf"(?:(?:{_CAP}[ ]){{1,3}}{_EN_SUFFIX}|Broadway|Bishopsgate|Moorgate|Aldgate|Cheapside|Strand)"
_LEAD = r"(?:[Rr]ue|[Aa]venue|[Bb]oulevard|[Pp]lace|[Qq]uai|[Vv]ia|[Vv]iale|[Pp]iazza|[Cc]orso|Calle|Avenida|Rua|Paseo|Plaza|[Uu]l\.)"
_NUMBER = r"\d{1,5}(?:[ ]?[A-Za-z](?![\w]))?(?:[ ]?[-/][ ]?\d{1,5}[A-Za-z]?)?"
_UNIT = r"(?:,[ ]*(?:Suite|Ste\.?|Floor|Fl\.?|Unit|Level|Building|Bldg\.?|Apt\.?|\d{1,2}(?:st|nd|rd|th)[ ]Floor)[^,\n]{0,20})?"
_BETWEEN = r"(?:,[ \t]*|[ \t]*\r?\n[ \t]*)"   # on one line after a comma, or the town on the next line
_TOWN = rf"{_CAP}(?:[ -]{_CAP}){{0,2}}"
_EU_POST = rf"(?:\d{{4,5}}|\d{{3}}[ ]\d{{2}}|\d{{4}}[ ]?[A-Z]{{2}}|\d{{2}}-\d{{3}}|[A-Z]{{1,2}}-\d{{4,5}})[ ]{_TOWN}"
_UK_POST = r"[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}"
_US_ZIP = r"[A-Z]{2}[ ]\d{5}(?:-\d{4})?"
_EN_TAIL = rf"{_TOWN}(?:,?[ ]{_UK_POST}|,[ ]{_US_ZIP})"

# implied by the street part (one to five words, each then a space) and its number: tested first, so a
# capitalized word with no number after it is not tried against every street suffix at every letter
_NUMBER_SOON = r"(?=(?:[\w\p{M}'.-]+[ ]){1,5}\d)"
_STREET_EU = rf"(?:(?:{_CAP}[ ]){{0,2}}(?P<glued>{_CAP}{_EU_SUFFIX})|(?:{_CAP}[ ]){{1,3}}(?i:{_EU_SUFFIX}))"


class AddressRecognizer(RegexRecognizer):
    ENTITIES = (POSTAL_ADDRESS,)
    RULES = (
        # `Strandveien 20, 1366 Lysaker`, `Karl Johans gate 5`, `Hauptstraße 5 / 10115 Berlin`
        Rule("street, number, postcode",
             rf"(?<![\w-]){_NUMBER_SOON}(?:{_STREET_EU}|{_LEAD}(?:[ ]{_NAMEWORD}){{1,4}})[ ]{_NUMBER}{_UNIT}{_BETWEEN}{_EU_POST}"
             rf"(?![\w-])", 0.85, engine="regex"),
        # `1 Northbridge Way, Leeds LS1 4AP`, `350 Fifth Avenue, Suite 4100, New York, NY 10118`,
        # `12 rue de Rivoli, 75001 Paris`
        Rule("number, street, postcode",
             rf"(?<![\w.,-])\d{{1,5}}[A-Za-z]?(?:,?[ ]{_EN_STREET}{_UNIT}{_BETWEEN}{_EN_TAIL}"
             rf"|,?[ ]{_LEAD}(?:[ ]{_NAMEWORD}){{1,4}}{_UNIT}{_BETWEEN}{_EU_POST})(?![\w-])", 0.85, engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        glued = cand.match.groupdict().get("glued")
        if glued and is_english_form(glued.lower()):
            return None   # `Monitoring 5, 1234 Events`, `Investigate 3, 2000 Hosts`: a word, not a street
        return cand.score
