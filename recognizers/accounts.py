"""Accounts: `DOMAIN\\user`, `user@host` and `user@10.0.5.20` (SSH), profile paths, log fields (also
Windows event XML, Sysmon's `User: corp\\jdoe`), AD domain fields, sshd/PAM/sudo lines, web server
logs, Cisco ASA `User <x>`, service accounts, lists after a label (`Affected accounts: a, b and c`),
and command output pasted into reports: whoami, `net user x /domain`, net config, klist, quser, AD cmdlets.

Built-in accounts and groups (`Administrator`, `SYSTEM`, `root`, `Domain Admins` ...) identify nobody
and are kept; the AD domain in front of them is still replaced (`CORP\\Administrator`). A machine
account `FIN-WS-0231$` is a host.
Near misses: `C:\\Windows\\System32`, `HKLM\\Software`, `\\n` escapes, `mkdir -p`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .base import Candidate, RegexRecognizer, Rule, in_blob
from .cloud import GUID
from .english import is_english_form, is_english_word
from .entity_types import AD_DOMAIN, HOSTNAME, USERNAME
from .hostnames import (ALNUM, FILE_EXTENSIONS, HOST_CHAR, LETTER, MARKS, SHORT_HOST, WORD, extract_domain,
                        list_item)
from .network import parse_ip
from .shapes import DB_CLIENT, DB_CLIENT_NAMES, TICKET_FIELD_WORDS, TICKET_FIELDS, WIN_REMOTE, WIN_REMOTE_NAMES
from .vocabulary import is_security_term

BUILTIN_ACCOUNTS = frozenset("""
administrator administrators admin root system guest krbtgt defaultaccount wdagutilityaccount
local service localservice network service networkservice anonymous everyone users public default
nobody daemon www-data ubuntu ec2-user centos azureuser ssm-user user all - n/a none null unknown
sa dbo postgres mysql
username yourname yourusername your_username myusername someuser
""".split()) | {"local service", "network service", "all users", "default user", "nt authority"}
# (and a document's placeholders: `C:\Users\USERNAME\AppData`, `/home/yourname`)
WELL_KNOWN_DOMAINS = frozenset({
    "nt authority", "builtin", "nt service", "workgroup", "font driver host", "window manager",
    "iis apppool", "nt virtual machine", "hklm", "hkcu", "hku", "hkcr", "hkcc", "registry",
    "hkey_local_machine", "hkey_current_user", "hkey_users", "hkey_classes_root", "hkey_current_config",
    "machine", "software", "system", "c", "d", "e", "nt", "hardware", "sam", "security", "global",
    "local", "session", "sessions", "basenamedobjects", "device", "user", "users", "classes",
    "authority", "service",     # the second word of `NT AUTHORITY\SYSTEM`, `NT SERVICE\MSSQLSERVER`
    "windows", "system32", "temp", "programdata", "drivers",   # path parts: `WINDOWS\System`
    "azuread", "microsoftaccount",   # an Entra-joined device's and a Microsoft account's: `AzureAD\OlaKnudsen`
})
_CAMEL = re.compile(r"[a-z][A-Z]")
_GUID = re.compile(GUID)
_VERSION = re.compile(r"v?\d+(?:\.\d+)*")   # `v2.1`, `10`: not a user name
_HTML_TAGS = frozenset("a b i u p s em br hr li ol ul td th tr tt dd dt dl div span code pre strong "
                       "small sub sup kbd var cite mark".split())

# user names are not only ASCII (`jürgen.weiß`, `C:\Users\Øystein`): a letter or digit of any script
_USER = rf"{ALNUM}(?:[{WORD}.$-]{{0,62}}[{WORD}$])?"
_PATH_USER = rf"{ALNUM}[{WORD} .'-]{{0,63}}?"


# Active Directory's services and objects, written after `AD` (`AD CS`, `AD LDS`, `AD FSMO`)
_AD_SERVICES = frozenset("cs ds fs lds rms fsmo gpo gpos acl acls dns ou ous sid sids spn spns kds".split())


def _has_suffix(name: str) -> bool:
    """`os.getenv`? no. `evil.com`, `invoice.zip`? yes: a domain or a file, not a handle."""
    last = name.rsplit(".", 1)[-1]
    return "." in name and (last in FILE_EXTENSIONS or bool(extract_domain(name).suffix))


def is_builtin(name: str) -> bool:
    return name.lower() in BUILTIN_ACCOUNTS


# Active Directory's built-in accounts and groups, as `CORP\Domain Admins` writes them after the domain
# (not every built-in word: `HKIU\Network` is a registry key)
_BUILTIN_GROUPS = re.compile(r"(?i)(?:administrators?|guest|krbtgt|defaultaccount|wdagutilityaccount)(?!\w)"
                             r"|(?:domain|enterprise|schema|key|enterprise key) (?:admins|users|computers|"
                             r"controllers|guests)|(?:backup|account|server|print) operators|remote desktop users"
                             r"|protected users|cert publishers|dnsadmins|group policy creator owners")


def _builtin_member(match: re.Match[str]) -> bool:
    """Is the user of a `DOMAIN\\user` match (with the words after it) a built-in account or group?"""
    return _BUILTIN_GROUPS.match(match.string, match.start("u"), match.end("u") + 24) is not None


@lru_cache(maxsize=65536)
def _looks_like_user(name: str) -> bool:
    """`jdoe`, `elena.petrova`, `svc_sql`, `adm-jdoe`, `JDOE`: yes. `CurrentVersion`,
    `ShellHWDetectionEvent` (CamelCase object names) and plain English words: no."""
    core = name.rstrip("$")
    if _CAMEL.search(core) and not re.fullmatch(r"[A-Z][a-z]+\.[A-Z][a-z]+", core):
        return False
    if re.search(r"[\d_.-]", core):
        return True
    return not is_english_word(core)


class AccountRecognizer(RegexRecognizer):
    ENTITIES = (USERNAME,)
    RULES = (
        Rule("domain\\user",
             rf"(?<![{WORD}\\/:.%-])(?P<d>{LETTER}[{WORD}.-]{{0,14}})\\{{1,2}}(?P<u>{ALNUM}[{WORD}.$-]{{0,63}})(?![{WORD}\\])",
             0.85, (("d", AD_DOMAIN), ("u", USERNAME)), engine="regex"),
        Rule("user@host (ssh)",
             rf"(?<![{WORD}.@+-])(?P<u>(?:[^\W\d]|[{MARKS}])[{WORD}.-]{{0,31}})@(?P<h>{LETTER}{HOST_CHAR}{{0,62}})(?![{WORD}-]|\.\w|\[\.\])",
             0.8, (("u", USERNAME), ("h", HOSTNAME)), triggers=('@',), engine="regex"),
        # `scp x deploy@10.0.5.20:/tmp`, `ssh -i k ops@192.168.4.7`: the user of an internal address
        Rule("user@ip (ssh)",
             r"(?<![\w.@+-])(?P<u>[a-z_][a-z0-9_.-]{0,31})@(?P<ip>\d{1,3}(?:\.\d{1,3}){3})(?![\w.-]|\.\d)",
             0.8, (("u", USERNAME),), triggers=('@',), engine="regex"),
        Rule("windows profile path", rf"(?i)\b[a-z]:\\{{1,2}}(?:users|documents and settings)\\{{1,2}}(?P<u>{_PATH_USER})(?=\\|$|\s|[\"'>])",
             0.9, (("u", USERNAME),), triggers=('users', 'documents and settings'), engine="regex"),
        # a home or profile share: `\\hbfs01\home$\mberg`, `\\fs01.hb.local\Users\mberg`, `\\fs\profiles$\mberg.V6`
        Rule("home share path",
             rf"(?i)(?<![\w\\])\\\\[^\\\s]{{1,253}}\\(?:homes?|users|profiles?|home[ _-]?dirs?|userdata|redirect(?:ed|ion)?)\$?\\"
             rf"(?P<u>{_PATH_USER})(?:\.[Vv]\d)?(?=\\|$|\s|[\"'>,;)])",   # a roaming profile's version: `.V6`
             0.85, (("u", USERNAME),), triggers=('\\\\',), engine="regex"),
        Rule("unix home path", rf"(?<![\w.])/(?:home|Users)/(?P<u>{_PATH_USER})(?=/|$|\s|[\"':])", 0.85,
             (("u", USERNAME),), triggers=('/home/', '/users/'), engine="regex"),
        Rule("tilde home", r"(?<![\w~$/])~(?P<u>[a-z_][a-z0-9_.-]{0,31})(?=/)", 0.85, (("u", USERNAME),), triggers=('~',), engine="regex"),
        # a database client's user: `mysql -u app_ro`, `-uapp_ro`, `psql -U etl`, `--username=etl`
        Rule("database client user",
             rf"{DB_CLIENT}[ \t](?-i:-u[ \t]*|-U[ \t]*|--user(?:name)?[= ])[\"']?(?P<u>{_USER})(?![{WORD}.$-])", 0.85,
             (("u", USERNAME),), triggers=DB_CLIENT_NAMES, engine="regex"),
        # the M365 audit log's `"UserKey": "i:0h.f|membership|10032000a1b2c3d4@live.com"`: a user's unique ID
        Rule("m365 user key", r"\bi:0h\.f\|membership\|(?P<u>[0-9a-fA-F]{16})@live\.com\b", 0.9, (("u", USERNAME),),
             triggers=("|membership|",)),
        # Google Workspace's audit log: the actor's `"profileId": "114512345678901234567"`
        Rule("google profile id", r"\"profileId\"[ \t]*:[ \t]*\"(?P<u>\d{15,25})\"", 0.9, (("u", USERNAME),),
             triggers=("profileid",)),
        # `id`'s output: `uid=1003(jhansen) gid=1003(jhansen)`
        Rule("id output", rf"\b[ug]id=\d+\((?P<u>{_USER})\)", 0.85, (("u", USERNAME),), triggers=("uid=",)),
        # Unix commands that name an account: `su - mberg`, `passwd jhansen`, `usermod -aG sudo svc_etl` (the
        # account is the last argument), `chown mberg:finance x`, `crontab -u mberg`, `sudo -u mberg`
        Rule("unix account command",
             rf"(?m)(?:^|[;&|`(]|\$[ \t])[ \t]*(?:sudo[ \t]+)?(?:"
             rf"su[ \t]+(?:(?:-|-l|--login)[ \t]+)?(?P<su>{_USER})(?=[ \t]*(?:$|[;&|)`]|[ \t]-c\b))"
             rf"|(?:passwd|useradd|usermod|userdel|chage|chsh|deluser|adduser)(?:[ \t]+-{{1,2}}[\w-]+(?:[ \t]+[^\s;&|-]\S*)?)*"
             rf"[ \t]+(?P<last>{_USER})(?=[ \t]*(?:$|[;&|)`]))"
             rf"|chown[ \t]+(?:-[\w-]+[ \t]+)*(?P<owner>{_USER})(?=[:.\s])"
             rf"|(?:crontab|sudo|pkill|pgrep|ps|runuser|killall|top|lsof|loginctl)[^\n;&|]*?[ \t]-u[ \t]*(?P<dash_u>{_USER})"
             rf"(?![{WORD}.$-]))", 0.85,
             (("su", USERNAME), ("last", USERNAME), ("owner", USERNAME), ("dash_u", USERNAME)),
             triggers=("su ", "passwd", "user", "chage", "chsh", "chown", "-u"), engine="regex"),
        # `schtasks /s FINSQL01 /u mberg`, `wevtutil … /u:HALVORSEN\mberg`
        Rule("windows tool user",
             rf"{WIN_REMOTE}/u(?:[ \t]+|:)[\"']?(?:(?P<ld>{LETTER}[{WORD}.-]{{0,14}})\\{{1,2}})?(?P<u>{_USER})(?![{WORD}.$-])",
             0.85, (("ld", AD_DOMAIN), ("u", USERNAME)), triggers=WIN_REMOTE_NAMES, engine="regex"),
        Rule("ticket field", TICKET_FIELDS + r"(?P<u>" + _USER + r")", 0.85, (("u", USERNAME),),
             triggers=TICKET_FIELD_WORDS, engine="regex"),
        Rule("log field",
             # any `…UserName`/`…AccountName` field (InitiatingProcessAccountName), ECS `user.name`, XML
             # `Name="TargetUserName">`, its value on its line (`New Account:` is a heading over `Account Name:`);
             # the lookahead (each name holds one of its words) turns a word that names no user away at
             # once, before the field names' alternatives are each tried
             r"(?i)(?<![\w])(?=[a-z_]*(?:user|usr|account|upn|login|acct|uid)|logon\s)(?:[a-z]*(?:user_?name|usr_?name|account_?name|accountupn|userprincipalname)|upn|user\.name|"
             r"user(?:_?name)?|usr|login|account(?:_?name)?|acct|suser|duser|src_?user|"
             r"dst_?user|parent_?user|target_?user(?:_?name)?|subject_?user(?:_?name)?|account\s+name|user\s+name|"
             r"logon\s+account|[aeos]?uid|fsuid|user_?id|user\s+id)(?:[\"']?\s*(?:[:=]=?|!=|[=!]~)[ \t]*[\"']?|[\"']?>)"
             # Sysmon's `User: corp\jdoe`, `/user:CORP\jdoe`: the domain in front, whatever its case
             r"(?:(?P<ld>" + LETTER + "[" + WORD + r".-]{0,14})\\{1,2})?(?P<u>" + _USER + r")",
             0.85, (("ld", AD_DOMAIN), ("u", USERNAME)), triggers=('user', 'usr', 'login', 'account', 'acct', 'uid'),
             engine="re"),   # re: twice as fast as regex here (measured on logs and reports)
        # Windows events: `Account Domain: CONTOSO`, `<Data Name="TargetDomainName">CONTOSO<`
        Rule("domain field",
             r"(?i)(?<![\w])(?:account\s+domain|[a-z]*(?:target|subject|user|logon|account|src_?user|dst_?user|machine|agent)_?domain(?:_?name)?"
             r"|[sd]ntdom|(?<=\*[ ])domain(?=\s+:)"   # mimikatz: `* Domain   : CONTOSO`
             r"|(?<=[\t|])domain(?==(?-i:[A-Z])))"   # LEEF's tab-separated `domain=HALVORSEN`
             r"(?:[\"']?\s*[:=]\s*[\"']?|[\"']?>)(?P<d>" + LETTER + "[" + WORD + r"-]{0,14})(?![" + WORD + r".-])",
             0.85, (("d", AD_DOMAIN),), triggers=('domain', 'ntdom')),
        # a bare `Domain:` line with a NetBIOS name in capitals (Remote Desktop's event 1149: `User: mberg`,
        # `Domain: HALVORSEN`); `Domain: evil.com` in a list of indicators has a dot
        Rule("netbios domain line", r"(?m)^[ \t]*Domain:[ \t]*(?P<d>[A-Z][A-Z0-9-]{1,14})[ \t]*\r?$", 0.8,
             (("d", AD_DOMAIN),), triggers=('domain:',)),
        # prose: `disabled in AD (HALVORSEN)`, `the AD domain HALVORSEN`, `Active Directory domain: CORP`
        Rule("ad domain in prose",
             r"\b(?:AD|Active[ ]Directory)(?:[ ](?P<word>domain))?[ ]?(?:\(|:[ ]?|[ ])(?P<d>[A-Z][A-Z0-9-]{1,14})"
             r"(?![\w.-])", 0.8, (("d", AD_DOMAIN),), triggers=('ad ', 'ad(', 'active directory'), engine="regex"),
        # ECS and friends: `"user": {"name": "mkowalczyk", "domain": "CONTOSO"}`
        Rule("json user object",
             r"\"(?:user|account|target_user|source_user)\"\s*:\s*\{[^{}]{0,300}?\"(?:name|id)\"\s*:\s*\"(?P<u>" + _USER
             + r")\"(?:[^{}]{0,300}?\"domain\"\s*:\s*\"(?P<d>" + LETTER + "[" + WORD + r"-]{0,14})\")?",
             0.85, (("u", USERNAME), ("d", AD_DOMAIN)), triggers=('"user"', '"account"', '_user"'), engine="regex"),
        # sshd, PAM and sudo lines; `invalid user admin` is the attacker's guess, kept
        Rule("auth log user",
             r"(?:\b(?:Accepted|Failed) [\w/-]+ for (?!invalid user )|\bsession (?:opened|closed) for user |"
             r"\b(?:New|Started|Removed) [Ss]ession \w{1,12} of [Uu]ser |"   # systemd-logind
             r"\bsudo:\s+)(?P<u>" + _USER + r")(?= from | by |\(uid|\s+:|\s*$|\.?[ \t]*(?:\r?\n|\Z))",
             0.85, (("u", USERNAME),), triggers=('accepted', 'failed', 'session', 'sudo:'), engine="regex"),
        Rule("user name in prose", r"(?i)\b(?:user\s*name|login\s+name|user\s*id|account\s+name)\s+(?:is|was)\s+"
             r"(?P<u>" + _USER + r")(?![" + WORD + r"-])", 0.8, (("u", USERNAME),), triggers=('name', 'id'), engine="regex"),
        # an export's label and value without a colon: Falcon's `User Name mberg, Local IP …`, `Username jhansen;`
        Rule("user name label",
             r"(?i)\b(?:user\s*name|login\s+name|logon\s+name|account\s+name)[ \t]+(?P<u>" + _USER + r")"
             r"(?=[ \t]*(?:[,;|]|\r?$))", 0.8, (("u", USERNAME),), triggers=('name',), engine="regex"),
        # `the account j.smith1 connected`: a lower-case handle with a dot, _ or digits
        Rule("user or account in prose",
             r"\b(?i:user|account)\s+(?P<u>[a-z][a-z0-9-]*(?:[._][a-z0-9-]+)+|[a-z][a-z_-]*\d+[a-z0-9_-]*)(?![\w@.-]|\.\w)",
             0.8, (("u", USERNAME),), triggers=('user', 'account'), engine="regex"),
        # `user mberg connected from …`: a plain handle, then what a user does
        Rule("user, then a verb",
             r"(?<!(?i:storage|bank|cloud|aws|azure|gcp|mail|billing|customer|twitter|github|trading)\s)"
             r"\b(?i:user|account)\s+(?P<u>[a-z][a-z0-9]{2,19})\s+(?:connected|logged|authenticated|signed|opened|ran|"
             r"executed|downloaded|uploaded|clicked|approved|accepted|entered|received|reported|requested|accessed|"
             r"changed|reset|was|had|has|is)\b", 0.8, (("u", USERNAME),), triggers=('user', 'account'), engine="regex"),
        # `check whether kjnordmann logged in from 185.234.218.44`: a bare handle, then a logon and where
        Rule("handle, then a logon",
             r"(?<![\w.@/\\-])(?P<u>[a-z][a-z0-9]{3,19})[ \t]+(?:logged[ \t]+(?:in|on)(?:to)?|signed[ \t]+in|"
             r"authenticated)[ \t]+(?:from|to|on|at|via|into)\b", 0.75, (("u", USERNAME),),
             triggers=("logged", "signed", "authenticated"), engine="regex"),   # not `connected`: malware does
        # `10.0.0.5 - jsmith [02/Mar/2024:…]`: the authenticated user of a server log line
        # a file's owner in `ls -l`: `-rw-r----- 1 mberg finance 40960 May 11 10:02 salaries.xlsx`
        Rule("file owner listing",
             r"(?m)^[-dlcbps][rwxsStT-]{9}[.+@]?[ \t]+\d+[ \t]+(?P<u>" + _USER + r")[ \t]+\S+[ \t]+\d+[ \t]", 0.85,
             (("u", USERNAME),), engine="regex"),
        # a process's user in `ps aux` (`mberg 4412 0.3 1.2 123456 45678 ? S …`) and `ps -ef` (`mberg 4412 1 0 10:02 ?`)
        Rule("process listing user",
             r"(?m)^(?P<u>" + _USER + r")\+?[ \t]+\d+[ \t]+(?:\d{1,3}\.\d[ \t]+\d{1,3}\.\d[ \t]+\d+[ \t]+\d+"
             r"|\d+[ \t]+\d{1,3}[ \t]+(?:\d\d:\d\d|\w{3}\d\d|\d{4}))[ \t]", 0.85, (("u", USERNAME),), engine="regex"),
        Rule("web access log user",
             r"(?m)^\S+ \S+ (?P<u>" + _USER + r") \[\d{1,2}/\w{3}/\d{4}:", 0.85, (("u", USERNAME),)),
        # Squid's native access log: `1709632364.123 512 10.20.5.77 TCP_MISS/200 4521 GET http://x mberg HIER_DIRECT/…`
        Rule("proxy log user",
             r"(?m)^\d{9,10}\.\d{3}[ \t]+\d+[ \t]+\S+[ \t]+[A-Z_]+/\d{3}[ \t]+\d+[ \t]+[A-Z]+[ \t]+\S+[ \t]+(?P<u>"
             + _USER + r")[ \t]+[A-Z_]+/", 0.85, (("u", USERNAME),), triggers=('_miss/', '_hit/', '_denied/', 'tcp_', 'udp_', 'none/')),
        Rule("service account", r"(?i)(?<![\w.-])(?:svc|sa|srv|adm|admin|svcacct)[-_]" + ALNUM + "[" + WORD + ".-]{0,39}[" + WORD + "](?![" + WORD + r"-]|\.\w)",
             0.8, triggers=('svc-', 'svc_', 'sa-', 'sa_', 'srv-', 'srv_', 'adm-', 'adm_', 'admin-', 'admin_', 'svcacct-', 'svcacct_'), engine="regex"),
        # Cisco ASA / AnyConnect: `Group <SSL-VPN-Users> User <mkowalczyk> IP <203.0.113.5>`
        Rule("angle-bracket user", r"(?i)(?<![\w])(?:user(?:_?name)?|login|account) <(?P<u>" + _USER + r")>",
             0.85, (("u", USERNAME),), triggers=('user <', 'username <', 'login <', 'account <'), engine="regex"),
        # Cisco ASA / FTD identity firewall: `to inside:10.14.2.9/52344 (10.14.2.9/52344) (LOCAL\\mberg)`, the
        # user after a connection's mapped address (`LOCAL` is the firewall's own user database, kept)
        Rule("asa identity",
             r"\(\d{1,3}(?:\.\d{1,3}){3}/\d{1,5}\)[ \t]?\((?P<d>" + LETTER + "[" + WORD + r".-]{0,14})\\(?P<u>"
             + _USER + r")\)", 0.85, (("d", AD_DOMAIN), ("u", USERNAME)), triggers=("\\",), engine="regex"),
        # a list after a label: `Affected accounts: jdoe, a.smith, mkowalczyk and svc_backup.`
        Rule("account list",
             list_item("affected|compromised|impacted|disabled|locked|targeted|reset",
                       r"user(?:name)?s?|(?:user[ \t]+)?accounts?",
                       r"(?P<u>" + LETTER + "(?:[" + WORD + r".$-]{0,62}[" + WORD + r"$])?)"),
             0.8, (("u", USERNAME),), triggers=('user', 'account'), engine="regex"),
        # a ticket's people as handles: `Reporter: mberg`, `Assignee: l.eriksen`, `Watchers: jhansen, praman`,
        # a document's front matter (`reviewers: [jhansen, praman]`; not `author:`, which a Sigma rule's
        # researcher handle fills: `author: frack113`) (capitalized names there are the people rules');
        # only lower-case handles, see check
        Rule("ticket handle",
             list_item(r"(?!)", r"reporter|assignees?|watchers?|requester|caller|approvers?|owners?|reviewers?|(?:opened|created|resolved|"
                                r"closed|submitted|requested|reported|assigned|approved|updated)[ \t]+(?:by|to)",
                       r"(?P<u>[a-z][a-z0-9]*(?:[._-][a-z0-9]+){0,3})"),
             0.8, (("u", USERNAME),), triggers=(' by', ' to', 'reporter', 'assignee', 'watcher', 'requester', 'caller',
                                               'approver', 'owner', 'reviewer'),
             engine="regex"),
        # `user hb\mberg connected`: a lower-case domain, which `domain\user` alone refuses, after "user"
        Rule("user domain\\user in prose",
             r"\b(?i:user|account)[ \t]+(?P<d>[a-z][a-z0-9-]{0,14})\\(?P<u>" + _USER + r")(?![\w\\])",
             0.8, (("d", AD_DOMAIN), ("u", USERNAME)), triggers=('user', 'account'), engine="regex"),
        # command output: `net config workstation` (`User name   mkowalczyk`, `Logon domain   HB`), klist
        # (`Client: jdoe @ HB.LOCAL`), quser (`>mkowalczyk   console   1  Active`)
        Rule("command output account",
             r"(?m)^[ \t]*(?:User name[ \t]{2,}(?P<u>" + _USER + r")|(?:Workstation|Logon) domain[ \t]{2,}(?P<d>"
             + LETTER + "[" + WORD + r"-]{0,14})|#\d+>[ \t]+Client:[ \t]+(?P<k>" + _USER + r") @ [\w.-]+"
             r"|>?(?P<q>" + _USER + r")[ \t]{2,}(?:console|rdp-tcp#\d+|\d+[ \t]+(?:Active|Disc)\b)"
             # qwinsta: `>rdp-tcp#3   mberg   2  Active`
             r"|>?(?:console|rdp-tcp#\d+)[ \t]+(?P<w>" + _USER + r")[ \t]+\d+[ \t]+(?:Active|Disc|Conn)\b"
             # last, who, w: `mkowalcz pts/0   10.14.7.88   Mon Mar  4 10:02`
             r"|(?P<l>" + _USER + r")[ \t]+(?:pts/\d+|tty\w{0,4}|:\d+(?:\.\d+)?)[ \t])[ \t]*(?=\S|\r?$)",
             0.85, (("u", USERNAME), ("d", AD_DOMAIN), ("k", USERNAME), ("q", USERNAME), ("l", USERNAME),
                    ("w", USERNAME)),
             triggers=('user name', 'domain', 'client:', '>', 'pts/', 'tty', ' :')),
        # a transcript: `C:\> whoami` then `corp\tnowak` (lower case, which `domain\user` refuses)
        Rule("whoami output",
             r"(?im)\bwhoami(?:\.exe)?(?:[ \t]+/\w+)*[ \t]*\r?\n[ \t]*(?P<d>" + LETTER + "[" + WORD
             + r".-]{0,14})\\(?P<u>" + _USER + r")[ \t]*$", 0.9, (("d", AD_DOMAIN), ("u", USERNAME)),
             triggers=('whoami',), engine="regex"),
        # `whoami /user` and `/all` tables, PsGetSid: the account and its SID on one line (also told:
        # `x\y with SID S-1-5-…`)
        Rule("account and sid",
             r"(?<![" + WORD + r"\\/:.%-])(?P<d>" + LETTER + "[" + WORD + r".-]{0,14})\\(?P<u>" + _USER
             + r")[ \t]+(?:\(?(?:with[ \t]+)?(?:the[ \t]+)?SID[ \t]*[:=]?[ \t]*)?S-1-5-\d", 0.9,
             (("d", AD_DOMAIN), ("u", USERNAME)), triggers=('s-1-5-',), engine="regex"),
        # `wmic useraccount get name,sid`, `Get-LocalUser | ft Name,SID`: an account alone on its line beside its SID
        # (a person's: a relative ID of 1000 or more; `Administrator …-500` is built in)
        Rule("account beside its sid",
             r"(?m)^[ \t]*(?P<u>" + _USER + r")[ \t]{2,}S-1-5-21(?:-\d{1,10}){3}-(?:\d{4,10})[ \t]*\r?$", 0.85,
             (("u", USERNAME),), triggers=('s-1-5-21',), engine="regex"),
        # `net user rpatel /domain`; not an account the attacker adds (`net user backdoor P@ss /add`)
        Rule("net user", r"(?i)\bnet1?(?:\.exe)?[ \t]+user[ \t]+(?P<u>" + _USER + r")(?=[ \t]|$)(?![^\n]*/add)",
             0.85, (("u", USERNAME),), triggers=('net user', 'net1 user', 'net.exe user', 'net1.exe user'),
             engine="regex"),
        # Exchange's cmdlets: the mailbox one acts on (`New-InboxRule -Mailbox maria.berg`, `Add-MailboxPermission
        # -Identity jhansen -User mberg`): an alias of ours (an address there is the address rules', a quoted display
        # name the people rules')
        Rule("exchange mailbox",
             r"(?im)(?<=^[^\n]*?\b(?:New|Set|Get|Add|Remove|Enable|Disable)-(?:Mailbox|InboxRule|MailboxPermission|"
             r"RecipientPermission|MailboxFolderPermission|CASMailbox|MailboxAutoReplyConfiguration)\b[^\n]*?)"
             r"[ \t]-(?:Mailbox|Identity|User|Trustee)[ \t]+(?:\"(?P<dq>" + _USER + r")\"|'(?P<sq>" + _USER + r")'|"
             r"(?P<u>" + _USER + r")(?=[ \t;]|\r?$))",
             0.85, (("dq", USERNAME), ("sq", USERNAME), ("u", USERNAME)),
             triggers=('mailbox', 'inboxrule', 'recipientpermission'), engine="regex"),
        # an AWS IAM user: `IAM user fje-ci-deploy`, the AWS CLI's `aws iam create-access-key --user-name fje-ci-deploy`
        Rule("iam user",
             r"(?:\b(?i:IAM)[ \t]+(?i:user)[ \t]+(?:(?i:named|called)[ \t]+)?[\"'`]?"
             r"|\baws[ \t]+iam[ \t][^\n]*?--user-name[ \t=][\"']?)"
             r"(?P<u>[\w+=,.@-]{2,64}?)(?=[\"'`]?(?:[\s,;)]|\.?$|\.\s))",
             0.85, (("u", USERNAME),), triggers=("iam",), engine="regex"),
        # a Windows logon with a Microsoft account: `MicrosoftAccount\ola.knudsen@outlook.com`, a person's own address
        Rule("microsoft account logon", r"(?i)\bMicrosoftAccount\\{1,2}(?P<u>[\w.+-]{1,64}@[\w-]+(?:\.[\w-]+)+)",
             0.9, (("u", USERNAME),), triggers=("microsoftaccount",), engine="regex"),
        # the ActiveDirectory module's cmdlets: the account one acts on (`Get-ADUser mberg -Properties *`,
        # `Set-ADAccountPassword -Identity mberg -Reset`), and the members added to a group (`Add-ADGroupMember
        # -Identity "Domain Admins" -Members mberg,"jdoe"`); not a new account (`New-ADUser`: the attacker's, maybe)
        Rule("ad cmdlet account",
             r"(?i)\b(?:Get|Set|Remove|Enable|Disable|Unlock|Clear|Search)-AD(?:User|Account|AccountPassword|"
             r"AccountControl|AccountExpiration|PrincipalGroupMembership|AccountAuthorizationGroup|"
             r"UserResultantPasswordPolicy)"
             r"[ \t]+(?:-(?:Identity|SamAccountName)[ \t]+)?[\"']?(?P<u>" + _USER + r")(?![\w.$=,-])",
             0.85, (("u", USERNAME),), triggers=('-aduser', '-adaccount', '-adprincipal'), engine="regex"),
        Rule("ad cmdlet identity",
             r"(?im)(?<=^[^\n]*?\b(?:Get|Set|Remove|Enable|Disable|Unlock|Clear)-AD(?:User|Account|AccountPassword|"
             r"AccountControl|AccountExpiration|PrincipalGroupMembership)\b[^\n;|]*?)"
             r"[ \t]-(?:Identity|SamAccountName)[ \t]+[\"']?(?P<u>" + _USER + r")(?![\w.$=,-])",
             0.85, (("u", USERNAME),), triggers=('-aduser', '-adaccount', '-adprincipal'), engine="regex"),
        Rule("ad group members",
             r"(?i)(?<=\b(?:Add|Remove)-ADGroupMember\b[^\n;|]*?[ \t]-Members?[ \t]+"
             r"(?:[\"']?[\w.$-]+[\"']?[ \t]*,[ \t]*)*)"
             r"[\"']?(?P<u>" + _USER + r")(?![\w.$=-])",
             0.85, (("u", USERNAME),), triggers=('-adgroupmember',), engine="regex"),
        Rule("quoted account", r"(?i)\b(?:user|account|username|login)\s+(?:account\s+)?[\"'`](?P<u>" + _USER + r")[\"'`]",
             0.85, (("u", USERNAME),), triggers=('user', 'account', 'login'), engine="regex"),
    )

    def check(self, cand: Candidate) -> float | None:
        value = cand.value.strip()
        low = value.lower()
        if in_blob(cand.match.string, cand.start, cand.end):
            return None   # `~x/daHz`, `j@oTj` inside an encoded payload quoted in a report
        if cand.entity == AD_DOMAIN:
            if low in WELL_KNOWN_DOMAINS or len(value) < 2:
                return None
            if cand.rule.name == "netbios domain line":
                return None if is_security_term(value) or low in ("n/a", "none") else cand.score
            if cand.rule.name == "ad domain in prose":   # not AD's services (`AD CS`, `AD FS`), nor a word
                bare = not cand.match.group("word")   # `AD (X)` rather than `AD domain X`: a longer name, no word
                return None if (bare and (len(value) < 4 or is_english_word(low))) or low in _AD_SERVICES \
                    or is_security_term(value) else cand.score
            if cand.rule.name in ("domain field", "json user object"):
                # `Window Manager`, `Font Driver Host`: built in; `@LogonDomain: Logon Domain.`: words
                after = cand.match.string[cand.end:cand.end + 2]
                if low in ("window", "font") or is_security_term(value) or (not value.isupper() and (
                        is_english_word(low) or (after[:1] == " " and after[1:].isalpha()))):
                    return None
                return cand.score
            # lower-case `foo\bar` is a path or an escape; profile AD domains are matched apart;
            # `HARDWARE\DESCRIPTION`, `Global\Event` are registry keys and object names
            user = cand.match.group("u")
            if cand.rule.name == "user domain\\user in prose" and (not _looks_like_user(user)
                                                                  or is_english_form(user.lower())):
                return None   # `user sys\drivers`: a path
            if cand.rule.name in ("whoami output", "account and sid", "log field", "command output account",
                                  "asa identity", "user domain\\user in prose"):
                return cand.score   # the place says it is DOMAIN\user (`nt authority` is dropped above)
            if value.isupper() and _builtin_member(cand.match):
                return cand.score   # `CORP\Administrator`, `HB\Domain Admins`: the account is built in, the domain ours
            if not value.isupper() or not _looks_like_user(user):
                return None
            return cand.score
        if cand.rule.name == "user@ip (ssh)":
            try:
                internal = parse_ip(cand.match.group("ip")).is_private
            except ValueError:
                return None
            if not internal:
                return None   # `kali@185.220.101.4`: the attacker's own login, an indicator
        if cand.rule.name == "user@host (ssh)" and (cand.match.group("u") != cand.match.group("u").lower()
                                                    or _CAMEL.search(cand.match.group("h"))
                                                    or len(cand.match.group("h")) < 2
                                                    or cand.match.string.startswith("!", cand.match.end("h"))):
            return None   # a shell user is lower case (`Contact@Us` is not one); a host is one case
            # (`xfish@hotmailTcom`: a PDF's garbled mail address, `.` printed as `T`), of two characters or
            # more, not followed by `!` (`y0uar3@s!llyid!07`: a password in a YARA rule)
        if cand.entity == HOSTNAME:
            return cand.score if not is_security_term(value) else None
        if low.endswith("$") and cand.rule.name in ("domain\\user", "log field"):
            return None  # a machine account: reported by the host rules
        if is_builtin(low) or low.rstrip(".") in ("", "-") or low.startswith("s-1-"):
            return None
        if cand.rule.name == "domain\\user":
            domain = cand.match.group("d")
            if domain.lower() in WELL_KNOWN_DOMAINS or not domain.isupper():
                return None
            if not _looks_like_user(value):
                return None
        if cand.rule.name == "user name in prose" and (
                not _looks_like_user(value) or all(is_english_form(p) for p in low.split("-"))):
            return None  # `the user name was changed`, `is stored in hex`, `is case-sensitive`
        if cand.rule.name == "command output account" and low in ("services", "console", "listen"):
            return None   # qwinsta's session names: `services   0  Disc`
        if cand.rule.name in ("process listing user", "file owner listing") and not re.search(r"[^\W\d]", value):
            return None   # a table of numbers (`13975 320 54780 12 …`), `ls -n`'s numeric owner
        if cand.rule.name == "ticket field" and (re.match(r"[ \t]+[A-Z]", cand.match.string[cand.end:cand.end + 2])
                                                 or is_english_form(low) or not _looks_like_user(value)):
            return None   # `caller_id=Maria Berg`: a person (the name rules); `assigned_to=unassigned`
        if cand.rule.name == "iam user" and (is_english_form(low) or not re.search(r"[\d_.@=+,-]", value)
                                             and is_english_word(low)):
            return None   # `IAM user accounts`, `IAM user with console access`
        if cand.rule.name == "unix account command" and (not _looks_like_user(value) or is_english_form(low)):
            return None   # `su - root` (built in, above); `passwd file`
        if cand.rule.name == "user name label" and (not _looks_like_user(value) or is_english_form(low)):
            return None   # `the user name field,`, `account name changed;`
        if cand.rule.name in ("user, then a verb", "handle, then a logon") and (
                not _looks_like_user(value) or is_english_form(low) or is_security_term(value)):
            return None   # `the user account was`, `user interaction is`, `user mimikatz ran`
        if cand.rule.name == "user or account in prose":
            word = re.fullmatch(r"([a-z]+)\d+", low)
            if _VERSION.fullmatch(low) or _has_suffix(low) or \
                    (word and (len(word.group(1)) <= 3 or is_english_word(word.group(1)))):
                return None   # `user v2.1`, `account win32`, `user x64`, `user evil.com`, `account invoice.zip`
        if cand.rule.name == "account list" and (value != low and not re.search(r"[\d._-]", value)
                                                 or not _looks_like_user(value) or is_english_form(low)):
            return None   # `Users: Marketing, Sales`, `Accounts: Contoso`: a user name is lower case or a handle
        if cand.rule.name == "user domain\\user in prose" and (
                cand.match.group("d").lower() in WELL_KNOWN_DOMAINS or not _looks_like_user(value) or is_english_form(low)):
            return None   # `user sys\drivers`: a path
        if cand.rule.name == "ticket handle" and (not _looks_like_user(value) or is_english_form(low)
                                                  or is_security_term(low) or len(low) < 3
                                                  or _VERSION.fullmatch(low) or re.fullmatch(r"t\d{4}(?:\.\d{3})?", low)):
            return None   # `Assignee: unassigned`, `Owner: soc`, `Opened by: me`, `Assigned to: it`
        if cand.rule.name == "angle-bracket user" and low in _HTML_TAGS:
            return None   # `the user <b>name</b>`
        if cand.rule.name == "log field" and value.isdigit() and re.match(r"(?i)(?:[aeos]|fs)?u(?:ser[ _]?)?id", cand.match.group(0)):
            return None  # `uid=0`, `(uid=1001)`, `UserId: 4`, auditd's `auid=1003`: a number on one machine, nobody's name
        if cand.rule.name == "log field" and _GUID.fullmatch(value) and re.match(r"(?i)\W*uid", cand.match.group(0)):
            return None  # Kubernetes' `"uid": "c3db49f8-…"`: a request's or an object's ID
        if cand.rule.name == "log field" and (low == "nt" or cand.match.string[cand.end:cand.end + 2] in (":\\", ":/")):
            return None  # Sysmon's `User: NT AUTHORITY\SYSTEM`, a drive letter (`user=C:\Users\x`)
        if cand.rule.name == "log field" and re.search(r"\.(?:user_?(?:id|name)|uid|login|account)$", low):
            return None  # SQL: `ors.user_id=tr.user_id`, a column, not a value
        if cand.rule.name == "log field" and "@" in value:
            return None  # a UPN: the email recognizer reports it
        if cand.rule.name == "log field" and cand.match.string.startswith("\\", cand.end):
            return None  # the domain part of `MicrosoftAccount\x@…` (longer than a NetBIOS domain: not one)
        if cand.rule.name == "windows profile path" and _build_path(cand.match.string, cand.start, cand.end):
            return None   # `C:\Users\rmgree5\…\loader.pdb` of a sample: the attacker's build machine, an indicator
        if is_security_term(value) and cand.rule.name not in ("windows profile path", "unix home path"):
            return None
        return cand.score


_PDB = re.compile(r"(?i)\.pdb(?![\w.])")


def _build_path(text: str, start: int, end: int) -> bool:
    """Is the profile path at [start, end) a program's debug path: does its line go on to a `.pdb`? (Not
    `PDB` said before it: a victim's path may follow.)"""
    line_end = text.find("\n", end, end + 300)
    return _PDB.search(text, end, end + 300 if line_end == -1 else line_end) is not None


class MachineAccountRecognizer(RegexRecognizer):
    """`FIN-WS-0231$` (computer account) -> the host name without the dollar."""

    ENTITIES = (HOSTNAME,)
    RULES = (Rule("machine account", rf"(?<![{WORD}\\$/~-])(?P<h>{SHORT_HOST})(?=\$(?!\w))", 0.85,
                  (("h", HOSTNAME),), triggers=('$',)),)

    def check(self, cand: Candidate) -> float | None:
        if is_security_term(cand.value) or in_blob(cand.match.string, cand.start, cand.end + 1):
            return None   # not `xf0vI6d$` inside an encoded payload
        if cand.value.upper() in ("CONIN", "CONOUT") or cand.match.string.startswith("$=", cand.end):
            return None   # the console's `CONIN$`; `net share shared$=%SystemRoot%` makes a hidden share
        return cand.score
