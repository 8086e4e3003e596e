"""Host and domain names.

- FQDN-shaped names (also defanged) are reported as DOMAIN_NAME; policy decides whether one
  is internal (internal suffix, profile domain -> replaced as HOSTNAME/DOMAIN_NAME) or an
  external indicator (kept). A bundled public-suffix snapshot (tldextract, no download)
  tells domains from file names (`svchost.exe`, `config.json`).
- Short host names: profile naming conventions, context (`host`, `server`, `workstation`,
  `Computer:`, `ComputerName=`, `<Data Name="WorkstationName">` ...), JSON objects and ECS names
  (`"host": {"name": …}`), syslog lines, UNC paths, cloud-style `ip-10-0-3-17`, common prefixes
  (`DC01`, `fs01`, `jmp-02`), upper-case site-role-number names (`FIN-LT-0042`), the remote machine
  of a command line (`mstsc /v:`, `wmic /node:`, `-Server`), Azure VM resource IDs and GCP instance paths, ipconfig and
  systeminfo `Host Name`, lists after a label (`Compromised hosts: a, b`).
Near misses: `SQL2019`, `Windows Server 2019`, file names, dotted code (`os.path.join`).
"""
from __future__ import annotations

import re
from functools import lru_cache

import tldextract

from .base import Candidate, RegexRecognizer, Rule, in_blob
from .defang import DOT, is_defanged, refang
from .english import is_english_word
from .entity_types import DOMAIN_NAME, HOSTNAME
from .indicators import CVE
from .network import parse_ip
from .shapes import DB_CLIENT, DB_CLIENT_NAMES, WIN_REMOTE, WIN_REMOTE_NAMES
from .vocabulary import is_security_term

INTERNAL_SUFFIXES = (
    "local", "internal", "lan", "corp", "intranet", "ad", "localdomain", "home.arpa", "private",
    "ec2.internal", "compute.internal",
)
# real TLDs that are far more often file extensions in incident text
FILE_EXTENSIONS = frozenset("""
exe dll sys bat cmd ps1 psm1 vbs vbe js jse jar py pyc sh zip rar 7z gz tgz tar doc docx docm xls
xlsx xlsm ppt pptx pdf txt log csv json xml html htm php asp aspx jsp lnk iso img msi tmp dat bin
cfg conf ini yml yaml md rs go c cpp h mov mp4 png jpg jpeg gif db sql bak eml msg hta scr cab
""".split())

# Names are not only ASCII: `müller-pc`, `IŞIK-SRV-01`, `ws-éric-01` (any letter or digit, as `\w`
# reads them without the underscore; Punycode `xn--` labels are ASCII anyway), also in decomposed
# form (NFD: `u` + U+0308 for `ü`), where the combining mark is not `\w`: MARKS are those blocks.
MARKS = r"\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
ALNUM = rf"(?:[^\W_]|[{MARKS}])"       # a letter or digit, any script
HOST_CHAR = rf"(?:[^\W_]|[{MARKS}-])"  # ... or a hyphen
LETTER = rf"(?:[^\W\d_]|[{MARKS}])"
WORD = rf"\w{MARKS}"                  # `\w` and the marks, inside a class: `[{WORD}.-]`
SHORT_HOST = rf"{LETTER}{HOST_CHAR}{{1,14}}"
# one DNS label, 1-63 characters, a letter or digit at each end; always followed by a dot (`DOT`),
# so it is taken whole and never given back (atomic): no spelling of a dot starts with a host
# character, and trying every shorter label first made `fqdn` the slowest rule on a dense log
LABEL = rf"(?={ALNUM})(?>{HOST_CHAR}{{1,63}})(?<!-)"
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # bundled snapshot only

_HOST_CONTEXT = (
    r"(?:host(?:\s*name)?|server|workstation(?:\s*name)?|computer(?:\s*name)?|machine(?:\s*name)?"
    r"|device(?:\s*name)?|endpoint|jump\s*(?:host|box|server)|domain\s+controller|dc|laptop|desktop"
    r"|vm|node|src_?host|dst_?host|source\s+host|destination\s+host|dvc|dhost|shost|dvchost"
    # FortiGate: `devname="HB-FW01" srcname="FINWS042"`, LEEF; a ServiceNow ticket's CI
    r"|srcname|dstname|devname|identhostname|configuration\s+item|cmdb_ci|(?-i:CI)(?=[ \t]*:))"
)


# parts of cipher suites, standards and advisories spelled like `SITE-ROLE-NN`
_NOT_HOST_PARTS = frozenset("""
aes gcm cbc ccm ctr rsa dsa sha sha1 sha2 md5 ecdhe ecdh dhe ecdsa hmac des tdes chacha poly pbkdf pkcs
iso iec nist sp fips rfc pci dss cis csc owasp asvs cwe capec ieee isac cert csirt apt unc dev storm tlp
""".split())


def list_item(states: str, nouns: str, item: str) -> str:
    """A pattern for each `item` of a list after a label, on the label's line:
    `Compromised hosts: a, b and c.`, also in brackets (YAML's `reviewers: [a, b]`) (`states`: the label's
    optional first word, `nouns`: its noun)."""
    # the separator before an item is matched first (the label's lookbehind ends with one), so most
    # places fail at once: led by the lookbehind, every position of a text scanned back along its line
    return (rf"(?im)(?:[:\[,;]|[ \t]and)[ \t]*"
            rf"(?<=(?:^|[\s(*-])(?:(?:{states})[ \t]+)?(?:{nouns})[ \t]*:[ \t]*\[?(?:[^\n:]*?(?:,|;|[ \t]and))?[ \t]*)"
            rf"{item}(?=[ \t]*(?:[,;()\]]|[ \t]and[ \t]|\.?[ \t]*\r?$))")


def extract_domain(name: str) -> tldextract.tldextract.ExtractResult:
    """subdomain, registrable label and public suffix (bundled list, no download)."""
    return _EXTRACT(name)


def is_internal_name(name: str, internal_domains: tuple[str, ...] = ()) -> bool:
    low = name.lower().rstrip(".")
    suffixes = INTERNAL_SUFFIXES + tuple(d.lower() for d in internal_domains)
    return any(low == s or low.endswith("." + s) for s in suffixes)


@lru_cache(maxsize=65536)
def looks_like_short_host(name: str) -> bool:
    """A bare token that can be a host name: has a digit (or is `UPPER-CASE`), not vocabulary."""
    core = name.rstrip("$")
    if not re.fullmatch(SHORT_HOST, core) or core.endswith("-"):
        return False
    if not re.search(r"\d", core):
        # no digit: only an upper-case hyphenated name (`FILESRV-A`) whose parts are not jargon
        if not (core.isupper() and "-" in core):
            return False
        if any(is_security_term(part) for part in core.split("-")):
            return False
    return not is_security_term(core) and not is_english_word(core.replace("-", ""))


# the platform of an AV detection name, right before its family and variant (`Win64/Turla.AD`)
_DETECTION_PREFIX = re.compile(r"(?i)(?<![\w/])(?:\w+:)?(?:win(?:16|32|64|nt)|msil|linux|osx|macos|android|ios|js|vbs|"
                               r"html|pdf|[wxo]97m|java|python|powershell|bat|php|perl|elf|unix|multi|doc|lnk)/\Z")
# Kaspersky's and others' dotted detection names: a class, then (often) a platform, a family and a variant
# that can be a country's TLD (`Trojan-Spy.Win32.Zbot.ad`, `HEUR:Exploit.Java.CVE-2012-1723.gen`)
_DETECTION_NAME = re.compile(r"(?i)(?:[a-z-]+:)?(?:trojan(?:-[a-z]+)?|backdoor|exploit|(?:[a-z0-9]+-)?worm|virus|"
                             r"hacktool|risktool|adware|downloader|dropper|rootkit|packed|hoax|spyware|ransom)\.")
# a detection name's label that is a CVE: `Exploit.Win32.CVE-2012-0158.j`
_CVE_LABEL = re.compile(rf"(?i)(?:^|\.){CVE}(?:\.|$)")


def _private(address: str) -> bool:
    try:
        return parse_ip(address).is_private
    except ValueError:
        return False


# fixed names of virtual shares, no one's machine: VirtualBox's `\\VBOXSVR\`, RDP's `\\tsclient\`, WSL's
_SHARE_SERVERS = frozenset({"vboxsvr", "vboxsrv", "tsclient", "wsl", "wsl.localhost"})


class DomainRecognizer(RegexRecognizer):
    ENTITIES = (DOMAIN_NAME,)
    RULES = (
        Rule("fqdn", rf"(?<![{WORD}.%-])(?:{LABEL}{DOT})+{LETTER}{HOST_CHAR}{{0,62}}(?![{WORD}-]|{DOT}\w)",
             0.6),
        # ... right after a URL-encoded separator: `%2F%2Fintranet.hb.local%2F`, `login_hint=m.berg%40hb.no` (the
        # name, not the escape's hex digits; led by its `%`, which the scan skips to)
        Rule("fqdn after an escape", rf"%[0-9A-Fa-f]{{2}}(?P<h>(?:{LABEL}{DOT})+{LETTER}{HOST_CHAR}{{0,62}})"
             rf"(?![{WORD}-]|{DOT}\w)", 0.6, (("h", DOMAIN_NAME),), triggers=("%",)),
        # Windows' DNS debug log: `(7)finws42(2)hb(5)local(0)` (see `defang.refang`)
        Rule("dns wire name", r"(?<![\w)])(?:\(\d{1,2}\)[A-Za-z0-9_-]{1,63}){2,}\(0\)", 0.6, triggers=("(0)",),
             engine="regex"),
    )

    def __init__(self, internal_domains: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.internal_domains = internal_domains
        self._scores: dict[tuple[str, float], float | None] = {}

    def check(self, cand: Candidate) -> float | None:
        if _DETECTION_PREFIX.search(cand.match.string, max(0, cand.start - 24), cand.start):
            return None   # ESET's `Win64/Turla.AD`, Microsoft's `Trojan:Win32/Emotet.AB`: a detection name
        if _DETECTION_NAME.match(cand.value) or _CVE_LABEL.search(cand.value):
            return None   # Kaspersky's `Trojan-Spy.Win32.Zbot.ad` (Andorra's TLD): a detection name, kept as written
        return self._score(cand.value, cand.score)

    def _score(self, written: str, score: float) -> float | None:
        """A pure function of the name as written: memoized per recognizer."""
        key = (written, score)
        try:
            return self._scores[key]
        except KeyError:
            pass
        value = refang(written).rstrip(".")
        if is_internal_name(value, self.internal_domains):
            result: float | None = 0.9
        elif value.rsplit(".", 1)[-1].lower() in FILE_EXTENSIONS and not is_defanged(written):
            result = None
        elif not _EXTRACT(value).suffix:
            result = None
        else:
            result = score
        if len(self._scores) < 65536:
            self._scores[key] = result
        return result


_HEX = re.compile(r"[0-9A-Fa-f]+")
_HEX_BEFORE = re.compile(r"(?<![\w-])(?P<g>[0-9A-Fa-f]+)(?P<offset>:?)[ \t]+\Z")
_HEX_AFTER = re.compile(r"[ \t]+(?P<g>[0-9A-Fa-f]+)(?![\w-])")


def _in_hex_dump(text: str, start: int, end: int) -> bool:
    """Is [start, end) a group of hex digits between two more of its length (`8111 e1f2 5092 dc54 49b2`), or
    first after a line's offset (`0000350: dc80 76ec`)?"""
    size = end - start
    if _HEX.fullmatch(text, start, end) is None:
        return False
    before = _HEX_BEFORE.search(text, max(0, start - 14), start)
    after = _HEX_AFTER.match(text, end, end + size + 4)
    if before is None or after is None or len(after.group("g")) != size:
        return False
    group = before.group("g")
    return 4 <= len(group) <= 8 if before.group("offset") else len(group) == size


def _next_host(group: str) -> str:
    """The next host of a sentence that names one after an action: `, B`, ` and B`, ` to B`, ` and then to B`."""
    return (r"(?:(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)(?:then[ \t]+)?(?:(?:to|from|onto)[ \t]+)?"
            rf"|[ \t]+(?:then[ \t]+)?(?:to|from|onto)[ \t]+)[\"'`]?(?P<{group}>{SHORT_HOST})(?![{WORD}-]|\.\w)")

# a product, cipher, standard, period or technique written like a numbered machine (`AES256`, `Windows10`, `FY24`)
_NOT_A_MACHINE = re.compile(r"(?i)(?:aes|sha|md|rc|des|crc|utf|iso|rfc|pkcs|tls|ssl|http|smb|ntlm|kb|cve|ta?|win|base|arm|amd|"
                            r"windows|server|ec|s|q|fy|h|w|ipv|v|x|p|b|sp|cu|rhel|centos|ubuntu|debian|office|"
                            r"exchange|sql|iis|net|java|python|php|node|log4j|stage|step|phase|tier|level|layer|version|part|round|day|"
                            r"week|month|year|wave|team|group|room|floor)-?\d+$")


# CVE IDs and ATT&CK techniques and tactics, kept indicators (not the `S0154`/`G0016` forms: a server
# named `S1234` is likelier after "server" than ATT&CK's software or group ID)
_INDICATOR_ID = re.compile(rf"(?i){CVE}|ta?\d{{4}}(?:\.\d{{3}})?|ghsa(?:-[a-z0-9]{{4}}){{3}}")


_BSD_TIME = r"[A-Z][a-z]{2}[ ]{1,2}\d{1,2}[ ]\d\d:\d\d:\d\d"
_ISO_TIME = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?"


class HostnameRecognizer(RegexRecognizer):
    ENTITIES = (HOSTNAME,)
    RULES = (
        Rule("host in context",
             rf"(?i)\b{_HOST_CONTEXT}\b[\"']?\s*(?:[:=]=?|!=|[=!]~|name\s*[:=]|>|is|was|named|called)?\s*[\"'`]?"
             rf"(?P<h>{SHORT_HOST}\$?)(?![{WORD}-]|\.\w)", 0.8, (("h", HOSTNAME),), engine="regex"),
        # ECS and friends: `"host": {"name": "fin-lt-0042"}`, `"host.name": "…"`
        Rule("json host object",
             rf"\"(?:host|device|computer)(?:\"\s*:\s*\{{[^{{}}]{{0,300}}?\"|\.)(?:name|hostname)\"\s*:\s*\""
             rf"(?P<h>{SHORT_HOST}\$?)\"", 0.8, (("h", HOSTNAME),), triggers=('"host', '"device', '"computer')),
        # `Mar  2 11:22:33 bastion01 sshd[2231]:`: the host field of a syslog line (also a Cisco device's, whose
        # message starts with its mnemonic: `hb-asa01 %ASA-6-722051:`)
        # (with or without its `<134>` priority; a PAN-OS record (`fw01 1,2026/11/12 …`) and a CEF one follow the
        # host with no program name)
        Rule("syslog host",
             rf"(?m)^(?:<\d{{1,3}}>)?(?:{_BSD_TIME}|{_ISO_TIME})[ ](?P<h>{SHORT_HOST})"
             r"[ ](?:%?[\w./-]{1,32}(?:\[\d+\])?:[ ]|\d,\d{4}/\d\d/\d\d[ ]|(?:CEF|LEEF):\d)", 0.8, (("h", HOSTNAME),),
             engine="regex"),
        # RFC 5424: `<134>1 2026-11-12T22:41:07Z fw01 sshd 2231 - - …` (host, app, process id)
        Rule("syslog 5424 host",
             rf"(?m)^<\d{{1,3}}>1[ ]{_ISO_TIME}[ ](?P<h>{SHORT_HOST})[ ][\w./-]{{1,48}}[ ](?:\d+|-)[ ]", 0.8, (("h", HOSTNAME),), triggers=(">1 ",), engine="regex"),
        # ISC dhcpd: `DHCPACK on 10.20.5.77 to 00:50:56:a1:3f:7c (FINWS042) via eth0`: the client's name
        Rule("dhcp client",
             rf"\bDHCP(?:ACK|REQUEST|OFFER|DISCOVER|INFORM|RELEASE|DECLINE)\b[^\n(]{{0,80}}?"
             rf"[0-9a-fA-F]{{2}}(?::[0-9a-fA-F]{{2}}){{5}}[ \t]+\((?P<h>{SHORT_HOST})\)", 0.85, (("h", HOSTNAME),),
             triggers=('dhcp',), engine="regex"),
        Rule("unc host", rf"(?:(?<=[\s\"'(=:,;>\[])|^)\\{{2,4}}(?P<h>{ALNUM}{HOST_CHAR}{{0,62}})(?=\\|\s|$|[\"'])", 0.85,
             (("h", HOSTNAME),), triggers=('\\\\',), engine="regex"),
        # the remote machine of a command line: `mstsc /v:FIN-SRV-01`, `wmic /node:"HR-PC-17"`,
        # `nltest /server:DC01`, `Get-ADUser -Server dc01`, `Invoke-Command -cn fin-app01`
        Rule("remote target switch",
             r"(?i)(?<![\w/-])(?:/(?:v|node|server|computer)[:=]|-(?:cn|server|computer)[ \t]+)[\"']?"
             rf"(?P<h>{SHORT_HOST})(?![{WORD}-]|\.\w)", 0.8, (("h", HOSTNAME),),
             triggers=('/v:', '/node:', '/server:', '/computer:', '/v=', '/node=', '/server=', '/computer=',
                       '-cn', '-server', '-computer'), engine="regex"),
        # a database client's server: `mysql -h db-prod-02 -u app_ro`, `psql --host=pg01`, `sqlcmd -S FINSQL01`
        Rule("database client host",
             rf"{DB_CLIENT}[ \t](?-i:-h[ \t]*|--host[= ]|-S[ \t]*)[\"']?(?P<h>{SHORT_HOST})(?![{WORD}-]|\.\w)", 0.8,
             (("h", HOSTNAME),), triggers=DB_CLIENT_NAMES, engine="regex"),
        # `schtasks /s FINSQL01`, `tasklist /S fin-app01`, `wevtutil qe Security /r:FINSQL01`
        Rule("windows tool remote host", rf"{WIN_REMOTE}(?:/s[ \t]+|/r:)[\"']?(?P<h>{SHORT_HOST})(?![{WORD}-]|\.\w)", 0.8,
             (("h", HOSTNAME),), triggers=WIN_REMOTE_NAMES, engine="regex"),
        # an Azure resource ID's virtual machine: `…/providers/Microsoft.Compute/virtualMachines/vm-fin-app01`
        Rule("azure vm", rf"(?i)/providers/Microsoft\.Compute/virtualMachines/(?P<h>{LETTER}{HOST_CHAR}{{0,63}})",
             0.85, (("h", HOSTNAME),), triggers=('/virtualmachines/',), engine="regex"),
        # a Compute Engine instance in a GCP audit log's resource name: `projects/p/zones/europe-north1-a/instances/hb-web-01`
        Rule("gcp instance", r"\bprojects/[a-z][a-z0-9-]{4,28}[a-z0-9]/zones/[a-z0-9-]{1,40}/instances/(?P<h>[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)"
             r"(?![\w.-])", 0.85, (("h", HOSTNAME),), triggers=('/instances/',), engine="regex"),
        # gcloud's instance: `gcloud compute ssh admin@hb-web-01 --zone …`,
        # `gcloud compute instances describe hb-web-01`
        Rule("gcloud instance",
             r"\bgcloud[ \t]+(?:beta[ \t]+)?compute[ \t]+(?:ssh|scp|instances[ \t]+(?:describe|delete|stop|start|reset|"
             r"get-serial-port-output|add-metadata|set-service-account))[ \t]+(?:[a-z_][\w.-]*@)?"
             r"(?P<h>[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?)(?![\w.-]|:)", 0.85, (("h", HOSTNAME),), triggers=("gcloud",),
             engine="regex"),
        # command output: ipconfig `Host Name . . . : FINLT0042`, systeminfo `Host Name:   FINLT0042`
        Rule("host name field",
             rf"(?m)^[ \t]*Host Name(?:[ .]*:|:)[ \t]*(?P<h>{SHORT_HOST})[ \t]*\r?$", 0.85, (("h", HOSTNAME),),
             triggers=('host name',), engine="regex"),
        # what responders and attackers do to a machine: `isolating FINWS42`, `RDP to FS02` (and `RDP from A to B`),
        # `pivoted to SQL01`
        # (a stricter shape than after a noun, see check)
        # and the hosts it goes on to: `pivoted from FINWS042 to FINSQL01 and then to WEB-PROD-3`, `rebuilt A and B`
        Rule("host after an action",
             r"(?i)\b(?:isolat(?:e|ed|ing)|re-?imag(?:e|ed|ing)|quarantin(?:e|ed|ing)|rebuilt|wiped"
             r"|rdp(?:'d)?\s+(?:to|into|from)"
             r"|logged\s+(?:on|in)\s+to|pivot(?:ed|ing)?\s+(?:to|from)|moved\s+(?:laterally\s+)?(?:to|from))\s+[\"'`]?"
             rf"(?P<h>{SHORT_HOST})(?![{WORD}-]|\.\w)(?:{_next_host('h2')}(?:{_next_host('h3')})?)?", 0.75,
             (("h", HOSTNAME), ("h2", HOSTNAME), ("h3", HOSTNAME)),
             triggers=("isolat", "imag", "quarantin", "rebuilt", "wiped", "rdp", "logged", "pivot", "moved"), engine="regex"),
        # the same, told the other way round: `FINWS042 was isolated`, `FIN-SQL-01 is beaconing`
        Rule("host in a state",
             rf"(?<![{WORD}.-])(?P<h>{SHORT_HOST})[ \t]+(?:is|was|has[ \t]+been|had[ \t]+been|got)[ \t]+(?:now[ \t]+|also[ \t]+)?"
             r"(?:isolated|quarantined|re-?imaged|wiped|rebuilt|contained|beaconing|compromised|infected|encrypted|"
             r"(?:taken[ \t]+)?offline)\b", 0.75, (("h", HOSTNAME),),
             triggers=("isolated", "quarantined", "imaged", "wiped", "rebuilt", "contained", "beaconing", "compromised",
                       "infected", "encrypted", "offline")),
        # a machine beside its private address: `FINWS042 (10.14.37.48)`, `10.14.37.48 (FINWS042)`
        Rule("host beside its address",
             rf"(?<![{WORD}.-])(?:(?P<h>{SHORT_HOST})[ \t]*\([ \t]*(?P<ip>(?:\d{{1,3}}\.){{3}}\d{{1,3}})[ \t]*\)"
             rf"|(?P<ip2>(?:\d{{1,3}}\.){{3}}\d{{1,3}})[ \t]*\([ \t]*(?P<h2>{SHORT_HOST})[ \t]*\))",
             0.75, (("h", HOSTNAME), ("h2", HOSTNAME)), triggers=("(",)),
        # a path of lateral movement: `FINWS042 -> FINSQL01 (RDP)`
        Rule("host arrow",
             rf"(?<![{WORD}.-])(?P<a>{SHORT_HOST})[ \t]*(?:-{{1,2}}>|=>)(?=[ \t]*(?P<b>{SHORT_HOST})(?![{WORD}-]|\.\w))",
             0.75, (("a", HOSTNAME), ("b", HOSTNAME)), triggers=("->", "=>"), engine="regex"),
        # a list after a label: `Compromised hosts: FIN-LT-0042, payroll01 and dc02.`
        Rule("host list",
             list_item("affected|compromised|impacted|infected|isolated|encrypted|targeted",
                       "hosts?|systems?|machines?|endpoints?|servers?|workstations?|devices?|assets?|computers?",
                       rf"(?P<h>{SHORT_HOST})"),
             0.8, (("h", HOSTNAME),), triggers=('host', 'system', 'machine', 'endpoint', 'server', 'workstation',
                                                'device', 'asset', 'computer'), engine="regex"),
        # site-role-number naming, upper case: `FIN-LT-0042`, `HR-PC-17`, `OSL-WS-1187`, `NYC-SRV-DB01`
        Rule("site-role-number host",
             r"(?<![\w.-])[A-Z]{2,5}-[A-Z]{2,6}(?:-[A-Z0-9]{1,6})*-[A-Z]{0,3}\d{2,5}(?![\w-]|\.\w)", 0.75, engine="regex"),
        # a network or server device's role, then its site or function, then its number: `gw-oslo-01`,
        # `rtr-core-02`, `sw-fin-3f-12`, `esx-prod-07` (not an AWS region: `ap-south-1`)
        Rule("device role name",
             r"(?i)(?<![\w.-])(?!ap-(?:south|southeast|northeast|east|central)-\d)"
             r"(?:gw|rtr|sw|fw|ap|wlc|lb|vpn|esxi?|vc|nas|san|prn|srv|svr|dc|ws|wks|lt|pc|sql|db|app|web|proxy)"
             r"-[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d{1,4}(?![\w-]|\.\w)", 0.75, engine="regex"),
        Rule("cloud host", r"(?<![\w-])ip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}(?![\w-])", 0.85, triggers=('ip-',), engine="regex"),
        # a phone's or laptop's name, which holds its owner's first name (Okta's, Intune's, Jamf's device fields):
        # `iPhone-Anders`, `Anders's iPhone`, `Anderss-MacBook-Pro`, `Galaxy-S23-Ingrid`
        Rule("personal device",
             r"(?<![\w-])(?:(?:iPhone|iPad|MacBook(?:-?(?:Pro|Air))?|MBP|iMac|Galaxy(?:-S\d{1,2})?|Pixel(?:-\d{1,2})?)"
             r"-(?P<a>\p{Lu}\p{Ll}+)"
             r"|(?P<b>\p{Lu}\p{Ll}+)(?:s|['\u2019]s)[- ](?:iPhone|iPad|iMac|MBP|MacBook(?:[- ](?:Pro|Air))?)"
             r"(?:[- ]\d{1,2})?)(?![\w-])", 0.8,
             triggers=("iphone", "ipad", "macbook", "mbp", "imac", "galaxy", "pixel"), engine="regex"),
        Rule("common host prefix",
             r"(?i)(?<![\w.-])(?:(?:dc|srv|svr|wks?|lt|fs|sql|exch|vpn|jmp|jump|adfs|bkp|esxi?|vc|nas|rdsh?"
             r"|ctx|fw)[-_]?\d{1,3}|(?:web|app|db|mail|file|proxy|dev|prod|test)[-_]?\d{2,3}"
             # numbered fleets (`WKS-0231`, `LT-10442`), but not a product's year (`SRV-2019`)
             r"|(?:wks?|lt|srv|svr|fs|jmp|bkp|nas|pc)[-_]?(?!(?:19|20)\d\d(?!\d))\d{4,5})(?![\w-]|\.\w)",
             0.7),
    )

    def __init__(self, patterns: tuple[str, ...] = ()) -> None:
        extra = tuple(Rule(f"profile hostname pattern {i + 1}", p, 0.95, untrusted=True)
                      for i, p in enumerate(patterns))
        super().__init__(self.RULES + extra)

    def check(self, cand: Candidate) -> float | None:
        name = cand.value.rstrip("$")
        if cand.rule.name == "personal device":   # not `iPhone-Work`, `Pixel-Test`: no one's name
            owner = cand.match.group("a") or cand.match.group("b")
            return None if is_english_word(owner) or is_security_term(owner) else cand.score
        if cand.rule.name.startswith("profile") or cand.rule.name in ("cloud host", "azure vm", "gcp instance"):
            return cand.score
        if name.lower() in ("localhost", "localhost.localdomain") or _INDICATOR_ID.fullmatch(name):
            return None   # `the server CVE-2023-4966 …`: the CVE is what peers need
        if cand.rule.name == "site-role-number host" and any(p.lower() in _NOT_HOST_PARTS for p in name.split("-")):
            return None   # `AES-GCM-256`, `ISO-IEC-27001`, `TLP-AMBER-01`
        if cand.rule.name == "device role name":   # its shape says so, longer than NetBIOS's 15 too
            return None if is_security_term(name) else cand.score
        if cand.rule.name in ("syslog host", "syslog 5424 host", "json host object", "host name field"):
            # the place says it is a host, whatever its shape
            return None if is_security_term(name) or name.endswith("-") else cand.score
        if cand.rule.name == "common host prefix" and in_blob(cand.match.string, cand.start, cand.end):
            return None   # `…Lt9…` inside an encoded payload
        if cand.rule.name == "host beside its address" and not _private(cand.match.group("ip") or cand.match.group("ip2")):
            return None   # `Stage2 (185.174.187.29)`: the attacker's server, named by its address
        if cand.rule.name in ("host after an action", "host arrow", "host in a state", "host beside its address") and (
                not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*(?:\d\d|-\d+)", name) or _NOT_A_MACHINE.match(name)):
            return None   # `moved to S3`, `pivoted to EC2`, `isolated AES256 keys`, `logged on to Windows10`
        if cand.rule.name in ("unc host", "remote target switch"):   # not `\\server\`, `cmd /v:on`
            return None if is_security_term(name) or is_english_word(name) or name.lower() in _SHARE_SERVERS \
                else cand.score
        if _in_hex_dump(cand.match.string, cand.start, cand.end):
            return None   # `5092 dc54 49b2` of a hex dump
        if cand.rule.name == "host in context" and len(name) <= 2:
            return None   # `DC F0` in a hex dump (a two-character host name is no one's)
        return cand.score if looks_like_short_host(name) else None
