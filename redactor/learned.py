"""Our own domains, learned from the text: fields that only ever name the reporting
organisation's DNS domain (ipconfig's DNS suffix, a Kerberos realm, a user principal name, the
domain components of a directory DN).

Without a profile, `corp.halvorsen.net` is just a domain, kept like an attacker's. When pasted
command output says it is the machine's own DNS suffix, it is ours: the policy learns it
(`Policy.learn`) and everything under it is internal from then on, batch-wide. A field names
the domain itself, never the registrable domain above it (`corp.halvorsen.net`, not
`halvorsen.net`). Provider and free-mail domains are never learned (an Azure VM's suffix is
`reddog.microsoft.com`; a UPN can be `someone@outlook.com`), and neither is a name without a
public suffix (`CORP`) nor one already internal (`hb.local`). A Microsoft 365 tenant named so
(`x@halvorsenbank.onmicrosoft.com`) teaches our name, `halvorsenbank`, not Microsoft's zone.
"""
from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from recognizers.hostnames import extract_domain, is_internal_name
from recognizers.tables import upn_cells, user_address_cells

from .policy import tenant_of

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
_REALM = r"[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?(?:\.[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?)+"
_END = r"(?![\w.-]*[\w-])"   # the whole name, not its start

# (words one of which the lower-cased text must hold, pattern): group 1 names a domain of ours
_FIELDS = tuple((words, re.compile(p, re.MULTILINE)) for words, p in (
    # ipconfig /all
    (("dns suffix",),
     rf"(?i)^[ \t]*(?:Connection-specific DNS Suffix|Primary Dns Suffix|DNS Suffix Search List)"
     rf"[ \t.]*:[ \t]*({_NAME}){_END}"),
    # `set` / `$env:` / `Get-ChildItem env:`, and net config workstation
    (("userdnsdomain",), rf"(?i)\bUSERDNSDOMAIN\b[ \t]*[=:]?[ \t]*({_NAME}){_END}"),
    (("domain dns name",), rf"(?i)^[ \t]*Workstation domain DNS name[ \t]+({_NAME}){_END}"),
    # Get-ADDomain / Get-ADForest, nltest /dsgetdc
    (("dnsroot", "dom name", "forest name", "dnsforestname", "dnsdomainname"),
     rf"(?i)^[ \t]*(?:DNSRoot|Dom Name|Forest Name|DnsForestName|DnsDomainName)[ \t]*:[ \t]*({_NAME}){_END}"),
    # a user principal name: `UserPrincipalName : x@dom`, `"userPrincipalName": "x@dom"`, `upn=x@dom`
    (("principal", "upn"),
     rf"(?i)(?:\buser[ _]?principal(?:[ _]?name)?|(?<![^\W_])(?:[a-z]*account)?upn)\b[\"']?[ \t]*[:=][ \t]*[\"']?"
     rf"[^\s@\"',;]+@({_NAME}){_END}"),   # Defender's `AccountUpn`, `InitiatingProcessAccountUpn`
    # our tenant's own logs: Okta `"alternateId"`, the M365 unified audit log's `"UserId"`, GCP's
    # audit log `"principalEmail"` (a service account's is a provider's, never learned), Azure's activity log `"caller"`
    (("alternateid", "userid", "principalemail", "caller"),
     rf"(?i)\"(?:alternateId|UserId|principalEmail|caller)\"[ \t]*:[ \t]*\"[^\s@\"]+@({_NAME}){_END}\""),
    # ... and as a SIEM flattens Okta's events: `actor.alternateId=x@dom`, `actor.alternateId: "x@dom"`
    (("actor.alternateid",), rf"(?i)\bactor\.alternateId[ \t]*[=:][ \t]*\"?[^\s@\"]+@({_NAME}){_END}"),
    # Google Workspace's audit log: `"actor": {"email": "x@dom", …}`; SharePoint's claims `i:0#.f|membership|x@dom`
    (("actor",), rf"(?i)\"actor\"[ \t]*:[ \t]*\{{[^{{}}]{{0,200}}?\"email\"[ \t]*:[ \t]*\"[^\s@\"]+@({_NAME}){_END}\""),
    (("|membership|",), rf"(?i)\bi:0[#h]\.f\|membership\|[^\s@|\"]+@({_NAME}){_END}"),
    # an Exchange organisation header: set by our own servers, stripped from mail arriving from
    # another organisation; it names a server, so its domain is the rest of the name
    (("authsource",),
     rf"(?im)^X-MS-Exchange-Organization-AuthSource:[ \t]*[A-Za-z0-9-]+\.({_NAME}){_END}"),
    # a directory object's mail (`Get-ADUser -Properties *`, ldapsearch's LDIF): our users' domain
    (("samaccountname",), rf"(?im)^[ \t]*(?:EmailAddress|mail|proxyAddresses)[ \t]*:[ \t]*\{{?(?:SMTP:)?[^\s@{{]+@({_NAME}){_END}"),
    # the mailbox an Exchange cmdlet acts on (`New-InboxRule -Mailbox x@dom`, `Set-Mailbox -Identity x@dom`): one in
    # our Exchange organisation (not where it forwards to: `-ForwardTo`, `-ForwardingSmtpAddress`)
    (("mailbox", "inboxrule", "recipientpermission"),
     rf"(?i)\b(?:New|Set|Get|Add|Remove|Enable|Disable)-(?:Mailbox|InboxRule|MailboxPermission|RecipientPermission|"
     rf"MailboxFolderPermission|CASMailbox|MailboxAutoReplyConfiguration)\b[^\n;|]*?[ \t]-(?:Mailbox|Identity)[ \t]+"
     rf"[\"']?[^\s@\"']+@({_NAME}){_END}"),
    # a received mail's envelope recipient, which the receiving (our) mail system writes: `Delivered-To:`
    (("delivered-to", "x-original-to", "envelope-to"),
     rf"(?im)^(?:>[ \t]?)*(?:Delivered-To|X-Original-To|Envelope-To)[ \t]*:[ \t]*<?[^\s@<>\"]+@({_NAME}){_END}>?[ \t]*\r?$"),
    # Kerberos: klist `Client: jdoe @ CORP.HALVORSEN.NET`, krb5.conf `default_realm = ...`,
    # Windows events 4768/4769 `Account Domain: CORP.HALVORSEN.NET`, `Supplied Realm Name`
    (("client",), rf"(?i)^[ \t]*(?:#\d+>[ \t]*)?Client[ \t]*:[ \t]*\S+[ \t]+@[ \t]+({_NAME}){_END}"),
    (("krbtgt",), rf"(?i)\bkrbtgt/({_NAME}){_END}"),
    # a principal in upper case (`mberg@CORP.HALVORSEN.NET`) on a line about Kerberos
    (("kerberos", "tgt", "tgs", "kinit", "klist", "keytab", "realm"),
     rf"(?m)^(?=[^\n]*(?i:\b(?:kerberos|tgt|tgs|kinit|klist|keytab|realm)\b))[^\n]*?[\w.$-]@({_REALM}){_END}"),
    (("default_realm",), rf"(?i)\bdefault_realm[ \t]*=[ \t]*({_NAME}){_END}"),
    (("account domain", "realm name"),
     rf"(?i)^[ \t]*(?:Account Domain|Supplied Realm Name)[ \t]*:[ \t]*({_NAME}){_END}"),
    (("domainname",), rf"(?i)<Data Name=[\"'](?:TargetDomainName|SubjectDomainName)[\"']>({_NAME})</Data>"),
    # sssd / realm list
    (("domain-name", "realm-name"), rf"(?i)^[ \t]*(?:domain-name|realm-name)[ \t]*:[ \t]*({_NAME}){_END}"),
    # a server's hidden or administrative share (`\\fs01.corp.halvorsen.net\finance$`, `\\dc01.hb.net\SYSVOL`,
    # `\\x.corp.halvorsen.net\NETLOGON`): reached inside our network (SMB stops at the edge), its domain is ours
    (("\\\\",),
     rf"(?i)(?<![\w\\])\\\\[A-Za-z0-9][A-Za-z0-9_-]{{0,62}}\.({_NAME})\\(?:[\w.-]{{1,80}}\$|sysvol|netlogon)"
     rf"(?=[\\\s\"']|$)"),
    # /etc/resolv.conf: a line that is only `search a.b c.d` or `domain a.b`
    (("search", "domain"), rf"^(?:search|domain)[ \t]+({_NAME})(?:[ \t]+{_NAME})*[ \t]*$"),
))
# systeminfo's `Domain:` (aligned with two or more spaces), only in systeminfo output:
# `Domain: evil.com` in a list of indicators is the attacker's
_SYSTEMINFO = re.compile(r"(?im)^(?:OS Name|System Boot Time|Registered Owner|Logon Server):[ \t]")
_SYSTEMINFO_DOMAIN = re.compile(rf"(?im)^Domain:[ \t]{{2,}}({_NAME}){_END}[ \t]*$")

_UPN_CELL = re.compile(rf"[^\s@\"',;]+@({_NAME})")

_DN = re.compile(r"(?i)(?<![\w-])dc=[\w-]{1,63}(?:,[ ]?dc=[\w-]{1,63})+")
_DN_PART = re.compile(r"(?i)dc=([\w-]+)")

# never ours, whatever field names them: providers' zones and free mail
PROVIDERS = frozenset("""
microsoft.com windows.net azure.com cloudapp.net onmicrosoft.com azurewebsites.net amazonaws.com
amazon.com aws.com exchangelabs.com googleusercontent.com gserviceaccount.com google.com google.internal gcp.internal cloudflare.com
office365.com office.com microsoftonline.com sharepoint.com pphosted.com proofpoint.com mimecast.com messagelabs.com
okta.com zoom.us salesforce.com
oraclecloud.com oraclevcn.com digitalocean.com linode.com
gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com icloud.com
me.com mac.com aol.com proton.me protonmail.com pm.me gmx.com gmx.net gmx.de web.de mail.com
mail.ru yandex.ru yandex.com qq.com 163.com 126.com zoho.com tutanota.com tuta.io fastmail.com
example.com example.org example.net
""".split())


# a mail's header block, as clients print and quote it: `From: Maria Berg <maria.berg@halvorsen-bank.com>`
# then `To:`/`Cc:` lines, until a blank line
_MAIL_FROM = re.compile(r"(?im)^(?:>[ \t]?)*From:[ \t]*[^\n]*?<?([\w.+-]+@" + _NAME + r")>?[ \t]*\r?$")
_HEADER_LINE = re.compile(r"(?i)^(?:>[ \t]?)*[A-Za-z-]+:")
_RECIPIENTS = re.compile(r"(?i)^(?:>[ \t]?)*(?:To|Cc):")
_ADDRESS = re.compile(r"[\w.+-]+@(" + _NAME + r")")


def mail_domains(text: str) -> list[tuple[int, str]]:
    """(position, domain) of each mail between two mailboxes of one domain: a thread inside the
    organisation (`From: maria.berg@halvorsen-bank.com`, `To: soc@halvorsen-bank.com`). Not a
    phisher's mail to itself (one mailbox, victims in Bcc) nor mail between two domains."""
    out = []
    for m in _MAIL_FROM.finditer(text):
        sender = m.group(1).lower()
        domain = sender.rsplit("@", 1)[1]
        for line in text[m.end():m.end() + 2000].split("\n")[1:12]:
            if not _HEADER_LINE.match(line):
                break
            if _RECIPIENTS.match(line) and any(a.group(0).lower() != sender and a.group(1).lower() == domain
                                               for a in _ADDRESS.finditer(line)):
                out.append((m.start(1) + len(sender) - len(domain), domain))
                break
    return out


# a log's user field that holds an address: `user=maria.berg@halvorsen-bank.com`, `"userName": "…"`
_USER_FIELD = re.compile(r"(?i)(?<![\w.])(?:user(?:_?name)?|usr_?name|login|suser|duser|src_?user|dst_?user|"
                         r"user\.name)[\"']?[ \t]*[:=][ \t]*[\"']?([\w.+-]+)@(" + _NAME + r")" + _END)


def user_field_domains(text: str) -> list[tuple[int, str]]:
    """(position, domain) of a domain whose addresses two or more users log on with in a log's user
    fields (a proxy's `user=maria.berg@halvorsen-bank.com`, then `user=jonas.hansen@…`): our users.
    One address alone could be anyone's (an attacker's login to a portal of ours)."""
    return _shared_domains((m.start(2), m.group(1), m.group(2)) for m in _USER_FIELD.finditer(text))


def _shared_domains(addresses: Iterable[tuple[int, str, str]]) -> list[tuple[int, str]]:
    """(position, domain) of each domain that two or more distinct local parts of `addresses`
    ((position of the domain, local part, domain)) share: several users of one place, not one login."""
    users: dict[str, set[str]] = {}
    first: dict[str, int] = {}
    for pos, local, domain in addresses:
        users.setdefault(domain.lower(), set()).add(local.lower())
        first.setdefault(domain.lower(), pos)
    return [(first[d], d) for d, locals_ in users.items() if len(locals_) >= 2]


def user_column_domains(text: str) -> list[tuple[int, str]]:
    """(position, domain) of a domain two or more users of a table's user or recipient column have
    addresses at (an Entra sign-in export's `Username`, a message trace's `RecipientAddress`): ours."""
    return _shared_domains((pos + m.start(1), cell[:m.start(1)], m.group(1)) for pos, cell in user_address_cells(text)
                           if (m := _UPN_CELL.fullmatch(cell)) is not None)


# `git log`: a commit, then its author (and committer) line
_GIT_AUTHOR = re.compile(rf"(?im)^commit[ \t]+[0-9a-f]{{7,40}}\b[^\n]*\r?\n(?:[ \t]*\w[\w-]*:[^\n]*\r?\n){{0,3}}?"
                         rf"(?:Author|Commit):[^\n<]*<([^\s@<>]+)@({_NAME}){_END}>")


def git_author_domains(text: str) -> list[tuple[int, str]]:
    """(position, domain) of a domain that two or more authors of a `git log` excerpt commit from: our
    developers. One author alone could be anyone (an attacker's commit to a repository of ours)."""
    return _shared_domains((m.start(2), m.group(1), m.group(2)) for m in _GIT_AUTHOR.finditer(text))


# prose that says a name is ours: `our mail gateway (Proofpoint, mx1.halvorsen-bank.com)`, `our website
# www.halvorsen-bank.com`, `our domain halvorsen-bank.com`; the name right after the noun (or first in its
# parentheses), never further on (`our proxy blocked evil.com`: the attacker's)
_OUR_NOUNS = (r"mail[ ]gateway|mail[ ]server|gateway|proxy|firewall|vpn(?:[ ]gateway)?|domain[ ]controller|web[ ]?server|"
              r"server|portal|intranet|website|web[ ]?site|extranet|webmail|tenant|domains?|(?:e-?)?mail[ ]domain|"
              # ... in Norwegian, Swedish, Danish and German (`vår VPN (vpn.x.no)`, `unsere Domäne x.de`)
              r"brannmur|brandv\u00e4gg|e-?postserver|nettside|nettsted|webbplats|hjemmeside|"
              r"domene|dom\u00e4ne|dom\u00e4n|dom\u00e6ne|"
              r"webseite|mailserver")
_OUR_WORDS = ("our ", "vår ", "vårt ", "våre ", "våra ", "vores ", "unser ", "unsere ", "unseren ", "unserem ")
_OUR = re.compile(rf"(?i)\b(?:our|v\u00e5r|v\u00e5rt|v\u00e5re|v\u00e5ra|vores|unser|unsere|unseren|unserem)[ ]+"
                  rf"(?:[\w-]+[ ]+){{0,2}}?"
                  rf"(?P<noun>{_OUR_NOUNS})(?:[ ]+(?:is|are|was|er|var|ist|war))?"
                  rf"(?:[ ]*\([ ]*(?:[\w .-]+,[ ]*)?|[ ]+|:[ ]*)(?P<name>{_NAME}){_END}")


def our_names(text: str) -> list[tuple[int, str]]:
    """(position, domain) of the names prose calls ours: a domain or tenant itself, a server's domain."""
    out = []
    for m in _OUR.finditer(text):
        name = m.group("name").lower()
        noun = m.group("noun").lower()
        if not noun.startswith(("domain", "domen", "dom\u00e4n", "dom\u00e6n")) and noun != "tenant":
            name = name.split(".", 1)[1] if name.count(".") >= 2 else name   # `mx1.halvorsen-bank.com`'s domain
        out.append((m.start("name"), name))
    return out


# an EDR's device record names the device's public (egress) address, ours: CrowdStrike's
# `"external_ip"`, SentinelOne's `"externalIp"` (not a field of a connection, whose remote end is anyone's);
# so do a cloud instance's records: EC2's `"PublicIpAddress"`, GuardDuty's `"publicIp"` of the instance's interface
# (its `remoteIpDetails` is the attacker's)
# (a record's key, JSON or `key=value`: a label in prose, `External IP: …`, can be an indicator's)
_OWN_ADDRESS = re.compile(r"(?i)(?:\"(?:external_?ip|external_?ip_?address|egress_?ip|public_?ip|public_?ip_?address)\"[ \t]*:[ \t]*\""
                          r"|(?<![\w.])(?:external_ip|externalip|egress_ip)=)(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")


# ... and prose that calls an address or a range ours: `our egress IP 84.210.44.5`, `our public range
# 84.210.44.0/24`, `our external IP address is …` (the address right after the words: `our public IP was
# scanned from 45.146.164.110` names the attacker's after other words)
_OUR_ADDRESS_PROSE = re.compile(
    r"(?i)\bour[ \t]+(?:[a-z'\u2019-]+[ \t]+){0,2}?(?:public|external|egress|outbound|nat(?:ed)?|wan|"
    r"internet[- ]facing|public[- ]facing)[ \t]+(?:ipv4[ \t]+|ip[ \t]+)?"
    r"(?:ip|address|range|prefix|subnet|block|netblock|network)(?:e?s)?[ \t]*(?:is|was|are|were|:|=|\()?[ \t]*"
    r"(\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?)(?!\d|\.\d|/\d)")


def addresses_named(text: str) -> list[str]:
    """The public IPv4 addresses (and ranges: `84.210.44.0/24`) `text` names as the organisation's own: a
    device's egress in an EDR's record, what prose calls our public address or range."""
    out: list[str] = []
    found = []
    if "xternal" in text or "gress" in text or "ublicIp" in text or "ublic_ip" in text:
        found += [m.group(1) for m in _OWN_ADDRESS.finditer(text)]
    if "our " in text or "Our " in text or "OUR " in text:
        found += [m.group(1) for m in _OUR_ADDRESS_PROSE.finditer(text)]
    for value in found:
        try:
            net = ipaddress.ip_network(value, strict=False)
        except ValueError:
            continue
        if net.is_global and net.prefixlen >= 16:   # not half the internet, from a typo
            name = str(net.network_address) if net.num_addresses == 1 else str(net)
            if name not in out:
                out.append(name)
    return out


def learnable(name: str) -> str | None:
    """`name` as the policy learns it (lower case), or None when it must not be learned. A
    Microsoft 365 tenant (`halvorsenbank.onmicrosoft.com`) is learned as a tenant: its label is
    our name, the provider's zone stays the provider's."""
    low = name.lower().rstrip(".")
    tenant = tenant_of(low)
    if tenant is not None:
        return tenant
    if is_internal_name(low):
        return None   # `hb.local`: internal already
    parts = extract_domain(low)
    if not parts.suffix or not parts.domain:
        return None   # `CORP`, `corp.invalidtld`: no public suffix, so no domain to learn
    if any(low == p or low.endswith("." + p) for p in PROVIDERS):
        return None
    return low


def domains_named(text: str) -> list[str]:
    """The domains `text`'s fields name as the organisation's own, in order of appearance."""
    lower = text.lower()
    found: list[tuple[int, str]] = []
    for words, pattern in _FIELDS:
        if any(w in lower for w in words):
            found.extend((m.start(1), m.group(1)) for m in pattern.finditer(text))
    if "domain:" in lower and _SYSTEMINFO.search(text):
        found.extend((m.start(1), m.group(1)) for m in _SYSTEMINFO_DOMAIN.finditer(text))
    if "upn" in lower or "principal" in lower:   # a table's or a CSV's UPN column (Defender's `AccountUpn`)
        found.extend((pos + m.start(1), m.group(1)) for pos, cell in upn_cells(text)
                     if (m := _UPN_CELL.fullmatch(cell)))
    if "from:" in lower:
        found.extend(mail_domains(text))
    if any(word in lower for word in _OUR_WORDS):
        found.extend(our_names(text))
    if "@" in text and ("user" in lower or "usr" in lower or "login" in lower):
        found.extend(user_field_domains(text))
    if "@" in text and ("user" in lower or "recipient" in lower or "login" in lower or "account" in lower):
        found.extend(user_column_domains(text))
    if "author:" in lower and "commit" in lower:
        found.extend(git_author_domains(text))
    if "dc=" in lower:   # a directory's own objects: `CN=x,OU=y,DC=corp,DC=halvorsen,DC=net`
        found.extend((m.start(), _dn_domain(m)) for m in _DN.finditer(text))
    out: list[str] = []
    for _, name in sorted(found):
        low = learnable(name)
        if low is not None and low not in out:
            out.append(low)
    return out


def dn_domains(text: str) -> set[str]:
    """The domains an LDAP DN names: `CN=x,OU=y,DC=hb,DC=local` -> `hb.local`."""
    return {_dn_domain(m) for m in _DN.finditer(text)}


def _dn_domain(m: re.Match[str]) -> str:
    return ".".join(_DN_PART.findall(m.group(0))).lower()
