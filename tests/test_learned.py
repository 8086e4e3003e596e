"""Internal domains learned from the text (`redactor/learned.py`): without a profile, a domain
that pasted command output names as the machine's own (DNS suffix, UPN, Kerberos realm) is
internal batch-wide — in every file, window and worker — and nothing else is learned."""
from __future__ import annotations

import re

import pytest

from conftest import run_cli
from redactor import stream
from redactor.batch import STATUS_WRITTEN, BatchOptions, collect, run_batch
from redactor.learned import addresses_named, domains_named
from redactor.policy import label_head, word_splits

IPCONFIG = """Windows IP Configuration

   Host Name . . . . . . . . . . . . : FINWS042
   Primary Dns Suffix  . . . . . . . : corp.halvorsen.net
   DNS Suffix Search List. . . . . . : corp.halvorsen.net
"""


@pytest.mark.parametrize("text, domain", [
    (IPCONFIG, "corp.halvorsen.net"),
    ("   Connection-specific DNS Suffix  . : vpn.halvorsen.net\n", "vpn.halvorsen.net"),
    ("USERDNSDOMAIN=CORP.HALVORSEN.NET\n", "corp.halvorsen.net"),
    ("PS> $env:USERDNSDOMAIN\nCORP.HALVORSEN.NET\n", None),          # the value on its own line: not read
    ("Workstation domain DNS name     corp.halvorsen.net\n", "corp.halvorsen.net"),
    ("DNSRoot                            : corp.halvorsen.net\n", "corp.halvorsen.net"),
    ("     Dom Name: corp.halvorsen.net\n  Forest Name: halvorsen.net\n", ["corp.halvorsen.net", "halvorsen.net"]),
    ("UserPrincipalName : m.berg@halvorsen-bank.com\n", "halvorsen-bank.com"),
    ('{"userPrincipalName": "m.berg@halvorsen-bank.com", "ip": "185.174.1.2"}', "halvorsen-bank.com"),
    ("userPrincipalName: m.berg@halvorsen-bank.com\n", "halvorsen-bank.com"),
    ("User Principal Name: m.berg@halvorsen-bank.com\n", "halvorsen-bank.com"),
    ("upn=m.berg@halvorsen-bank.com action=signin\n", "halvorsen-bank.com"),
    # Defender's fields and a hunting query's result table or CSV with such a column
    ("AccountUpn: m.berg@halvorsen-bank.com\n", "halvorsen-bank.com"),
    ('"InitiatingProcessAccountUpn": "m.berg@halvorsen-bank.com"', "halvorsen-bank.com"),
    ("| Timestamp | DeviceName | AccountUpn |\n|---|---|---|\n| 2024-05-11 | finws042 | m.berg@halvorsen-bank.com |\n",
     "halvorsen-bank.com"),
    ("Date,User principal name,IP address\n2024-05-11,m.berg@halvorsen-bank.com,185.174.1.2\n", "halvorsen-bank.com"),
    ('"actor": {"alternateId": "m.berg@halvorsen-bank.com", "type": "User"}', "halvorsen-bank.com"),
    ("2024-03-02T11:02:13Z okta actor.alternateId=m.berg@halvorsen-bank.com outcome=FAILURE", "halvorsen-bank.com"),
    ('actor.alternateId: "m.berg@halvorsen-bank.com"', "halvorsen-bank.com"),
    ("target.alternateId=x@evil-cdn.com actor.alternateId=unknown", None),
    ('{"Operation": "New-InboxRule", "UserId": "m.berg@halvorsen-bank.com"}', "halvorsen-bank.com"),
    ('"authenticationInfo": {"principalEmail": "m.berg@halvorsen-bank.com"}', "halvorsen-bank.com"),
    ('"principalEmail": "deployer@hb-prod-4711.iam.gserviceaccount.com"', None),
    ('{"UserId": "m.berg@gmail.com", "alternateId": "unknown"}', None),
    ("#0>\tClient: jdoe @ CORP.HALVORSEN.NET\n", "corp.halvorsen.net"),
    ("4769: Service Name: krbtgt/CORP.HALVORSEN.NET\n", "corp.halvorsen.net"),
    ("Kerberos TGT for mberg@CORP.HALVORSEN.NET requested from 10.20.5.77\n", "corp.halvorsen.net"),
    ("kinit svc_backup@CORP.HALVORSEN.NET -k -t backup.keytab\n", "corp.halvorsen.net"),
    ("[libdefaults]\n  default_realm = CORP.HALVORSEN.NET\n", "corp.halvorsen.net"),
    ("Account Information:\n\tAccount Name:\t\tjdoe\n\tAccount Domain:\t\tCORP.HALVORSEN.NET\n",
     "corp.halvorsen.net"),
    ('<Data Name="TargetDomainName">corp.halvorsen.net</Data>', "corp.halvorsen.net"),
    ("  realm-name: CORP.HALVORSEN.NET\n  domain-name: corp.halvorsen.net\n", "corp.halvorsen.net"),
    ("nameserver 10.0.0.2\nsearch corp.halvorsen.net halvorsen.net\n", "corp.halvorsen.net"),
    ("OS Name:                   Microsoft Windows 11 Enterprise\nDomain:                    corp.halvorsen.net\n",
     "corp.halvorsen.net"),
    ("X-MS-Exchange-Organization-AuthSource: EXCH01.corp.halvorsen.net\n", "corp.halvorsen.net"),
    # a server's hidden or administrative share, reached inside our network
    (r"copied \\fs01.corp.halvorsen.net\finance$\payroll.xlsx", "corp.halvorsen.net"),
    (r'net use Z: "\\dc01.halvorsen-bank.com\SYSVOL"', "halvorsen-bank.com"),
    (r"\\fs01.corp.halvorsen.net\c$", "corp.halvorsen.net"),
    (r"NTLM leaked via \\evil-cdn.com\share\x.ico and \\1.2.3.4\c$", None),   # a share of no admin's
    ("DistinguishedName : CN=Maria Berg,OU=Finance,DC=corp,DC=halvorsen,DC=net\n", "corp.halvorsen.net"),
    ("memberOf: CN=VPN Users, OU=Groups, DC=halvorsen-bank, DC=com\n", "halvorsen-bank.com"),
    # near misses: not a field of our own, a provider, free mail, not a domain, internal already
    ("Indicators:\nDomain: evil-cdn.com\nDomain:    update-check.net\n", None),
    ("Client: evil-cdn.com\nClient: jdoe@evil-cdn.com\n", None),
    ("   Connection-specific DNS Suffix  . : reddog.microsoft.com\n", None),
    ("   Connection-specific DNS Suffix  . : abc.internal.cloudapp.net\n", None),
    ("UserPrincipalName : attacker@outlook.com\n", None),
    # a Microsoft 365 tenant is learned as the tenant (a guest's home domain is not ours)
    ('"upn": "guest_evil.com#EXT#@halvorsenbank.onmicrosoft.com"', "halvorsenbank.onmicrosoft.com"),
    ('{"userPrincipalName": "j.hansen@HalvorsenBank.mail.onmicrosoft.com"}', "halvorsenbank.onmicrosoft.com"),
    ("Sender: admin@evilcorp123.onmicrosoft.com\n", None),                 # not a field of ours
    ("Account Domain:\t\tCORP\n", None),
    # a UPN column's cell that is no address; another column's address; a field that only ends in `upn`
    ("| AccountUpn | Sender |\n|---|---|\n| n/a | x@evil-cdn.com |\n", None),
    ("Backupn: x@evil-cdn.com\n", None),
    ("URGENT: VERIFY YOUR ACCOUNT AT SUPPORT@PAYPAL-VERIFY.COM\n", None),      # upper case, not Kerberos
    ("Ticket opened by SUPPORT@EVIL-CDN.COM\nKerberos was not involved.\n", None),
    ("Kerberos abuse reported to abuse@evil-cdn.com\n", None),               # not a realm: lower case
    ("X-MS-Exchange-Organization-AuthSource: AM6EUR05FT012.eop-eur05.prod.protection.outlook.com\n", None),
    ("Message-ID: <a1b2c3@EXCH01.evil-corp.com>\nReceived: from a.evil-corp.com by b.evil-corp.com "
     "with Microsoft SMTP Server\n", None),
    ("OU=SOC,DC=hb,DC=local\n", None),
    ("   Primary Dns Suffix  . . . . . . . : hb.local\n", None),
    ("We will search evil-cdn.com for more.\nsearch evil-cdn.com and block it\n", None),
    ("the domain evil-cdn.com was registered\ndomain evil-cdn.com registered 2024\n", None),
    # a mail between two mailboxes of one domain: a thread inside the organisation, also quoted
    ("From: Maria Berg <maria.berg@halvorsen-bank.com>\nSent: Saturday, May 11, 2024 10:02 AM\n"
     "To: SOC <soc@halvorsen-bank.com>\nSubject: RE: Invoice\n", "halvorsen-bank.com"),
    ("> From: maria.berg@halvorsen-bank.com\n> Date: Sat\n> To: a@x.org; jonas.hansen@halvorsen-bank.com\n",
     "halvorsen-bank.com"),
    # Azure's activity log, Google Workspace's audit log, SharePoint's claims
    ('{"caller": "jonas.hansen@halvorsen-bank.com", "callerIpAddress": "185.174.101.22"}', "halvorsen-bank.com"),
    ('{"kind": "admin#reports#activity", "actor": {"email": "m.berg@halvorsen-bank.com", "profileId": "1"}}',
     "halvorsen-bank.com"),
    ("Modified by i:0#.f|membership|maria.berg@halvorsen-bank.com", "halvorsen-bank.com"),
    ('{"caller": "+4791234567", "actor": {"name": "x@evil-cdn.com"}}', None),
    # a directory object's mail
    ("SamAccountName    : mberg\nEmailAddress      : maria.berg@halvorsen-bank.com\n", "halvorsen-bank.com"),
    ("dn: CN=Maria Berg,OU=Finance\nsAMAccountName: mberg\nmail: maria.berg@corp.halvorsen.net\n", "corp.halvorsen.net"),
    ("Mail: invoices@evil-cdn.com\nEmailAddress: billing@evil-cdn.com\n", None),   # no directory object
    # prose that calls a name ours: a server's domain, a domain, a tenant
    ("Our mail gateway (Proofpoint, mx1.halvorsen-bank.com) released it.", "halvorsen-bank.com"),
    ("The phish spoofed our website www.halvorsen-bank.com; our domain is halvorsen.no", ["halvorsen-bank.com", "halvorsen.no"]),
    ("our Microsoft 365 tenant halvorsenbank.onmicrosoft.com", "halvorsenbank.onmicrosoft.com"),
    # ... in Norwegian, Swedish, Danish and German
    ("Vi ser aktivitet mot vår VPN (vpn.fjellheim-energi.no) og vårt domene er fjellheim.no.",
     ["fjellheim-energi.no", "fjellheim.no"]),
    ("Angriffe auf unsere Domäne stadtwerke-x.de; vores webmail mail.kraft-x.dk", ["stadtwerke-x.de", "kraft-x.dk"]),
    ("vår brannmur blokkerte evil-cdn.com; unsere Firewall meldete evil-cdn.net", None),
    ("our team read it: var domain evil-cdn.com is JavaScript; vor domain evil-cdn.net is German for before", None),
    # the attacker's name further on; a look-alike of ours; a provider
    ("Our proxy blocked update-check.net; our firewall then logged evil-cdn.com; our users visited x.com", None),
    ("the actor registered a domain similar to ours: halvorsen-bank-secure.com", None),
    ("our mail server (Exchange Online, outlook.office365.com)", None),
    # two users of one domain in a log's user fields; one alone could be an attacker's login
    ("ts=1 user=maria.berg@halvorsen-bank.com url=x\nts=2 user=jonas.hansen@halvorsen-bank.com url=y\n",
     "halvorsen-bank.com"),
    ('{"userName": "a.b@halvorsen-bank.com"}\n{"userName": "c.d@Halvorsen-Bank.com"}', "halvorsen-bank.com"),
    ("ts=1 user=admin@evil-portal.com\nts=2 user=admin@evil-portal.com\nuser=x@gmail.com user=y@gmail.com\n", None),
    # a table's user or recipient column with two users of one domain (an Entra sign-in export, a message trace); one alone
    ("Received,SenderAddress,RecipientAddress,Subject\n2024-05-13 07:01,invoice@evil-mail.ru,maria.berg@halvorsen-bank.com,x\n"
     "2024-05-13 07:01,invoice@evil-mail.ru,jonas.hansen@halvorsen-bank.com,x\n", "halvorsen-bank.com"),
    ("Date,User,Username,IP address\n1,Maria Berg,maria.berg@halvorsen-bank.com,185.174.187.29\n"
     "2,Jonas Hansen,Jonas.Hansen@Halvorsen-Bank.com,185.174.187.29\n", "halvorsen-bank.com"),
    ("Received,SenderAddress,RecipientAddress\n1,a@evil-mail.ru,maria.berg@halvorsen-bank.com\n"
     "2,b@evil-mail.ru,maria.berg@halvorsen-bank.com\n", None),
    ("Received,SenderAddress,RecipientAddress\n1,a@evil-mail.ru,x@gmail.com\n2,a@evil-mail.ru,y@gmail.com\n", None),
    ("Time,SenderAddress,Subject\n1,a@evil-mail.ru,x\n2,b@evil-mail.ru,y\n", None),   # senders: anyone's
    # ... also as `Get-MessageTrace | ft` prints it
    ("Received            SenderAddress                       RecipientAddress               Subject\n"
     "--------            -------------                       ----------------               -------\n"
     "11/12/2026 9:03 PM  no-reply@okta-mercy-verify.com      mbell@mercyridgehealth.org     Action required\n"
     "11/12/2026 9:03 PM  no-reply@okta-mercy-verify.com      apatel@mercyridgehealth.org    Action required\n",
     "mercyridgehealth.org"),
    # `git log`: two authors who commit from one domain; one alone could be the attacker's commit; free mail
    ("commit 3f9a2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49\nAuthor: Maria Berg <maria.berg@halvorsen-bank.com>\nDate:   Mon\n\n"
     "    fix\n\ncommit 8e1b2c3\nMerge: 1a2b3c4 5d6e7f8\nAuthor: Jonas Hansen <jonas.hansen@halvorsen-bank.com>\n",
     "halvorsen-bank.com"),
    ("commit 3f9a2c1d0e8b\nAuthor: Maria Berg <maria.berg@halvorsen-bank.com>\n\ncommit 8e1b2c3d\n"
     "Author: xmrig-dev <build@evil-updates.net>\n\ncommit 9f0e1d2c\nAuthor: xmrig-dev <build@evil-updates.net>\n", None),
    ("commit 3f9a2c1\nAuthor: a <a@gmail.com>\n\ncommit 8e1b2c3\nAuthor: b <b@gmail.com>\n", None),
    ("Author: Maria Berg <maria.berg@halvorsen-bank.com>\nAuthor: Jonas Hansen <jonas.hansen@halvorsen-bank.com>\n", None),
    # the mailbox an Exchange cmdlet acts on, not where it forwards to
    ('New-InboxRule -Name "." -Mailbox h.solberg@fjellheim-energi.no -ForwardTo r3covery.team@proton.me',
     "fjellheim-energi.no"),
    ("Set-Mailbox -Identity 'maria.berg@halvorsen-bank.com' -ForwardingSmtpAddress smtp:x@evil-mail.ru", "halvorsen-bank.com"),
    ("Set-Mailbox -Identity mberg -ForwardingSmtpAddress x@evil-mail.ru; New-InboxRule -ForwardTo a@evil-mail.ru", None),
    # the envelope recipient our mail system wrote on a received mail; not free mail, not in prose
    ("Delivered-To: maria.berg@halvorsen-bank.com\nFrom: x@evil-mail.ru\n", "halvorsen-bank.com"),
    ("X-Original-To: <m.berg@corp.halvorsen.net>\n", "corp.halvorsen.net"),
    ("Delivered-To: victim@gmail.com\n", None),
    ("The mail was delivered-to: ops@evil-mail.ru and others\n", None),
    # a phisher's mail to itself (victims in Bcc), mail between two domains, recipients after the headers
    ("From: invoices@evil-mail.ru\nTo: invoices@evil-mail.ru\nBcc: maria.berg@halvorsen-bank.com\n", None),
    ("From: billing@evil-mail.ru\nTo: maria.berg@halvorsen-bank.com\nCc: jonas.hansen@halvorsen-bank.com\n", None),
    ("From: billing@evil-mail.ru\nSubject: x\n\nTo: ops@evil-mail.ru\n", None),
    ("From: a@gmail.com\nTo: b@gmail.com\n", None),                     # free mail: never ours
])
def test_the_fields_that_name_our_domain(text, domain):
    expected = domain if isinstance(domain, list) else [domain] if domain else []
    assert domains_named(text) == expected


def test_a_learned_domain_is_internal_everywhere_in_the_text(bare):
    text = (IPCONFIG + "\nThe user m.kowalczyk@corp.halvorsen.net opened https://intranet.corp.halvorsen.net/hr "
            "on fs01.corp.halvorsen.net. Payload from hxxp://evil-cdn[.]com/a.bin, mail from "
            "phish@halvorsen-secure.com; see https://learn.microsoft.com/en-us/defender.\n")
    out = bare.redact_text(text).text
    assert "halvorsen.net" not in out and "kowalczyk" not in out and "intranet" not in out
    assert re.search(r"Primary Dns Suffix[ .]*: domain-\d+\.example", out)
    assert re.search(r"person-\d+@domain-\d+\.example|user-\d+@domain-\d+\.example", out)
    # attacker infrastructure, a look-alike of ours and a vendor stay
    for kept in ("hxxp://evil-cdn[.]com/a.bin", "phish@halvorsen-secure.com",
                 "https://learn.microsoft.com/en-us/defender"):
        assert kept in out


def test_a_learned_domain_names_us_as_a_profile_domain_would(bare):
    """Its label (`halvorsen-bank`) is one of our names, as a profile domain's is: our buckets and
    tenants lose it; a registered look-alike stays whole."""
    out = bare.redact_text("UserPrincipalName : m.berg@halvorsen-bank.com\nThe attacker listed "
                           "s3://halvorsen-bank-backups/ and used halvorsen-bank.okta.com; the phish came "
                           "from halvorsen-bank-secure.com.\n").text
    n = re.search(r"ORG-(\d+)-backups", out).group(1)
    assert f"org-{n}.okta.com" in out and "from halvorsen-bank-secure.com." in out
    assert out.count("halvorsen") == 1, out


def test_a_thread_inside_the_organisation_names_it_everywhere(bare):
    """Zero-config: a mail between two of our mailboxes teaches our domain; its label is our name
    in a signature (as words) and in a SharePoint tenant (run together)."""
    out = bare.redact_text("From: Maria Berg <maria.berg@halvorsen-bank.com>\nTo: SOC <soc@halvorsen-bank.com>\n"
                           "Subject: recording\n\nRecording: https://halvorsenbank-my.sharepoint.com/personal/"
                           "maria_berg_halvorsen-bank_com/Documents/IR-call.mp4\n"
                           "Maria Berg | Senior Accountant | Halvorsen Bank ASA\n").text
    assert "halvorsen" not in out.lower() and "maria" not in out.lower(), out
    assert re.search(r"https://org-\d+-my\.sharepoint\.com/REDACTED", out) and re.search(r"ORG-\d+ ASA", out), out


def test_a_learned_label_that_glues_our_name_together_names_us_in_prose(bare_engine, tmp_path, jobs):
    """Zero-config: `mercyridgehealth.org` learned in one file is `Mercy Ridge Health` in a title of another
    (read first), one pseudonym with the label; two English words alone (`firstdirect`) are not hunted."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-report.md").write_text("# Ransomware at Mercy Ridge Health\n\nMercy Ridge Health's EHR was down. "
                                     "First direct contact was by phone.\n")
    (src / "b-whoami.txt").write_text("UserPrincipalName : m.bell@mercyridgehealth.org\n"
                                      "UserPrincipalName : j.doe@firstdirect.com\n")
    out = _batch(bare_engine, src, tmp_path / "out", jobs)
    report = out["a-report.md"]
    assert "mercy" not in report.lower() and "First direct contact" in report, report
    assert re.fullmatch(r"# Ransomware at (ORG-\d+)\n\n\1's EHR was down\. First direct contact was by phone\.\n",
                        report), report


def test_our_ad_domain_names_our_tenants(bare_engine, tmp_path, jobs):
    """Zero-config: `MERCYRIDGE\\mbell` in one file makes `mercyridge.okta.com` ours in another, read first, as a
    profile's `ad_domains` would (our name left of a phishing domain goes too, the domain stays); another's
    tenant stays, and a word (`CORP`) names no tenant."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-okta.json").write_text('{"tenant": "mercyridge.okta.com", "phish": "mercyridge-okta.evil-sso.top", '
                                     '"other": "acme.okta.com", "it": "corp.okta.com"}\n')
    (src / "b-4624.csv").write_text("TargetDomainName,TargetUserName\nMERCYRIDGE,mbell\nCORP,admin\n")
    out = _batch(bare_engine, src, tmp_path / "out", jobs)
    assert "mercyridge" not in "".join(out.values()).lower(), out
    assert re.search(r'"tenant": "org-\d+\.okta\.com"', out["a-okta.json"]), out
    okta = out["a-okta.json"]
    assert '"other": "acme.okta.com", "it": "corp.okta.com"}' in okta and "-okta.evil-sso.top" in okta
    again = _batch(bare_engine, src, tmp_path / "again", 3 - jobs)
    assert again == out


def test_our_short_name_names_our_tenants(bare):
    """Zero-config: the first word of our hyphenated label (`fjellheim` of `fjellheim-energi.no`) is the short
    name our SaaS tenants take; an English word's (`north` of `north-star.com`) is not."""
    out = bare.redact_text("UserPrincipalName : h.solberg@fjellheim-energi.no\nUserPrincipalName : a@north-star.com\n"
                           "Join https://fjellheim.zoom.us/j/8812 or fjellheim.service-now.com; north.zoom.us and "
                           "acme.zoom.us are not ours.\n").text
    assert "fjellheim" not in out and re.search(r"https://org-\d+\.zoom\.us/", out), out
    assert "north.zoom.us and acme.zoom.us" in out
    assert [label_head(x) for x in ("fjellheim-energi", "north-star", "fjellheim", "hb-bank", None)] == \
        ["fjellheim", None, None, None, None]


def test_word_splits():
    assert word_splits("mercyridgehealth")[0] == "mercy ridge health"
    assert "halvorsen bank" in word_splits("halvorsenbank") and "contoso bank" in word_splits("contosobank")
    assert word_splits("bankofamerica")[0] == "bank of america"
    assert {"north wind traders", "northwind traders"} <= set(word_splits("northwindtraders"))
    assert "first direct" not in word_splits("firstdirect") and word_splits("halvorsen-bank") == ()


def test_a_tenant_named_by_a_field_is_ours_everywhere(bare):
    """Zero-config: an Entra ID sign-in log's UPN at `halvorsenbank.onmicrosoft.com` names our
    tenant; its label is our name in other tenants and buckets; Microsoft's zone and another
    tenant stay."""
    out = bare.redact_text('{"userPrincipalName": "jonas.hansen@halvorsenbank.onmicrosoft.com", '
                           '"ipAddress": "185.174.101.22"}\nFiles at https://halvorsenbank-my.sharepoint.com/'
                           "personal/x/Documents/a.xlsx; the phish came from admin@evilcorp123.onmicrosoft.com "
                           "and halvorsenbank-secure.com.\n").text
    assert "halvorsen" not in out.replace("halvorsenbank-secure.com", ""), out
    n = re.search(r"@org-(\d+)\.onmicrosoft\.com", out).group(1)
    assert f"https://org-{n}-my.sharepoint.com/REDACTED" in out, out
    for kept in ("admin@evilcorp123.onmicrosoft.com", "halvorsenbank-secure.com", "185.174.101.22"):
        assert kept in out


@pytest.mark.parametrize("text, expected", [
    ('{"device": {"hostname": "FINWS042", "local_ip": "10.14.37.48", "external_ip": "84.208.15.22"}}', ["84.208.15.22"]),
    ('{"agentComputerName": "FIN-LT-0042", "externalIp": "84.208.15.23"}\nexternal_ip=84.208.15.24',
     ["84.208.15.23", "84.208.15.24"]),
    # a cloud instance's own record: EC2's PublicIpAddress, GuardDuty's interface (its remoteIpDetails is the attacker's)
    ('{"networkInterfaces":[{"privateIpAddress":"10.0.1.5","publicIp":"13.48.1.2"}]},"remoteIpDetails":'
     '{"ipAddressV4":"185.174.187.29"}\n{"InstanceId": "i-0a1b2c3d", "PublicIpAddress": "13.48.1.3"}', ["13.48.1.2", "13.48.1.3"]),
    # a private address (replaced anyway), a connection's remote end, an indicator list, a version
    ('{"external_ip": "10.1.2.3", "remote_ip": "185.174.101.22", "dst_ip": "185.174.101.23"}', []),
    ("C2 (external IP): 185.174.101.22; external IPs seen: 185.174.101.23; external_ip_count=3\n"
     "ExternalIP: 185.174.101.24 (the C2)", []),
    # prose that calls an address or a range ours, the address right after the words
    ("Our public range 84.210.44.0/24 was scanned; our egress IP 84.210.44.5 is on a blocklist. Our external IP "
     "address is 84.211.1.1.", ["84.210.44.0/24", "84.210.44.5", "84.211.1.1"]),
    # ... not the attacker's after other words, a private one, half the internet, a version
    ("Our public IP was scanned from 45.146.164.111; our NAT address 10.1.2.3; our public range 84.0.0.0/8; "
     "our external IP is v1.2.3.4", []),
])
def test_the_fields_that_name_our_public_address(text, expected):
    assert addresses_named(text) == expected


def test_our_public_address_goes_everywhere_in_the_batch_and_the_attackers_stays(bare_engine, tmp_path, jobs):
    """An EDR's device record names our egress address: it goes in that file and in a file analyzed
    before it (pass 1 kept it there); the attacker's address stays."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-firewall.txt").write_text("allow src=84.208.15.22 dst=185.174.101.22 dport=443\n")
    (src / "b-edr.json").write_text('{"device": {"hostname": "FINWS042", "external_ip": "84.208.15.22"}, '
                                    '"remote_ip": "185.174.101.22"}\n')
    out = _batch(bare_engine, src, tmp_path / "out", jobs)
    assert not any("84.208.15.22" in t for t in out.values()), out
    n = re.search(r'"external_ip": "IP-(\d+)"', out["b-edr.json"]).group(1)
    assert out["a-firewall.txt"] == f"allow src=IP-{n} dst=185.174.101.22 dport=443\n", out
    assert '"remote_ip": "185.174.101.22"' in out["b-edr.json"]


def test_our_public_range_named_in_prose_goes_everywhere(bare_engine, tmp_path, jobs):
    """`our public range 84.210.44.0/24` in one report: every address in it goes from every file (also one
    read before it), each as `IP-n`; an address outside it, the attacker's, stays."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-fw.log").write_text("deny src=45.146.164.110 dst=84.210.44.2 dport=443\nallow dst=84.210.45.9\n")
    (src / "b-report.md").write_text("Our public range 84.210.44.0/24 was scanned by 45.146.164.110.\n")
    out = _batch(bare_engine, src, tmp_path / "out", jobs)
    assert not any("84.210.44." in t for t in out.values()), out
    assert re.fullmatch(r"deny src=45\.146\.164\.110 dst=IP-\d+ dport=443\nallow dst=84\.210\.45\.9\n", out["a-fw.log"]), out
    assert re.fullmatch(r"Our public range IP-\d+/24 was scanned by 45\.146\.164\.110\.\n", out["b-report.md"]), out


def test_a_provider_suffix_teaches_nothing(bare):
    text = ("   Connection-specific DNS Suffix  . : reddog.microsoft.com\n"
            "Advisory: https://msrc.microsoft.com/update-guide and login.microsoftonline.com\n")
    out = bare.redact_text(text).text
    assert "https://msrc.microsoft.com/update-guide" in out and "login.microsoftonline.com" in out


@pytest.fixture(params=[1, 2], ids=["jobs1", "jobs2"])
def jobs(request):
    return request.param


def _batch(engine, src, out, jobs):
    files, _ = collect([src], out)
    outcomes = run_batch(engine, b"learned-key", files, out, BatchOptions(jobs=jobs, use_ner=False))
    assert [o.status for o in outcomes] == [STATUS_WRITTEN] * len(files), [o.reason for o in outcomes]
    return {o.relative.name: o.output.read_text() for o in outcomes}


def test_a_domain_learned_in_one_file_is_internal_in_the_others(bare_engine, tmp_path, jobs):
    """`a-mail.txt` is analyzed before `b-whoami.txt` teaches the domain: its kept addresses turn,
    get the same pseudonyms as in `b`, and their user names are hunted in `c` too (`a.lind`, in
    no file but `a`, only if it was registered between the passes)."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-mail.txt").write_text("Phish from billing@evil-cdn.com reached m.berg@halvorsen-bank.com "
                                    "and a.lind@halvorsen-bank.com; www.halvorsen-bank.com/login was spoofed.\n")
    (src / "b-whoami.txt").write_text("PS> Get-ADUser m.berg\nUserPrincipalName : m.berg@halvorsen-bank.com\n")
    (src / "c-notes.txt").write_text("Reset the passwords of accounts m.berg and a.lind at 10:02.\n")
    out = _batch(bare_engine, src, tmp_path / "out", jobs)
    assert not any(v in t for t in out.values() for v in ("halvorsen-bank", "m.berg", "a.lind")), out
    assert "billing@evil-cdn.com" in out["a-mail.txt"]
    mail_a = re.search(r"[\w.-]+@domain-\d+\.example", out["a-mail.txt"]).group(0)
    mail_b = re.search(r"[\w.-]+@domain-\d+\.example", out["b-whoami.txt"]).group(0)
    assert mail_a == mail_b
    again = _batch(bare_engine, src, tmp_path / "again", 3 - jobs)   # the other way: same names
    assert again == out


def test_a_streamed_log_learns_in_one_window_for_all_windows(bare_engine, tmp_path, jobs, monkeypatch):
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 700)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    lines = [f"2024-05-11T10:{i:02d}:00Z mail to=<m.berg@halvorsen-bank.com> from=<x@evil-cdn.com>\n"
             for i in range(40)] + ['{"userPrincipalName": "m.berg@halvorsen-bank.com"}\n']
    src = tmp_path / "in"
    src.mkdir()
    (src / "mail.log").write_text("".join(lines))
    out = _batch(bare_engine, src, tmp_path / "out", jobs)["mail.log"]
    assert "halvorsen-bank" not in out and out.count("x@evil-cdn.com") == 40
    assert len(set(re.findall(r"[\w.-]+@domain-\d+\.example", out))) == 1


def test_check_reports_an_address_a_later_file_makes_ours(tmp_path):
    (tmp_path / "a.md").write_text("Reply went to m.berg@halvorsen-bank.com.\n")
    (tmp_path / "b.md").write_text("UserPrincipalName : m.berg@halvorsen-bank.com\n")
    res = run_cli("check", "--no-ner", str(tmp_path / "a.md"), str(tmp_path / "b.md"), cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    assert re.search(r"a\.md:1:\d+ EMAIL_ADDRESS", res.stdout), res.stdout


def test_what_is_learned_does_not_depend_on_the_order(bare_engine):
    """A DNS suffix under a domain learned before it (`vpn.halvorsen.net` after the forest `halvorsen.net`) is
    learned too, as when it comes first: the same domains, and the same names under them, in either order."""
    from redactor.session import Session

    suffix = "   Connection-specific DNS Suffix  . : vpn.halvorsen.net\n"
    forest = "     Dom Name: corp.halvorsen.net\n  Forest Name: halvorsen.net\n"
    hosts = "gw01.vpn.halvorsen.net and fs01.corp.halvorsen.net"
    learned, outputs = [], []
    for order in ((suffix, forest), (forest, suffix)):
        session = Session(bare_engine, b"k")
        for text in (*order, hosts):
            session.analyze(text)
        session.book.assign_all()
        learned.append(sorted(session.policy.learned))
        outputs.append(session.redact(hosts)[0])
    assert learned[0] == learned[1] == ["corp.halvorsen.net", "halvorsen.net", "vpn.halvorsen.net"]
    assert outputs[0] == outputs[1] and "halvorsen" not in outputs[0], outputs


def test_an_address_url_encoded_is_the_same_address(bare):
    """`h.solberg%40…` in a login URL's `login_hint` is the address `h.solberg@…`: one pseudonym, written
    URL-encoded as it was; the provider's URL around it stays readable."""
    out = bare.redact_text("UserPrincipalName : h.solberg@fjellheim-energi.no\nThe phish redirected to "
                           "https://login.microsoftonline.com/common/oauth2/authorize?login_hint=h.solberg%40"
                           "fjellheim-energi.no&x=1 (sent to h.solberg@fjellheim-energi.no)\n").text
    assert "solberg" not in out and "fjellheim" not in out
    plain = re.search(r"UserPrincipalName : (user-\d+)@(domain-\d+\.example)", out)
    assert f"login_hint={plain.group(1)}%40{plain.group(2)}&x=1" in out
    assert f"(sent to {plain.group(1)}@{plain.group(2)})" in out
    assert "https://login.microsoftonline.com/common/oauth2/authorize?login_hint=" in out
