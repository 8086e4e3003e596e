"""Shapes that several recognizers read a value after: a database client's command line, a Windows
tool's remote switches, a ticket
export's people fields, the rule of dashes under aligned command output. Written once here;
each recognizer that uses one tests what it finds there."""
from __future__ import annotations

import re

# a database client's command line, up to the switch that names its server, user or password
DB_CLIENT_NAMES = ("mysql", "mariadb", "psql", "pg_dump", "pg_restore", "redis-cli", "mongo", "sqlcmd", "clickhouse-client")
DB_CLIENT = (r"(?i)(?<![\w-])(?:mysql(?:dump|admin)?|mariadb|psql|pg_dump(?:all)?|pg_restore|redis-cli|mongo(?:sh|dump)?"
             r"|sqlcmd|clickhouse-client)(?:\.exe)?(?![\w-])[^\n|;&]*?")

# a date written in digits (`2024-05-11`, `11.05.2024`, `5/11/24`): what a phone or company number next to its
# word is not
NUMERIC_DATE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")

# a Windows tool run against another machine: `schtasks /s FINSQL01 /u mberg /p pw` (tasklist, taskkill,
# systeminfo… the same switches), wevtutil's `/r:FINSQL01 /u:mberg /p:pw`; up to the switch that names one
WIN_REMOTE_NAMES = ("schtasks", "tasklist", "taskkill", "systeminfo", "getmac", "gpresult", "eventcreate",
                    "openfiles", "driverquery", "setx", "wevtutil")
WIN_REMOTE = rf"(?i)(?<![\w-])(?:{'|'.join(WIN_REMOTE_NAMES)})(?:\.exe)?(?![\w-])[^\n|&;]*?[ \t]"

# a ticket's people, as a ServiceNow or Jira export names the fields: `opened_by=mberg`, `caller_id=Maria Berg`
TICKET_FIELDS = (r"(?<![\w.])(?i:(?:opened|closed|resolved|created|updated|requested|approved|assigned|reported)_by"
                 r"|sys_(?:created|updated)_by|assigned_to|caller_id|requested_for)[\"']?[ \t]*[:=][ \t]*"
                 # (ServiceNow's reference field with its display value: `"caller_id": {"display_value": "…"`)
                 r"(?:\{[^{}]{0,300}?\"display_value\"[ \t]*:[ \t]*)?[\"']?")
TICKET_FIELD_WORDS = ("_by", "assigned_to", "caller_id", "requested_for")

# the rule of dashes under aligned command output's header: PowerShell's `----   -------` (one group
# per column), `net session`'s full line of dashes
DASH_RULE = re.compile(r"(?m)^[ \t]*-{2,}(?:[ \t]+-{2,})*[ \t]*\r?$")
_DASHES = re.compile(r"-+")


def aligned_columns(header: str, rule: str) -> list[int] | None:
    """Where the columns of aligned command output start, from its header line and the rule of
    dashes under it: one dash group per column (PowerShell), or, under one long run of dashes
    (`net session`), the header's words 2+ spaces apart. None when this is no such header (a
    Markdown heading over `---`)."""
    groups = [m.start() for m in _DASHES.finditer(rule)]
    if len(groups) > 1:
        starts = groups
    elif rule.count("-") >= 10:
        starts = [m.start() for m in re.finditer(r"(?:(?<=\s\s)|^)\S", header)]
    else:
        return None
    if len(starts) < 2 or any(header[i - 1:i].strip() for i in starts if i > 0):
        return None
    return starts


# a line's start, also in a quoted reply (`> `, `>> `)
QUOTED = r"(?:>[ \t]?)*[ \t]*"

# how a mail signs off, in the languages of our users (`Med vennlig hilsen`, `Mit freundlichen Grüßen`,
# `Cordialement`), also two at once (`Med venlig hilsen / Mvh`)
_ONE_SIGN_OFF = (r"best regards|kind regards|warm regards|regards|thanks|thank you|cheers|sincerely|best|br|mvh|"
                 r"med vennlig hilsen|vennlig hilsen|med venlig hilsen|venlig hilsen|mit freundlichen gr\w\w?en|"
                 r"viele gr\w\w?e|beste gr\w\w?e|med v\wnlig h\wlsning|v\wnliga h\wlsningar|cordialement|bien cordialement|"
                 r"met vriendelijke groet|yst\wv\wllisin terveisin|saludos|un saludo|cordiali saluti|distinti saluti")
SIGN_OFF = rf"(?i:(?:{_ONE_SIGN_OFF})(?:[ \t]*/[ \t]*(?:{_ONE_SIGN_OFF}))?)"
SIGN_OFF_WORDS = ("regards", "thank", "cheers", "sincerely", "best", "br", "mvh", "hilsen", "grü", "grue", "gruss", "lsning",
                  "cordialement", "groet", "terveisin", "saludo", "saluti")
