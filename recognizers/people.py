"""People: spaCy NER PERSON filtered through the security vocabulary, plus display names in
`From:`/`To:`/`Cc:` headers, chat speaker labels and @mentions, signatures, after a title (`Ms. Patel`) and
after a role (`analyst`, `assigned to`, a label: `On-call: Kowalski`), Outlook's printed headers
(`From: Kowalczyk, Marta`), systeminfo's `Registered Owner`. Roster names come from the profile (`terms.py`);
names derived from internal email local parts are added by the entity table (`redactor/entities.py`).
Near misses: `Cobalt Strike`, `Mimikatz`, `TLP`, `EDR`, `C2` tagged PERSON/ORG by NER; `Tue Jun` (a date).
"""
from __future__ import annotations

import csv
import itertools
import re

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .base import RECOGNIZER_ID_KEY, RECOGNIZER_NAME_KEY, Candidate, RegexRecognizer, Rule, in_blob
from .entity_types import ORGANIZATION, PERSON, USERNAME
from .english import is_english_form, is_english_word, used_as_word
from .hostnames import FILE_EXTENSIONS, MARKS, list_item
from .identifiers import LEGAL
from .shapes import (DASH_RULE, QUOTED, SIGN_OFF, SIGN_OFF_WORDS, TICKET_FIELD_WORDS, TICKET_FIELDS,
                     aligned_columns)
from .vocabulary import is_security_term

# capitalized words of any script (`Øystein Ødegård`, `Jürgen Weiß`, also decomposed: `U` + U+0308):
# `regex` engine classes
_UP = r"\p{Lu}\p{M}*"
_LOW = r"[\p{Ll}\p{M}]"
# also `O'Neil`, `McKay`, `Abu-Bakr`; not the `'s` of `Raman's`
_WORD = rf"(?:{_UP}'|Ma?c)?{_UP}{_LOW}+(?:(?:-|'(?!s(?!{_LOW})))(?:{_UP})?{_LOW}+)?"
_NAME = rf"{_WORD}(?:[ ]{_WORD}){{1,3}}"
_CHAT_TIME = r"(?:\[?\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp][Mm])?\]?)"
# a line that is a speaker's header in a copied chat: a name (one word or more), then a time
_CHAT_HEADER = regex.compile(rf"(?m)^[ \t]*\p{{Lu}}[^\n]{{0,60}}?[ \t]+{_CHAT_TIME}[ \t]*\r?$")
TITLES = ("mr", "mrs", "ms", "mx", "dr", "prof", "sir", "herr", "herrn", "frau", "fru", "mme", "mlle")
# a mail's greeting word, which NER takes into the name after it (`Hallo Jonas`, `Bonjour Jonas`)
GREETINGS = frozenset({"hi", "hello", "hey", "dear", "hallo", "hei", "hej", "moin", "bonjour", "salut", "hola", "ciao",
                       "buongiorno", "servus", "hoi", "dag", "god"})
# a department or a role, as a person's is written after the name: `Odd Haugen (Finance)`
_DEPARTMENTS = (r"finance|accounting|accounts payable|payroll|hr|human resources|legal|procurement|purchasing|sales|"
                r"marketing|it|it ops|it operations|it security|it support|operations|engineering|helpdesk|service desk|"
                r"management|communications|facilities|ot|networking|network team|soc|security|ciso|cio|cto|ceo|cfo|"
                r"coo|dpo|intern|contractor|consultant|analyst")
_DEPARTMENT_LEADS = sorted({w.split()[0] for w in _DEPARTMENTS.split("|")})
# ... and a sign-off's (`Mvh Hilde`, `Regards Anders`, `Thanks Marit`)
SIGN_OFF_LEADS = frozenset({"mvh", "regards", "thanks", "thx", "cheers", "best", "br", "hilsen", "takk", "danke",
                            "cordialement", "sincerely"})
_LEGAL_FORM = re.compile(LEGAL)
_AFTER_LEGAL_FORM = re.compile(r"[ ]" + LEGAL + r"(?![\w])")
# a column gap in a form or a table row (`Reporter: Hilde Solberg   Components: OT`): no name has one inside
_COLUMN_GAP = re.compile(r"[ ]{2,}|\t")
# the lower-case words a name can start with (`van der Stock`, `de la Cruz`, `al-Assad`)
PARTICLES = frozenset("van von der den de del della di da du dos das do la le ter ten bin ibn al el af zu".split())
# what dates are written with: NER takes `Tue Jun` (of `Tue Jun 15 20:23:37 2010`) for a person
DATE_WORDS = frozenset("""
mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday saturday sunday
jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june july august
september october november december
""".split())
# words of Active Directory's own objects (`CN=Default Domain Policy`, `CN=Enterprise Admins`)
_DIRECTORY_WORDS = frozenset("""
default domain policy policies users computers system builtin group groups admins controllers service
services accounts configuration schema sites program data microsoft enterprise owners operators
readers publishers servers exchange security principals container keys objects settings template
templates certificate authorities online
""".split())
_CSS_AT_RULES = frozenset({"font-face", "counter-style", "font-feature-values", "font-palette-values",
                           "starting-style", "position-try"})
# after a title, products rather than people
_TITLED_NOT_NAMES = frozenset({"watson", "web", "solomon", "robot"})
# words the small model takes for parts of names, never part of one: a report's headings
# (`Appendix B`, `Mosquito Indicators`, `Versions Affected`, `OSX Malwares`), code literals
# (`False\n End`, `REM Delete`), technical nouns (`Rich Headers`, `Cloud Build`)
_NOT_NAME_WORDS = frozenset("""
appendix annex indicators versions affected malwares sample samples
true false null none end rem
headers cloud
group team gang crew department support helpdesk desk services
abteilung avdeling avdelning afdeling
telecom telekom embassy foundation ministry university institute agency government corporation bank labs
customer client merchant vendor supplier
id ids
scanner server viewer monitor explorer console toolkit framework loader dropper stealer backdoor ransomware wiper
exploit scheduler updater installer
identifier identifiers protocol algorithm algorithms interface setup coupling tool tools
lab size length info config hashes record library format cipher proxy inspection warfare
""".split())   # `Sincerely,\n\nBIANLIAN GROUP` (a ransom note's signature), `Thanks,\nIT Support Team`,
# `assigned to China Telecom`, `the Indian Embassy`: an organisation's noun; `Customer Fabrikam Insurance`:
# a customer's name (identifiers.py) after its word; `SoftPerfect Network Scanner`, `Remote Desktop Viewer`: a tool
# (and `Unique Identifier`, `Hyper Text Transfer Protocol`, `Cookie Setup` of a standard's headings; `Image Size`,
# `Boot Record`, `Rivest Cipher`, `Citizen Lab` of old reports' PDFs)
# code the small model takes for names: `s.Fill`, `.NameFarEast`, `RunningJob.count` (a dot inside
# or before a word, but not initials such as `J.R.R.`), a lone lower-case letter (`Solid s`)
# letters of any script (also decomposed), joined by `-'’.,` (`Mary-Jane`, `O'Neil`, `J.R.R.`, `Nowak,`):
# not `Ć»Čä` (a hex dump's text column)
_NAME_TOKEN = re.compile(rf"(?:[^\W\d_]|[{MARKS}])+(?:[-'’.,](?:[^\W\d_]|[{MARKS}])*)*")
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{5,}")
# what follows a field label in ipconfig-style output: ` . . . . :`
_DOT_LEADER = re.compile(r"[ \t]*(?:\.[ \t]*){2,}:")
_CODE_WORD = re.compile(r"(?!(?:[A-Z]\.)+$)(?:.*\w\.\w|\.)|[a-z]\.?$")
# a word the small model takes for part of a name that no name is: code's `dwMilliseconds`, and a
# PDF's words run together (`theuseoftheCite`, `NorthropGrummanMay`, `SenderPolicy`); not `McDonald`,
# `MacArthur`, `DiCaprio` (a short prefix before the capital) nor `al-Assad`
_GLUED = re.compile(r"[a-z]+[A-Z]|.*[a-z]{4}[A-Z]")


def plausible_person(text: str) -> bool:
    words = text.split()
    if not words or len(text) < 3 or len(words) > 4:
        return False
    if re.search(r"[\d_@/\\=<>{}\[\]|#:\"`*]", text):
        return False
    if any(w.lower() in _NOT_NAME_WORDS or _CODE_WORD.match(w) or not _NAME_TOKEN.fullmatch(w)
           or _GLUED.match(w) or _doubled(w) or _compound(w) for w in words):
        return False
    if is_security_term(text) or (len(words) > 1 and all(w.lower().rstrip(".,") in DATE_WORDS for w in words)):
        return False
    if all(w.isupper() for w in words) and len(text.replace(" ", "")) <= 6:
        return False  # acronyms
    if any(_CJK_RUN.search(w) for w in words):
        return False  # `我们试图让 ASVS`: a CJK sentence's words (a name in CJK is two to four characters)
    return any(w[0].isupper() for w in words)


def _compound(word: str) -> bool:
    """`Pay-related`, `Cloud-hosted`, `Kerberos-based`: a word joined to a lower-case English word after
    its hyphen, which no name is (`Mary-Jane`, `Server-Hughes`; `al-Assad` has its lower case first)."""
    return any(part.islower() and is_english_form(part) for part in word.split("-")[1:])


def _doubled(word: str) -> bool:
    """`GGrreeeenn`: a PDF's bold, drawn twice over."""
    return len(word) >= 4 and len(word) % 2 == 0 and word[0::2] == word[1::2]


# the type of a JSON object (Okta's System Log, Entra's audit log): a name field of an application, group or
# policy names no one. The object's own `{…}` around the field, if it holds no other object.
_JSON_TYPE = re.compile(r'"(?:type|objectType|@odata\.type)"\s*:\s*"([^"]{1,80})"')
_PERSON_TYPES = re.compile(r"(?i)(?:user|person|member|contact|employee|actor)$")   # its last word: `AppUser`


def _not_a_person_object(text: str, start: int, end: int) -> bool:
    """The field at start:end is in a JSON object whose type is not a user's (`"type": "AppInstance"`)."""
    opened = text.rfind("{", max(0, start - 500), start)
    closed = text.find("}", end, end + 500)
    if opened < 0 or closed < 0 or "}" in text[opened:start] or "{" in text[end:closed]:
        return False
    typed = _JSON_TYPE.search(text, opened, closed)
    return typed is not None and not _PERSON_TYPES.search(typed.group(1))


def _a_chat_message(text: str, start: int, end: int) -> bool:
    """Does the header line at `start`..`end` head a message in a copied chat: another speaker's
    header (`Piotr Nowak  10:03 AM`) is on another line, and the next line is text, not a header?"""
    nxt = text[end:].lstrip("\r\n").split("\n", 1)[0] if text[end:end + 1] in ("\n", "\r") else ""
    if not nxt.strip() or _CHAT_HEADER.fullmatch(nxt):
        return False
    return any(not m.start() <= start < m.end() for m in itertools.islice(_CHAT_HEADER.finditer(text), 2))


def _a_word(cand: Candidate) -> bool:
    """Is a one-word name an English word, a tool or jargon, or a word its text also uses in lower case?"""
    return is_english_word(cand.value.lower()) or is_security_term(cand.value) \
        or used_as_word(cand.value, cand.match.string)


# a word of a team, a role or a placeholder where a ticket names a person (`Service Desk`, `New Hire`)
_TEAM_WORDS = frozenset("""
desk team group administrator admin hire support service services operations ops center centre unit department
dept office board counsel user users system automation bot integration queue helpdesk unassigned
""".split())


# a line that starts with a form's label: `Assignment group: …`, `Registrant Street1:Antala …`
_LABEL_LINE = re.compile(r"[ \t]*[A-Z][\w./-]*(?:[ ][\w./-]+){0,3}:(?!//)")


class NerPersonRecognizer(LocalRecognizer):  # type: ignore[misc]
    """PERSON spans from the NLP engine's NER, cleaned and vetted."""

    def __init__(self) -> None:
        super().__init__(supported_entities=[PERSON, ORGANIZATION], name="NerPersonRecognizer", supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        if nlp_artifacts is None:
            return []
        out = []
        for span, score in zip(nlp_artifacts.entities, nlp_artifacts.scores):
            if span.label_ != PERSON:
                continue
            start = span.start_char
            while start < span.end_char:   # cut at a line break, the rest can be a name of its own (a table's next cell)
                end = _name_end(text, start, span.end_char)
                # ... but only a whole line of it (`Mark Carney` of a list), not a line's start (`Munk School` of
                # `Munk School of Global Affairs`, which a PDF wrapped)
                line_end = text.find("\n", end)
                whole = start == span.start_char or not text[end:len(text) if line_end == -1 else line_end].strip()
                result = self._result(text, start, end, score) if whole else None
                if result is not None:
                    out.append(result)
                if end >= span.end_char:
                    break
                start = text.find("\n", end, span.end_char) + 1
                while 0 < start < span.end_char and text[start] in " \t":
                    start += 1
                if start <= 0:
                    break
        return out

    def _result(self, text: str, start: int, end: int, score: float) -> RecognizerResult | None:
        value = text[start:end]
        gap = _COLUMN_GAP.search(value)
        if gap and " " in value[:gap.start()]:
            value = value[:gap.start()]   # `Hilde Solberg   Components`: the name, not the next column's label
            head = value.split("\n", 1)[0].rstrip()
            if head != value and " " in head.strip():
                value = head   # `Dana Whitfield\nComment     CISO`: net user's next label, on the next line
        # trim possessives (also the Nordic and German genitive, when the text names the person without it:
        # `Hilde Solbergs laptop` of a report on Hilde Solberg), titles and trailing punctuation
        value2 = re.sub(r"(?:'s|’s)$", "", value).rstrip(".,;:")
        if value2.endswith("s") and " " in value2 and value2[:-1] in text \
                and re.search(rf"(?<!\w){re.escape(value2[:-1])}(?![\w'’])", text):   # (the cheap test first)
            value2 = value2[:-1]
        first = value2.split(" ", 1)[0].rstrip(".,").lower()
        greeted = (first in GREETINGS or first in SIGN_OFF_LEADS) and " " in value2
        if (first in TITLES or greeted) and " " in value2:
            shift = len(value2.split(" ", 1)[0]) + 1
            start, value2 = start + shift, value2[shift:]
        end = start + len(value2)
        if _DOT_LEADER.match(text, end):
            return None   # ipconfig's `Default Gateway . . . :`: a field label
        if greeted and " " not in value2 and value2[:1].isupper() and plausible_person(value2) \
                and not is_english_word(value2.lower()) and not is_security_term(value2):
            pass   # `Mvh Hilde`, `Hallo Jonas`: one name, and what says it is one
        elif not plausible_person(value2) or " " not in value2.strip():
            # a lone capitalized word is too often "Ransom", "Ping", "Jump" for the small
            # model; lone first names/surnames are found from full names (entity table)
            return None
        words = value2.split()
        if words[0].islower() and words[0].split("-")[0] not in PARTICLES and not value2.islower():
            return None   # `wevtutil qe Security`: a lower-case word before a capital is no name's start
        if all(is_english_word(w.lower()) for w in words) and all(used_as_word(w, text) for w in words):
            return None   # `Control Objective`, `Cryptographic Verifier`: a heading of words the text uses in lower case
        if used_as_phrase(words, text) or _header_cell(text, start, end):
            return None   # `Malicious Binaries` of a text that says "malicious binaries"; `| Compromised Referrer |`
        if all(is_english_word(w.lower()) for w in words) and (column := _data_cell_column(text, start, end)) is not None \
                and not _PERSON_COLUMN.search(column):
            return None   # a plaso timeline's `Last Written` in its `type` column: words in a column of no one's
        entity = PERSON
        if len(words) >= 2 and _LEGAL_FORM.fullmatch(words[-1]):
            if is_security_term(" ".join(words[:-1])):
                return None   # a vendor's company (`Palo Alto Networks Inc`)
            entity = ORGANIZATION   # `Fjellheim Energi AS`: NER's "person" is a company
        return RecognizerResult(entity, start, end, min(score, 0.85), recognition_metadata={
            RECOGNIZER_NAME_KEY: self.name, RECOGNIZER_ID_KEY: self.id, "pattern": "spacy ner"})


def used_as_phrase(words: list[str], text: str) -> bool:
    """Does `text` also write two of these capitalized words, one after the other, in lower case
    (`request forgery` of NER's "Request Forgery", `single sign-on` of "Single Sign-on Authentication")?
    A person's name is not written so in prose (its `van der` is lower case in the name too)."""
    return any(re.search(rf"(?<![\w-]){re.escape(a.lower())}\s+{re.escape(b.lower())}(?![\w-])", text)
               for a, b in zip(words, words[1:]) if a[:1].isupper() and b[:1].isupper())   # not `van der`


# a Markdown table's header rule, as the PDF and DOCX readers write it: `|---|---|`
_TABLE_RULE = re.compile(r"[ \t]*\|(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?:\r?\n|$)")


def _header_cell(text: str, start: int, end: int) -> bool:
    """Is [start, end) a whole cell of a table's header row (column names: `| Compromised Referrer |`),
    or in the header of aligned command output (`Client Type   Opens Idle time` over a rule of dashes)?"""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    rule = DASH_RULE.match(text, line_end + 1) if line_end != -1 else None
    if rule and aligned_columns(text[line_start:line_end].rstrip("\r"), rule.group(0)) is not None:
        return True   # not `Maria Berg` over Markdown's `---`
    if line_end == -1 or not text.startswith("|", line_start):
        return False
    if text[line_start:start].rstrip(" \t")[-1:] != "|" or text[end:line_end].lstrip(" \t")[:1] != "|":
        return False
    return _TABLE_RULE.match(text, line_end + 1) is not None


# a table column that can hold a person's name (`Owner`, `AssignedTo`, `Account Name`, `From`)
_PERSON_COLUMN = re.compile(r"(?i)name|user|owner|analyst|assign|report|contact|caller|request|approv|handler|"
                            r"respond|employee|person|by$|who|actor|author|sender|recipient|^from$|^to$|attendee|"
                            r"member|manager")


def _data_cell_column(text: str, start: int, end: int) -> str | None:
    """The header of the column whose data cell is [start, end) in a CSV, TSV or pipe table (`type` of a
    plaso timeline's `…,NTUSER key,Last Written,…`), or None: not a whole cell, or no header above it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before = text[line_start:start].rstrip(' "')
    after = text[end:line_end].lstrip(' "')
    sep = next((c for c in ",\t|" if before[-1:] in ("", c) and after[:1] in ("", "\r", c) and c in before + after),
               None)
    if sep is None:
        return None
    index = len(_split_cells(text[line_start:start] + "x", sep)) - 1
    width = len(_split_cells(text[line_start:line_end].rstrip("\r"), sep))
    top, count = line_start, 0   # the first line of the rows as wide as this one is their header
    while top > 0 and count < 300:
        prev = text.rfind("\n", 0, top - 1) + 1
        line = text[prev:top - 1].rstrip("\r")
        if not _TABLE_RULE.match(line + "\n") and (sep not in line or len(_split_cells(line, sep)) != width):
            break
        top, count = prev, count + 1
    if top == line_start or count >= 300:
        return None
    header = _split_cells(text[top:text.find("\n", top)].rstrip("\r"), sep)
    if _TABLE_RULE.match(text, top):
        return None
    if index >= len(header) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9 _./#()-]{0,40}", header[index]):
        return None
    return header[index]


def _split_cells(line: str, sep: str) -> list[str]:
    cells = line.strip().strip("|").split("|") if sep == "|" else next(csv.reader([line], delimiter=sep), [])
    return [c.strip(' \t"*`') for c in cells]


def _name_end(text: str, start: int, end: int) -> int:
    """A name of two words or more that NER ran on into the next line ends at its line break when
    that line is a form's next label (`Lars Eriksen\nAssignment` of `Assignment group:`, a whois
    record's `Peter Kulmann\nRegistrant`) or goes on in English words, or when the name has its line to
    itself (a signature's title below: `Jürgen Weiß\nLeiter IT-Sicherheit`); otherwise the span stays as the
    model gave it (a name wrapped in a PDF: `by Maarten Van\nHorenbeeck`)."""
    cut = text.find("\n", start, end)
    if cut == -1:
        return end
    head, tail = text[start:cut].rstrip(), text[cut + 1:end].split()
    if " " in head and (_LABEL_LINE.match(text, cut + 1) or all(is_english_word(w.lower()) for w in tail)
                        or not text[text.rfind("\n", 0, start) + 1:start].strip()):
        return start + len(head)   # ... or the name has its line to itself: a signature's, over its title (`Leiter IT`)
    return end



class NameFieldRecognizer(RegexRecognizer):
    ENTITIES = (PERSON,)
    RULES = (
        Rule("mail header display name",   # also `"Nowak, Tomasz" <…>`, as Outlook writes it
             rf"(?m)^(?:[Ff]rom|[Tt]o|[Cc]c|[Bb]cc|[Rr]eply-[Tt]o|[Ss]ender)\s*:.*?(?:^|[\s,:])\"?"
             rf"(?P<n>{_NAME}|{_WORD}(?:[ ]{_WORD})?,[ ]{_WORD}(?:[ ]{_WORD})?)\"?\s*<", 0.9,
             (("n", PERSON),), engine="regex"),
        # systeminfo: `Registered Owner:   Marta Kowalczyk`
        Rule("registered owner",   # systeminfo's `Registered Owner:`, reg query's `RegisteredOwner  REG_SZ  …`
             rf"(?m)^[ \t]*(?:HK[^\n]*?[ \t]+)?(?:Registered Owner:|RegisteredOwner[ \t]+REG_SZ)[ \t]*(?P<n>{_NAME})[ \t]*\r?$",
             0.9, (("n", PERSON),), triggers=("registered owner", "registeredowner"), engine="regex"),
        # Outlook's printed headers, no address: `From: Kowalczyk, Marta`, `To: Nowak, Piotr; SOC`
        Rule("mail header names",
             rf"(?m)(?<=^(?:>[ \t]?)*(?:[Ff]rom|[Tt]o|[Cc]c|[Bb]cc|[Ss]ender)[ \t]*:(?:[^\n;]*;)*[ \t]*)"
             rf"(?P<n>{_WORD}(?:[ ]{_WORD})?,[ ]{_WORD}(?:[ ]{_WORD})?|{_NAME})(?=[ \t]*(?:;|\r?$|\[|\())",
             0.9, (("n", PERSON),), triggers=("from", "to", "cc", "sender"), engine="regex"),
        Rule("chat speaker", rf"(?m)^\s*\[?\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:\s?[AaPp][Mm])?\]?\s*(?:-\s*)?"
             rf"(?P<n>{_NAME}|{_WORD}[ ]\p{{Lu}}\.):", 0.9, (("n", PERSON),), engine="regex"),   # also `Marta K.:`
        # a ticket's person in an export: `caller_id=Maria Berg`, `"assigned_to": "Jonas Hansen"`
        Rule("ticket field name", TICKET_FIELDS + rf"(?P<n>{_NAME})(?![\w-])", 0.85, (("n", PERSON),),
             triggers=TICKET_FIELD_WORDS, engine="regex"),
        # Slack and Teams copied: `Marta Kowalczyk  10:02 AM` on a line of its own
        Rule("chat speaker (name, then time)",
             rf"(?m)^[ \t]*(?P<n>{_NAME}|{_WORD}[ ]\p{{Lu}}\.|{_WORD})[ \t]+{_CHAT_TIME}[ \t]*\r?$",
             0.9, (("n", PERSON),), engine="regex"),
        Rule("chat mention",   # `@marcus.lee`, `@soc-oncall`; Slack's member IDs `<@U024BE7LD>`
             r"(?<![\w.@/])@(?P<u>\p{Ll}+(?:[.-]\p{Ll}+){1,2})(?![\w(/@-]|\.\w)|<@(?P<id>[UW][A-Z0-9]{8,10})>",
             0.85, (("u", USERNAME), ("id", USERNAME)), triggers=('@',), engine="regex"),
        # meeting notes: `Attendees: Hilde Solberg (CISO), Per Arne Dahl (Dahl Elektro) and Jon Eriksen`
        Rule("attendee list",
             list_item("", "attendees|participants|present|invitees|deltakere|teilnehmer|on the call|in the room",
                       rf"(?-i:(?P<n>{_NAME}))"),
             0.85, (("n", PERSON),), triggers=("attendees", "participants", "present", "invitees", "deltakere",
                                               "teilnehmer", "on the call", "in the room"), engine="regex"),
        # Teams', Confluence's and Jira's mention of a person by name: `@Hilde Solberg can you confirm`
        Rule("chat mention (name)", rf"(?<![\w.@/])@(?P<n>{_NAME})(?![\w-])", 0.85, (("n", PERSON),),
             triggers=('@',), engine="regex"),
        # a Teams message's mention as Graph exports it (`<at id="1">Ben</at>`, one name too), and a Jira
        # comment's (`[~bortiz]`, `[~accountid:5b10ac8d82e05b22cc7d4ef5]`: a cloud account's ID, global)
        Rule("teams mention", r"<at[ ]id=\\?[\"']?\d+\\?[\"']?>(?P<n>[^<>\n]{1,64})</at>", 0.85, (("n", PERSON),),
             triggers=('<at id=',), engine="regex"),
        Rule("jira mention", r"\[~(?:accountid:)?(?P<u>[\w.@:-]{2,64})\]", 0.85, (("u", USERNAME),),
             triggers=('[~',), engine="regex"),
        Rule("chat speaker (username)",
             r"(?m)^\s*\[?\d{1,2}:\d{2}(?::\d{2})?\]?\s*(?:-\s*)?<?@?(?P<u>\p{Ll}[\p{Ll}\p{M}\d_.-]{2,31})>?:\s", 0.85,
             (("u", USERNAME),), engine="regex"),
        Rule("signature",
             rf"(?m)^{QUOTED}{SIGN_OFF}[,.!]?[ \t]*\r?\n(?:{QUOTED}\r?\n)?{QUOTED}(?P<n>{_NAME})[ \t]*\r?$",
             0.9, (("n", PERSON),), triggers=SIGN_OFF_WORDS, engine="regex"),
        # one given name in a mail: `Hi Piotr,`, `Dear Marta and Lars,`, and `Thanks,\nPiotr` (see check)
        # also in a quoted reply (`> Hi Anders,`), and thanks at a line's start (`Thanks Anders.`)
        Rule("greeting, one name",
             rf"(?m)^{QUOTED}(?:Hi|Hello|Hey|Dear|Hei|Hej|Hallo|Moin|Bonjour|Salut|Hola|Ciao|Morning|"
             rf"Good (?:morning|afternoon|evening)|Thanks|Thank you|Takk|Danke)[ \t]+"
             rf"(?P<n>{_WORD})(?:[ \t]+(?:and|&)[ \t]+(?P<m>{_WORD}))?[ \t]*[,!:.]", 0.85, (("n", PERSON), ("m", PERSON)),
             triggers=("hi ", "hello", "hey", "dear", "hei", "hej", "hallo", "moin", "bonjour", "salut", "hola", "ciao",
                       "morning", "good ", "thank", "takk", "danke"), engine="regex"),
        Rule("signature, one name",
             rf"(?m)^{QUOTED}{SIGN_OFF}[,.!]?[ \t]*\r?\n{QUOTED}(?P<n>{_WORD})[ \t]*\r?$",
             0.85, (("n", PERSON),), triggers=SIGN_OFF_WORDS, engine="regex"),
        # `Mr. Jensen`, `Ms Patel`, `Prof. Dr. Müller`, `Dr. Anna Berg`, `Herrn Müller`, `Frau Schneider`: the name
        # (`n`), or with its title
        # (`t`) when the one word is also a common word of the text (`Mrs. World`, see check)
        Rule("title and name",
             rf"(?<![\w.])(?P<t>(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Herrn?|Frau|Fru|Mme|Mlle)\.?[ ]+)+"
             rf"(?P<n>{_WORD}(?:[ ]{_WORD}){{0,2}}))", 0.85, (("n", PERSON), ("t", PERSON)),
             triggers=("mr", "ms", "mx", "dr", "prof", "herr", "frau", "fru", "mme", "mlle"), engine="regex"),
        # directory and identity-provider fields: `"userDisplayName": "Marta Kowalczyk"`, `displayName=`,
        # LDAP `cn=Marta Kowalczyk,OU=…`, a Slack export's `"real_name"`; one word in `givenName:`/`sn:` fields (see check)
        Rule("name field",
             rf"(?i)(?<![\w])(?:(?P<full>(?:user_?)?display_?name|full_?name|real_?name|employee_?name|owner_?name|cn)"
             rf"|(?P<part>given_?name|first_?name|last_?name|surname|sn))[\"']?\s*[:=]\s*[\"']?"
             rf"(?-i:(?P<n>{_NAME}|{_WORD}))(?![\w-])",
             0.85, (("n", PERSON),), triggers=("name", "cn", "sn"), engine="regex"),
        Rule("name in context",
             rf"\b(?:analyst|engineer|manager|employee|contractor|administrator|admin|CISO|CIO|CTO|CEO|"
             rf"reported by|contacted|escalated to|assigned to|(?i:acknowledged by)|paged|owner|user|"
             rf"(?:prepared|reviewed|approved|facilitated|led|"
             rf"written|authored) by)\s*[:,]?\s+(?!(?:The|An?|Our|This|That|Their|Its)\b)(?P<n>{_NAME})(?![\w-])", 0.85,
             (("n", PERSON),), engine="regex"),
        # a name, then the person's department or role in brackets: `Odd Haugen (Finance)`, `Ola Nordmann (IT ops)`
        # (the small model misses names whose first word is an English one: `Odd`, `Per`, `Tore`)
        Rule("name (department)",
             rf"(?<![\w-])(?P<n>{_NAME})[ \t]+\((?i:{_DEPARTMENTS})\)", 0.85, (("n", PERSON),),
             triggers=tuple("(" + w for w in _DEPARTMENT_LEADS), engine="regex"),
        # one name after a possessive and a role, then what a person does: `His manager Sigrid asked`,
        # `our CFO Ingrid approved it`, `my colleague Bjørn saw the same`
        Rule("role, one name",
             rf"(?i)\b(?:his|her|their|my|our|your)[ \t]+(?:line[ \t]+)?(?:manager|colleague|co-?worker|boss|"
             rf"supervisor|deputy|assistant|team[ \t]+lead|CFO|CEO|CISO|CIO|CTO|COO)[ \t]+(?-i:(?P<n>{_WORD}))"
             rf"(?=[ \t]+(?:asked|said|called|wrote|emailed|mailed|replied|reported|confirmed|noticed|saw|approved|"
             rf"forwarded|told|was|is|had|has|and|who)\b|[ \t]*[,.;])", 0.8, (("n", PERSON),),
             triggers=("manager", "colleague", "worker", "boss", "supervisor", "deputy", "assistant", "lead", "cfo",
                       "ceo", "ciso", "cio", "cto", "coo"), engine="regex"),
        # a role label with one name: `On-call: Kowalski (SOC lead)`, `Incident lead: Nowak`
        Rule("role label, one name",
             rf"(?mi)^[ \t*-]*(?:on[- ]call|owner|analyst|handler|reporter|reported by|assignee|assigned to|caller|requester|"
             rf"contact|responder|approver|approved by|escalated to|(?:incident |ir |soc )?(?:lead|manager|"
             rf"commander))[ \t]*:[ \t]*(?-i:(?P<n>{_WORD}))(?=[ \t]*(?:\(|,|;|\r?$))", 0.85,
             (("n", PERSON),), triggers=("call", "owner", "analyst", "handler", "report", "assign", "contact", "requester",
                                         "responder", "approve", "escalated", "lead", "manager", "commander"),
             engine="regex"),
        # a Markdown link to a mailbox: `[Maria Berg](mailto:maria.berg@…)` (not a team's: `[SOC Team](mailto:…)`)
        Rule("mailto link name", rf"\[(?P<n>{_NAME})\]\(mailto:", 0.85, (("n", PERSON),), triggers=("](mailto:",),
             engine="regex"),
        # a ticket's people (ServiceNow, Jira): `Caller: Per Olsen`, `Assigned to: Jonas Hansen <jonas@…>`, also after
        # a sentence (PagerDuty's `Incident #4411 triggered. Assigned to: Tore Lunde (escalation level 2)`)
        Rule("ticket person field",
             rf"(?mi)(?:^[ \t*-]*|(?<=[.;|])[ \t]+)(?:caller|requester|requested (?:by|for)|opened by|reporter|reported by|assignee|"
             rf"assigned to|resolved by|closed by|affected user)[ \t]*:[ \t]*(?-i:(?P<n>{_NAME}))(?=[ \t]*(?:[(,;<]|\r?$))",
             0.85, (("n", PERSON),), triggers=("caller", "request", "opened by", "report", "assign", "resolved by",
                                              "closed by", "affected user"), engine="regex"),
        # /etc/passwd: `mberg:x:1001:1001:Maria Berg,,,:/home/mberg:/bin/bash`, a person's account
        # (uid 1000 and up) and the name in its GECOS field
        Rule("passwd line",
             rf"(?m)^(?P<u>[a-z_][a-z0-9_.-]{{0,31}}):[^:\n]*:(?P<uid>\d{{1,10}}):\d{{1,10}}:"
             rf"(?P<n>{_NAME})?[^:\n]*:/[^:\n]*:[^:\n]*bin/[^:\n]*$",
             0.85, (("u", USERNAME), ("n", PERSON)), triggers=("bin/",), engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        if cand.entity == PERSON and not plausible_person(cand.value):
            return None
        if cand.rule.name == "chat mention" and in_blob(cand.match.string, cand.start, cand.end):
            return None   # `@sq.y` inside an encoded payload
        if cand.rule.name == "passwd line" and not 1000 <= int(cand.match.group("uid")) < 60000:
            return None   # `root`, `daemon`, `www-data`, `nobody`: the system's own accounts
        if cand.rule.name == "chat speaker (name, then time)" and \
                all(is_english_word(w.lower().rstrip(".")) for w in cand.value.split()):
            return None   # `Status Update  10:02 AM`, `Containment Complete 14:30`: a heading with a time
        if cand.rule.name == "mail header names" and \
                all(is_english_word(w.lower().strip(",")) for w in cand.value.split()):
            return None   # `To: All Staff; Incident Response`
        if cand.rule.name in ("greeting, one name", "signature, one name") and (
                _a_word(cand) or cand.value.lower() in DATE_WORDS):
            return None   # `Hi team,`, `Dear Customer,`, `Thanks,\nSOC`, `Hi Mark,` (a word: not hunted alone)
        if cand.rule.name == "name in context" and _AFTER_LEGAL_FORM.match(cand.match.string, cand.end):
            return None   # `CISO, Fjellheim Energi AS`: a title, then the company (the signature rules')
        if cand.rule.name == "name in context" and cand.match.group(0)[:cand.start - cand.match.start()].rstrip(
                " \t:,").endswith(" by") and all(is_english_word(w.lower()) for w in cand.value.split()):
            return None   # `approved by Change Advisory Board`, `reviewed by Legal Counsel`
        if cand.rule.name in ("chat mention (name)", "attendee list", "name (department)", "teams mention") and (
                any(w.lower() in _TEAM_WORDS or is_security_term(w) for w in cand.value.split())
                or cand.rule.name != "teams mention" and all(is_english_word(w.lower()) for w in cand.value.split())):
            return None   # `@Security Team`, `@Microsoft Defender`, `@Channel Owners`
        if cand.rule.name in ("ticket person field", "mailto link name") and \
                any(w.lower() in _TEAM_WORDS or is_security_term(w) for w in cand.value.split()):
            return None   # `Assigned to: Service Desk`, `Caller: System Administrator` (`Maria Berg` are English words too)
        if cand.rule.name in ("role label, one name", "role, one name") and _a_word(cand):
            return None   # `Owner: Finance`, `Lead: Mandiant`, `Contact: Helpdesk`
        if cand.rule.name == "chat speaker (name, then time)" and " " not in cand.value and (
                is_security_term(cand.value) or used_as_word(cand.value, cand.match.string)
                or not _a_chat_message(cand.match.string, cand.start, cand.match.end())):
            return None   # `Marta  10:02 AM` alone: only in a copied chat, not an agenda (`Standup  10:00 AM`)
        if cand.rule.name == "name field" and any(w.lower() in _DIRECTORY_WORDS for w in cand.value.split()):
            return None   # `CN=Default Domain Policy`, `cn=Domain Controllers`: directory objects, not people
        if cand.rule.name == "name field" and _not_a_person_object(cand.match.string, cand.start, cand.end):
            return None   # Okta's `{"type": "AppInstance", "displayName": "Epic Hyperspace"}`
        if cand.rule.name == "name field" and " " not in cand.value and (
                cand.match.group("part") is None or used_as_word(cand.value, cand.match.string)):
            return None   # one word: only a given name or surname field, and not a common word of the text
        if cand.rule.name == "title and name":
            name = cand.match.group("n")
            if name.split()[0].lower() in _TITLED_NOT_NAMES:
                return None   # `Dr. Watson` (the Windows debugger), `Dr. Web` (the antivirus)
            # one word that the text also uses as a common word (`Mrs. World`, a sender's alias, and
            # "world"): replaced with its title, so the entity table does not hunt `World` everywhere
            common = " " not in name and used_as_word(name, cand.match.string)
            whole = (cand.start, cand.end) == cand.match.span("t")
            if whole != common:
                return None
        if cand.entity == USERNAME and is_security_term(cand.value):
            return None
        if cand.rule.name == "chat mention" and cand.match.group("u"):
            text = cand.match.string
            line_start = text.rfind("\n", 0, cand.start) + 1
            line_end = text.find("\n", cand.end)
            line = text[line_start:len(text) if line_end == -1 else line_end]
            if cand.value in _CSS_AT_RULES or line.strip() == "@" + cand.value or \
                    cand.value.rsplit(".", 1)[-1] in FILE_EXTENSIONS or cand.value.startswith("odata."):
                return None   # CSS (`@font-face`), a decorator on a line of its own (`@pytest.fixture`),
                #               a file (`curl --data-binary @admission-mirror.json`), OData's `"@odata.type"`
        return cand.score
