"""The batch-wide entity table (DESIGN.md §4) and "found once, found everywhere".

Maps a normalized value (case-folded names, refanged domains, canonical IPs) to its type,
its family (what its pseudonym number derives from) and its surface forms. Short forms are
derived when an entity is registered: FQDN -> host label, internal email -> local part and
`first.last` -> "First Last", full name -> surname / first name (only when unambiguous,
matched capitalized). `find()` reports every occurrence of every form in a text.
"""
from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from recognizers import entity_types as T
from recognizers.accounts import is_builtin
from recognizers.cloud import GCP_PROJECT_ID
from recognizers.defang import refang
from recognizers.english import is_english_word, used_as_word
from recognizers.network import parse_ip
from recognizers.people import DATE_WORDS, TITLES
from recognizers.terms import trie_alternation
from recognizers.vocabulary import is_security_term

from .policy import org_spellings, without_legal_form
from .profile import Profile

GENERIC_LOCAL_PARTS = frozenset("""
admin administrator info security soc it helpdesk support noreply no-reply root postmaster abuse
hostmaster webmaster alerts alert notifications mailer-daemon hr finance billing sales contact
team office service ir cert csirt
""".split())
_PROPAGATED = frozenset({
    T.HOSTNAME, T.DOMAIN_NAME, T.EMAIL_ADDRESS, T.USERNAME, T.AD_DOMAIN, T.PERSON, T.ORGANIZATION,
    T.CUSTOMER, T.CUSTOMER_ID, T.EMPLOYEE_ID, T.SECRET, T.AWS_ACCOUNT_ID, T.AZURE_ID, T.GCP_PROJECT,
    T.AWS_ACCESS_KEY_ID, T.POSTAL_ADDRESS, T.NATIONAL_ID, T.PASSPORT_NUMBER, T.DEVICE_ID, T.COMPANY_ID,
    T.STORAGE_BUCKET, T.PHONE_NUMBER, T.BANK_ACCOUNT,   # numbers a label made ours (`T: 0113 496 0000`), also bare
})
PERSON_TAG = "person"
PERSON_FAMILY, USER_FAMILY = "person:", "user:"   # how a family's name starts: a person's, a user name's own
# which entity a form two of them share is hunted as (after the profile's own): the most specific first
_OWNER_TYPES = {t: i for i, t in enumerate((
    T.CUSTOMER, T.CUSTOMER_ID, T.EMPLOYEE_ID, T.PERSON, T.USERNAME, T.EMAIL_ADDRESS, T.HOSTNAME, T.DOMAIN_NAME,
    T.AD_DOMAIN, T.ORGANIZATION))}
LEARNED = "@learned-domain"   # a log entry that is no entity: a domain the policy learned (`learned.py`)
SELF_ORG = "organization:self"
Key = tuple[str, str]


@dataclass
class Entry:
    entity_type: str
    norm: str
    family: str


def normalize(entity: str, value: str) -> str:
    v = _composed(refang(value.strip()))
    if entity == T.IP_ADDRESS:
        return str(parse_ip(v.split("%")[0]))
    if entity == T.PERSON:
        v = re.sub(r"(?:'s|’s)$", "", v)
        if "^" in v:  # HL7's "PETROVA^ELENA^A" (family^given^middle)
            last, first = v.split("^")[:2]
            v = f"{first} {last}"
        elif "," in v:  # "Petrova, Elena"
            last, _, first = v.partition(",")
            v = f"{first} {last}"
        return " ".join(v.lower().split())
    if entity in (T.SECRET, T.WINDOWS_SID):
        return v
    if entity == T.MAC_ADDRESS:
        return re.sub(r"[^0-9a-f]", "", v.lower())
    return " ".join(v.lower().rstrip(".").split())


def _composed(value: str) -> str:
    """NFC: `u` + U+0308 and `ü` are one name (same entity, same pseudonym)."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


def _spellings(form: str) -> set[str]:
    """A form as text may spell it: composed (NFC) and decomposed (NFD)."""
    if form.isascii():
        return {form}
    return {form, unicodedata.normalize("NFC", form), unicodedata.normalize("NFD", form)}


def propagatable(form: str) -> bool:
    """May `form` be hunted alone? Not a stop word, a built-in account, a generic mailbox, jargon,
    or a month or weekday (`Jun` of "Jun Li" would take every `18-Jun-2013`)."""
    low = form.lower()
    return len(form) >= 3 and low not in STOP_WORDS and not is_builtin(low) and \
        low not in GENERIC_LOCAL_PARTS and low not in DATE_WORDS and not is_security_term(form)


def _name_word(word: str) -> bool:
    """A name's word that may be hunted alone: letters, also with an apostrophe (`O'Neil`, `D'Angelo`). Not
    with a hyphen: NER's names of tools and techniques are hyphenated more often than surnames are."""
    return word.replace("'", "").replace("\u2019", "").isalpha() and word[0].isalpha()


class EntityTable:
    def __init__(self, profile: Profile) -> None:
        self._entries: dict[Key, Entry] = {}
        self._forms: dict[str, Key] = {}         # lower-cased surface form -> entity
        self._short: dict[str, set[Key]] = {}    # capitalized single-token person forms
        self._lock = threading.RLock()
        self._version = 0
        self._forms_version = 0
        self._log: list[tuple[str, str, str | None]] = []
        self.learned: list[str] = []             # domains learned as ours, in order (`Session.learn`)
        self._compiled: tuple[int, Any, Any, dict[str, Key]] = (-1, None, None, {})
        self._folded: tuple[int, dict[str, Key]] = (-1, {})
        self._found_names: set[Key] = set()      # people a recognizer found in a text (not the roster's)
        self._seeded: set[Key] = set()           # the profile's entities (`_seed`)
        self._user_families: dict[str, list[Key]] = {}   # a user name's own family -> its members (`_adopt`)
        self._seeding = True   # the roster gives its own user names: none are guessed for it
        self._seed(profile)
        self._seeding = False

    # --- registration ----------------------------------------------------------------
    def _seed(self, profile: Profile) -> None:
        for emp in profile.employees:
            anchor = emp.name or emp.username or emp.email
            family = f"{PERSON_FAMILY}{normalize(T.PERSON, anchor)}"
            if emp.name:
                self.register(T.PERSON, emp.name, family=family)
            if emp.username:
                self.register(T.USERNAME, emp.username, family=family)
            if emp.email:
                self.register(T.EMAIL_ADDRESS, emp.email, family=family)
        for dom in profile.ad_domains:
            self.register(T.AD_DOMAIN, dom)
        for dom in profile.internal_domains:   # also where no text names them: `DC=hb,DC=local`
            self.register(T.DOMAIN_NAME, dom)
        for name in profile.org_names + org_spellings(profile):  # aliases of one organisation: one pseudonym
            self.register(T.ORGANIZATION, name, family=SELF_ORG)

    def register(self, entity: str, value: str, *, family: str | None = None) -> Key:
        norm = normalize(entity, value)
        key = (entity, norm)
        with self._lock:
            existing = self._entries.get(key)
            if existing is not None:
                if family and family.startswith(PERSON_FAMILY) and existing.family.startswith(USER_FAMILY):
                    self._adopt(existing.family, family)   # `mberg` met before Maria Berg was found
                    self._log.append((entity, value, family))
                elif family is not None and key in self._found_names:
                    # a person NER found is also named by an address or the roster: hunted in lower case
                    # too (`maria berg`), as when the address is read first
                    self._found_names.discard(key)
                    self._version += 1
                    self._log.append((entity, value, family))
                return key
            self._log.append((entity, value, family))
            if family is None:
                family = self._derive_family(entity, norm)
                if entity == T.PERSON and " " in norm:
                    self._found_names.add(key)
            self._entries[key] = Entry(entity, norm, family)
            if family.startswith(USER_FAMILY):
                self._user_families.setdefault(family, []).append(key)
            if self._seeding:
                self._seeded.add(key)
            self._version += 1
            if entity in _PROPAGATED:
                self._add_forms(entity, norm, value, family)
                self._forms_version += 1   # what `find` hunts changed (an ARN, an IP named in pass 2: not)
            return key

    def _adopt(self, old: str, family: str) -> None:
        """A person found now claims a user name that stood for itself (its own family, with the addresses
        that took it): all of them become that person's, as if the person had been found first, so that
        numbers and `person-`/`user-` addresses do not depend on the order the files are read in."""
        for key in self._user_families.pop(old, ()):
            entry = self._entries[key]
            self._entries[key] = Entry(entry.entity_type, entry.norm, family)
        self._version += 1

    def _derive_family(self, entity: str, norm: str) -> str:
        if entity == T.USERNAME:
            return f"{USER_FAMILY}{norm}"
        if entity == T.PERSON:
            return f"{PERSON_FAMILY}{norm}"
        if entity == T.EMAIL_ADDRESS:
            local = norm.split("@")[0]
            person = _name_from_local(local)
            if person:
                pkey = (T.PERSON, person)
                return self._entries[pkey].family if pkey in self._entries else f"{PERSON_FAMILY}{person}"
            ukey = (T.USERNAME, local)
            return self._entries[ukey].family if ukey in self._entries else f"{USER_FAMILY}{local}"
        return f"{entity}:{norm}"

    def _add_form(self, form: str, key: Key) -> None:
        """`form` hunted as `key`; a form two entities have (`Nordvik Kraft` a customer, and an organisation
        in another text) is the one `_owner_rank` puts first, whatever order they came in."""
        for spelling in _spellings(" ".join(form.lower().split())):
            owner = self._forms.get(spelling)
            if owner is None or owner != key and self._owner_rank(key) < self._owner_rank(owner):
                self._forms[spelling] = key

    def _owner_rank(self, key: Key) -> tuple[int, int, Key]:
        """The profile's entities first, then by type (`_OWNER_TYPES`), then by name."""
        return key not in self._seeded, _OWNER_TYPES.get(key[0], len(_OWNER_TYPES)), key

    def _add_forms(self, entity: str, norm: str, value: str, family: str) -> None:
        key = (entity, norm)
        single = " " not in norm and "." not in norm and "@" not in norm
        if entity == T.PERSON and single:
            if propagatable(norm) and _name_word(norm):
                self._short.setdefault(norm, set()).add(key)
            return
        if entity in (T.HOSTNAME, T.USERNAME, T.AD_DOMAIN) and single and \
                (not propagatable(norm) or is_english_word(norm)):
            return  # `admin`, `splunk`, `software`: replaced where detected, never hunted as a word
        if entity == T.SECRET and (len(value) < 8 or is_english_word(value) or value.isdigit()):
            return  # short or word-like secrets are replaced where found, not hunted everywhere
        self._add_form(norm if entity != T.SECRET else value, key)
        if entity == T.ORGANIZATION and (short := without_legal_form(norm)):
            self._add_form(short, key)   # `Halvorsen Bank ASA` is `Halvorsen Bank`
        if entity == T.DOMAIN_NAME and "." in norm:   # as an LDAP DN spells it: `dc=hb,dc=local`
            for sep in (",", ", "):
                self._add_form(sep.join(f"dc={label}" for label in norm.split(".")), key)
        if entity == T.HOSTNAME and "." in norm:
            label = norm.split(".", 1)[0]
            if propagatable(label) and re.search(r"[\d_-]", label):
                self.register(T.HOSTNAME, label)
        elif entity == T.EMAIL_ADDRESS:
            local = norm.split("@")[0]
            person = _name_from_local(local)
            if person:
                self.register(T.PERSON, person, family=family)
            if propagatable(local):
                self.register(T.USERNAME, local, family=family)
            project = re.fullmatch(rf"[^@]+@({GCP_PROJECT_ID})\.iam\.gserviceaccount\.com", norm)
            if project:   # a GCP service account names its project: `…@acme-prod-4412.iam.gserviceaccount.com`
                self.register(T.GCP_PROJECT, project.group(1))
        elif entity == T.PERSON:
            words = norm.split()
            if words[0].rstrip(".") in TITLES:
                return   # `Mrs. World`: the name with its title only (people.py: its word is a common word)
            if len(words) >= 2:
                self._add_form(f"{words[-1]}, {' '.join(words[:-1])}", key)
                for w in (words[0], words[-1]):
                    if propagatable(w) and _name_word(w):
                        self._short.setdefault(w, set()).add(key)
                if not self._seeding:   # `jkowalski` of a Jan Kowalski found in a report: his user
                    for user in _user_names(words):
                        self.register(T.USERNAME, user, family=family)
                surname = words[-1]
                if sum(" " in k[1] for k in self._short.get(surname, ())) >= 2 and not is_english_word(surname):
                    # two people share it (Tomasz and Anna Nowak): `Nowak` alone is still one of
                    # them, so it is an entity of its own (neither person's pseudonym), hunted too
                    self.register(T.PERSON, surname)

    def log(self) -> list[tuple[str, str, str | None]]:
        """Every registration in order; `replay` on another table rebuilds this one."""
        with self._lock:
            return list(self._log)

    def note_learned(self, domain: str) -> None:
        """Log a learned internal domain, so a table replayed from this log teaches it too."""
        with self._lock:
            if domain not in self.learned:
                self.learned.append(domain)
                self._log.append((LEARNED, domain, None))

    def replay(self, log: list[tuple[str, str, str | None]]) -> None:
        for entity, value, family in log:
            if entity == LEARNED:
                self.note_learned(value)
            else:
                self.register(entity, value, family=family)

    # --- lookup ------------------------------------------------------------------------
    def key_for(self, entity: str, value: str) -> Key:
        """The entity a surface form belongs to, registering it if new."""
        low = " ".join(refang(value).lower().split())
        with self._lock:
            norm_key = (entity, normalize(entity, value))
            if entity == T.PERSON and norm_key[1] in self._short:
                key = self._short_key(norm_key[1])   # "Nowak" -> Tomasz Nowak, as the table hunts it
                if key is not None:
                    if key != norm_key and norm_key not in self._entries:
                        # found alone: so noted, as when it is found before the full name, so that the
                        # table is the same in any order (a second Marta met later makes `Marta` alone a
                        # person of its own now, not only when pass 2 names it)
                        self.register(entity, value)
                    return key
            if norm_key in self._entries:
                return norm_key
            if low in self._forms and self._forms[low][0] == entity:
                return self._forms[low]
            return self.register(entity, value)

    @property
    def version(self) -> int:
        """Changes whenever an entity is registered."""
        return self._version

    def entry(self, key: Key) -> Entry:
        return self._entries[key]

    def entries(self) -> list[Entry]:
        with self._lock:
            return list(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def _short_key(self, word: str) -> Key | None:
        """The entity a name's word alone (`Nowak`, `Tomasz`) stands for, whatever order the
        names were registered in: the one person who has it (also when it was found alone),
        or the word found alone; when several people have it, the word as a person of its own if
        it was found alone or is their surname (registered then) — neither person's pseudonym —
        unless it is an English word (NER's headings: `Cryptographic Storage`): a shared word like
        that, or a shared first name, is not hunted alone."""
        owners = self._short[word]
        lone = (T.PERSON, word)
        full = [k for k in owners if k != lone]
        if len(full) == 1:
            return full[0]
        if not full:
            return lone
        return lone if lone in owners and not is_english_word(word) else None

    def _patterns(self) -> tuple[Any, Any, dict[str, Key]]:
        """The case-insensitive forms, the case-sensitive short forms (`Nowak`, `NOWAK`), and
        each short form as written -> its entity (`IŞIK`.lower() is not `ışık`)."""
        with self._lock:
            if self._compiled[0] == self._forms_version:
                return self._compiled[1:]
            forms = sorted(self._forms, key=len, reverse=True)
            written: dict[str, Key] = {}
            for w in sorted(w for w in self._short if w not in self._forms):
                key = self._short_key(w)
                if key is None:
                    continue
                # in capitals only from four letters: `NAT`, `TDI` are acronyms more often than `Nat`, `Tdi`
                upper = _spellings(w.upper()) if len(w) >= 4 else set()
                for spelling in _spellings(w.title()) | upper:   # `O'Neil` too
                    written.setdefault(spelling, key)
                written.setdefault("@" + w, key)   # `@dana` in a chat: a mention of Dana Whitfield (the `@` stays)
            ci = _alternation(forms, re.IGNORECASE)
            cs = _alternation(list(written), 0)
            self._compiled = (self._forms_version, ci, cs, written)
            return ci, cs, written

    def find(self, text: str, words_from: str | None = None) -> list[tuple[int, int, Key]]:
        """Every occurrence of a known form in `text`: (start, end, entity key). A name's word alone
        that is an English word the text also writes in lower case (`Common`, `Module` of what NER
        took for "Common Ground", "Module Type") is a word there, not the person; so is a found
        person's name written in lower case (`request forgery`). `words_from`: the
        text that decides this (verification reads the output of `words_from`, and must decide as
        planning did)."""
        words_from = text if words_from is None else words_from
        ci, cs, written = self._patterns()
        hits: list[tuple[int, int, Key]] = []
        if ci is not None:
            forms, found_names = self._forms, self._found_names
            for m in ci.finditer(text):
                found = m.group(0)
                if text[m.end():m.end() + 1] in ("s", "S") and _a_plural(found.lower()):
                    continue   # `Networks` of a form `network`: a plural, not a genitive
                key = forms.get(" ".join(found.lower().split()))
                key = key if key is not None else self._folded_form(found)
                if key in found_names and found.islower() and " " in found.strip():
                    continue   # `request forgery` of what NER took for a person in another text ("Request Forgery")
                hits.append((m.start(), m.end(), key))
        if cs is not None:
            worded: dict[str, bool] = {}
            for m in cs.finditer(text):
                word = m.group(0).lower()
                if text[m.end():m.end() + 1] in ("s", "S") and _a_plural(word):
                    continue   # `References` of NER's "Reference Guide": a plural, not `Hildes` (Hilde's)
                if is_english_word(word):
                    if word not in worded:   # `Module` of NER's "Module Type" in a text that says "the module"
                        worded[word] = used_as_word(word, words_from)
                    if worded[word]:
                        continue
                if word[0] == "@" and (text[m.end():m.end() + 1] in ("(", "_", "-")
                                       or _DOT_WORD.match(text, m.end())):
                    continue   # `@mark.parametrize`, `@dana(…)`: a decorator; `@paolo_3_1415926`: a longer handle
                hits.append((m.start() + (word[0] == "@"), m.end(), written[m.group(0)]))
        return hits

    def _folded_form(self, found: str) -> Key:
        """The entity of a match whose lower case is not a form as registered: `re.IGNORECASE`
        folds more than `lower()` does (`ſ` for s, `İ`/`ı` for i — every Turkish capital I).
        Remembered per written string until the table changes."""
        norm = " ".join(found.split())
        if self._folded[0] != self._forms_version:
            self._folded = (self._forms_version, {})
        key = self._folded[1].get(norm)
        if key is None:
            key = next((k for form, k in self._forms.items()
                        if len(form) == len(norm) and all(map(_same_ignoring_case, form, norm))), None)
            if key is None:
                raise LookupError(f"no registered form matches {found!r}")
            self._folded[1][norm] = key
        return key


@lru_cache(maxsize=4096)
def _same_ignoring_case(a: str, b: str) -> bool:
    """Two characters, compared as `re.IGNORECASE` compares them."""
    return a == b or re.fullmatch(re.escape(a), b, re.IGNORECASE) is not None


def _user_names(words: list[str]) -> list[str]:
    """The user names a person's name is most often turned into (`jkowalski`, `jan.kowalski`,
    `j.kowalski`: also the local part of an address at a domain not known to be ours), where they
    are specific enough to hunt. Not `jan_kowalski`: file names and URLs join a title's words so
    (`Dark_Seoul_Cyberattack.pdf` of NER's "Dark Seoul")."""
    first, last = words[0], words[-1]
    if not (first.isalpha() and last.isalpha()) or len(last) < 3:
        return []
    forms = {f"{first[0]}{last}", f"{first}.{last}", f"{first[0]}.{last}"}
    forms |= {folded for f in forms if (folded := _ascii_folded(f)) is not None}   # `jweiss` of Jürgen Weiß
    return sorted(u for u in forms if len(u) >= 5 and propagatable(u) and not is_english_word(u))


_FOLD = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                       "ı": "i"})


def _ascii_folded(value: str) -> str | None:
    """`jürgen.weiß` -> `jurgen.weiss`, as directories spell user names; None if already ASCII
    or not foldable."""
    if value.isascii():
        return None
    folded = "".join(c for c in unicodedata.normalize("NFKD", value.translate(_FOLD))
                     if not unicodedata.combining(c))
    return folded if folded.isascii() else None


# a service or admin account's prefix: `svc_backup`, `adm.jdoe`, `sa_sql` name no "Svc Backup"
_ACCOUNT_PREFIXES = frozenset("svc srv sa adm admin app sys svcacct service test tmp bot ext".split())


def _name_from_local(local: str) -> str | None:
    m = re.fullmatch(r"([^\W\d_]{2,})[._]([^\W\d_]{2,})", local)   # `jürgen.weiß` too
    if not m or is_security_term(m.group(1)) or local in GENERIC_LOCAL_PARTS \
            or m.group(1).lower() in _ACCOUNT_PREFIXES:
        return None
    return f"{m.group(1)} {m.group(2)}"


_DOT_WORD = re.compile(r"\.\w")   # after `@dana`: a decorator's attribute (`@mark.parametrize`)


def _a_plural(form: str) -> bool:
    """Is `form` + `s` an English plural or verb form rather than a genitive (`References`, `Marks`)?"""
    return is_english_word(form) or is_english_word(form + "s")


def _alternation(forms: list[str], flags: int) -> Any:
    """`re` (measured on a 1 MB log with 4.7k host names and on the 1 MB report batch: 3-4x faster
    to scan and 4x faster to compile these tries than the `regex` engine). A form is also found with the
    genitive `s` of the Nordic languages and German after it (`Hildes laptop`, `Solbergs PC`), which stays."""
    if not forms:
        return None
    return re.compile(r"(?<![A-Za-z0-9])" + trie_alternation(forms) + r"(?=s?(?![A-Za-z0-9]))", flags)
