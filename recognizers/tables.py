"""Values in the columns of tables: Markdown or pipe tables (`| Host | User |`), CSV and TSV with a
header row.

A timeline table names hosts and users in cells where no context word stands next to them
(`| 02:13 | FIN-LT-0042 | mkowalczyk |`): its header says what each column holds. A cell of a
host column must look like a host name (one token, not an IP or an FQDN: those have rules of
their own), a cell of a user column like a user name (built-in accounts are kept; a full name
there is a person), a cell of a person column like a full name, a cell of a tenant or subscription
column like a GUID, a cell of an account's domain column like a NetBIOS name.
Near misses: `-`, `N/A`, `SYSTEM`, `Administrator`, an IP or FQDN in a host column, `Finance`
in a host column, `AdFind` in a column called `Name` (not a person column: too many tables
list tools and files by name).
"""
from __future__ import annotations

import re

from presidio_analyzer import LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from .accounts import _USER, WELL_KNOWN_DOMAINS, is_builtin
from .base import RECOGNIZER_ID_KEY, RECOGNIZER_NAME_KEY, Span
from .cloud import GUID
from .english import is_english_word
from .entity_types import AD_DOMAIN, AZURE_ID, HOSTNAME, PERSON, USERNAME
from .hostnames import SHORT_HOST
from .people import plausible_person
from .shapes import DASH_RULE, aligned_columns
from .vocabulary import is_security_term

UPN = "UPN"   # a column kind, not an entity type
RECIPIENT = "RECIPIENT"   # likewise
_HEADERS = {
    HOSTNAME: ("host", "hostname", "host name", "computer", "computer name", "computername", "device",
               "device name", "devicename", "workstation", "workstation name", "endpoint", "machine",
               "machine name", "asset", "src host", "dst host", "source host", "destination host", "client host"),
    USERNAME: ("user", "username", "user name", "account", "account name", "accountname", "login",
               "logon account", "samaccountname", "sam account name", "user id", "userid", "src user", "dst user", "source user",
               "target user", "target user name", "targetusername", "subject user name", "subjectusername"),
    PERSON: ("full name", "employee", "employee name", "owner", "analyst", "assignee", "assigned to", "reporter",
             "reported by", "contact", "display name", "displayname", "caller", "requester", "approver",
             "handler", "responder"),
    # an account's AD domain (Defender's `AccountDomain`, a 4624 export's `TargetDomainName`): a NetBIOS name of ours
    # (not a column named `Domain` alone: an indicator table's)
    AD_DOMAIN: ("account domain", "accountdomain", "logon domain", "user domain", "target domain name",
                "targetdomainname", "subject domain name", "subjectdomainname", "initiating process account domain",
                "initiatingprocessaccountdomain"),
    # an Entra ID sign-in or audit export: our tenant and subscription, one GUID per cell
    AZURE_ID: ("tenant id", "tenantid", "tenant", "home tenant id", "resource tenant id", "directory id",
               "subscription id", "subscriptionid", "subscription"),
    # a user principal name: its domain is ours (read by `upn_cells`; its addresses are reported as addresses)
    UPN: ("upn", "user principal name", "userprincipalname", "account upn", "initiating process account upn"),
    # a message trace's recipients (Exchange Online, Mimecast, Proofpoint): read by `user_address_cells`, not reported
    RECIPIENT: ("recipient address", "recipientaddress", "recipient", "recipients", "to address"),
}
_COLUMN = {name: entity for entity, names in _HEADERS.items() for name in names}

# a header line: two or more cells of words only (no digits), separated by `|`, `,` or a tab
_CELL_WORDS = r"[ \t]*[*_`\"]*[A-Za-z][A-Za-z _./#()-]{0,40}[*_`\"]*[ \t]*"
_HEADER = re.compile(rf"(?m)^[ \t]*(?:\|{_CELL_WORDS}(?:\|{_CELL_WORDS})+\|?|{_CELL_WORDS}(?:[,\t|]{_CELL_WORDS})+)[ \t]*\r?$")
_RULE_ROW = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*\r?$")
_HOST_RE = re.compile(rf"{SHORT_HOST}\$?")
_USER_RE = re.compile(_USER)
_GUID = re.compile(GUID)


def _kinds(names: list[str]) -> dict[int, str]:
    """{column index: kind} of a header's column names. `Name` alone names tools and files too often;
    it names accounts in `Get-LocalUser`'s header (`Name Enabled Description`), and people beside a
    directory's account column (`Get-ADUser | ft Name,SamAccountName,Enabled`)."""
    kinds = {i: kind for i, name in enumerate(names) if (kind := _COLUMN.get(name))}
    if "name" in names:
        if set(names) == {"name", "enabled", "description"}:
            kinds[names.index("name")] = USERNAME
        elif {"samaccountname", "sam account name", "userprincipalname", "user principal name"} & set(names):
            kinds[names.index("name")] = PERSON
    return kinds


def _header_name(cell: str) -> str:
    name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", cell)    # `DeviceName` -> `Device Name`
    return " ".join(re.sub(r"[-./#()*_`\"]", " ", name).lower().split())


def _cells(line: str, sep: str) -> list[tuple[int, int]]:
    """(start, end) of each cell's content in `line`, without padding, quotes or Markdown marks."""
    if sep == "|":   # the cells between pipes; a leading pipe opens the first, a trailing one closes the last
        pos = line.index("|") + 1 if line.lstrip().startswith("|") else 0
        parts = line.rstrip("\r")[pos:].split("|")
        if parts[-1] == "":
            parts.pop()
        spans = []
        for part in parts:
            spans.append((pos, pos + len(part)))
            pos += len(part) + 1
    else:
        spans = [(m.start(1), m.end(1)) for m in re.finditer(rf'(?:^|{sep})("(?:[^"]|"")*"|[^{sep}\r\n]*)', line)]
    out = []
    for s, e in spans:
        while s < e and line[s] in " \t*`\"'":
            s += 1
        while e > s and line[e - 1] in " \t*`\"'\r":
            e -= 1
        out.append((s, e))
    return out


def _table(line: str) -> tuple[str, int, dict[int, str]] | None:
    """(separator, number of cells, {cell index: entity}) of a header line, or None if no column
    of it names hosts, users or people."""
    line = line.rstrip("\r\n")
    if not _HEADER.fullmatch(line):
        return None
    sep = "|" if "|" in line else ("\t" if "\t" in line else ",")
    cells = _cells(line, sep)
    columns = _kinds([_header_name(line[s:e]) for s, e in cells])
    return (sep, len(cells), columns) if columns else None


def table_header(line: str) -> str:
    """`line` if it is a table header this recognizer reads (a CSV's first line), else ""."""
    return line if _table(line) is not None else ""


def _column_cells(text: str, pos: int, sep: str, width: int, columns: dict[int, str],
                  ruled: bool) -> list[tuple[str, int, int]]:
    """(column kind, start, end) of the cells of the table rows from `pos` on, until a blank line or
    a row of another shape."""
    out = []
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        row = text[pos:end]
        if not ruled and sep == "|" and _RULE_ROW.match(row):
            pos, ruled = end + 1, True
            continue
        ruled = True
        if not row.strip() or (sep == "|" and "|" not in row) or (sep != "|" and sep not in row):
            break
        row_cells = _cells(row, sep)
        if sep != "|" and len(row_cells) != width:
            break
        for i, entity in columns.items():
            if i < len(row_cells):
                s, e = row_cells[i]
                out.append((entity, pos + s, pos + e))
        pos = end + 1
    return out


def aligned_cells(text: str) -> list[tuple[str, int, int]]:
    """(column kind, start, end) of the cells of aligned command output whose header names hosts,
    users or people. A cell is the text under its column (from the dash group's or the header
    word's start to the next column's); a value that starts left of its column is not read."""
    out: list[tuple[str, int, int]] = []
    for rule in DASH_RULE.finditer(text):
        head_end = rule.start() - 1
        if head_end <= 0:
            continue
        head_start = text.rfind("\n", 0, head_end) + 1
        header = text[head_start:head_end].rstrip("\r")
        starts = aligned_columns(header, rule.group(0))
        if starts is None:
            continue
        bounds = list(zip(starts, starts[1:] + [None]))
        kinds = _kinds([_header_name(header[a:b].strip() if b else header[a:].strip()) for a, b in bounds])
        if not kinds:
            continue
        pos = rule.end() + 1
        while pos < len(text):
            end = text.find("\n", pos)
            end = len(text) if end == -1 else end
            row = text[pos:end].rstrip("\r")
            if not row.strip():
                break
            for i, kind in kinds.items():
                a, b = bounds[i]
                if a >= len(row) or (a > 0 and not row[a - 1].isspace()) or (b is not None and b <= len(row) and
                                                                             not row[b - 1].isspace()):
                    continue   # empty, or a value running across the column's edge: not aligned
                cell = row[a:b] if b is not None else row[a:]
                value = cell.strip().lstrip("\\") if kind == HOSTNAME else cell.strip()   # `\\FINWS043`
                if value and (kind == PERSON or " " not in value):   # a host or user is one token
                    first = pos + a + cell.index(value)
                    out.append((kind, first, first + len(value)))
            pos = end + 1
    return out


def _cells_of(text: str, kinds: frozenset[str]) -> list[tuple[int, str]]:
    """(position, value) of each cell under a column of one of `kinds`."""
    out = []
    for header in _HEADER.finditer(text):
        table = _table(header.group(0))
        if table is not None and kinds & set(table[2].values()):
            sep, width, columns = table
            out.extend((s, text[s:e]) for kind, s, e in
                       _column_cells(text, header.end() + 1, sep, width, columns, ruled=False) if kind in kinds)
    return out


def upn_cells(text: str) -> list[tuple[int, str]]:
    """(position, value) of each cell under a user principal name column (`AccountUpn`)."""
    return _cells_of(text, frozenset({UPN}))


def user_address_cells(text: str) -> list[tuple[int, str]]:
    """(position, value) of each cell under a user or recipient column (an Entra sign-in export's
    `Username`, a message trace's `RecipientAddress`, also as `Get-MessageTrace | ft` prints it): where our
    users' addresses are listed."""
    kinds = frozenset({USERNAME, RECIPIENT})
    aligned = aligned_cells(text) if "--" in text else []   # (its rule of dashes: a log has none, ~1 % of its scan)
    return _cells_of(text, kinds) + [(s, text[s:e]) for kind, s, e in aligned if kind in kinds]


class TableColumnRecognizer(LocalRecognizer):  # type: ignore[misc]
    """HOSTNAME / USERNAME / PERSON / AZURE_ID cells of columns whose header names them."""

    WHOLE_TEXT = True    # the engine passes whole texts: a header and its rows stay together

    def __init__(self) -> None:
        super().__init__(supported_entities=[HOSTNAME, USERNAME, PERSON, AZURE_ID], name="TableColumnRecognizer",
                         supported_language="en")

    def load(self) -> None:
        pass

    def spans(self, text: str, lower: str | None = None, preamble: str = "") -> list[Span]:
        """`preamble`: a table's header line that `text` continues (a streamed window of a big
        CSV: the rows from `text`'s first full line on are read under it)."""
        out: list[Span] = []
        if preamble:
            table = _table(preamble)
            if table is not None and "\n" in text:   # from the first full line: a window starts mid-line
                self._rows(text, text.index("\n") + 1, *table, out, ruled=True)
        for header in _HEADER.finditer(text):
            table = _table(header.group(0))
            if table is not None:
                self._rows(text, header.end() + 1, *table, out, ruled=False)
        if "---" in text:
            for entity, start, end in aligned_cells(text):
                found = self._check(entity, text[start:end])
                if found:
                    out.append((found, start, end, 0.85, "aligned column"))
        return out

    def _rows(self, text: str, pos: int, sep: str, width: int, columns: dict[int, str],
              out: list[Span], ruled: bool) -> None:
        for entity, start, end in _column_cells(text, pos, sep, width, columns, ruled):
            found = self._check(entity, text[start:end])
            if found:
                out.append((found, start, end, 0.85, "table column"))

    @staticmethod
    def _check(entity: str, value: str) -> str | None:
        """The entity type `value` is reported as, or None."""
        if entity == AZURE_ID:
            return AZURE_ID if _GUID.fullmatch(value) else None
        if entity == AD_DOMAIN:   # a NetBIOS name (an FQDN is the domain rules'); not `NT AUTHORITY`, `-`
            ok = re.fullmatch(r"[A-Za-z][\w-]{0,14}", value) and value.lower() not in WELL_KNOWN_DOMAINS
            return AD_DOMAIN if ok and not is_security_term(value) else None
        if not value or is_builtin(value.lower()) or is_security_term(value) or "@" in value \
                or "\\" in value or value.lower() in ("unknown", "n/a", "na", "none", "multiple", "various", "tbd", "all", "any"):
            return None
        if " " in value.strip():
            words = value.split()
            if entity in (USERNAME, PERSON) and 2 <= len(words) <= 4 and plausible_person(value):
                return PERSON
            return None
        if entity == HOSTNAME:
            if "." in value or not _HOST_RE.fullmatch(value) or value.lower() == "localhost":
                return None
            if not re.search(r"[\d-]", value) and not value.isupper() and is_english_word(value.lower()):
                return None   # `Finance`, `mail`: a word, not a host we can tell (`VAULT` is one)
            return HOSTNAME
        if entity == USERNAME:
            if not _USER_RE.fullmatch(value) or re.fullmatch(r"[\d.:]+", value):
                return None
            if not re.search(r"[\d_.-]", value) and is_english_word(value.lower()):
                return None
            return USERNAME
        return None   # a person column: full names only

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        return [RecognizerResult(e, s, t, sc, recognition_metadata={
            RECOGNIZER_NAME_KEY: self.name, RECOGNIZER_ID_KEY: self.id, "pattern": p})
            for e, s, t, sc, p in self.spans(text)]
