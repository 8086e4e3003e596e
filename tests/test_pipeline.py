"""Entity table propagation, pseudonyms, policy and verification, on the real engine."""
from __future__ import annotations

import ipaddress
import random
import re
import unicodedata
from pathlib import Path

import pytest

from redactor import Redactor
from redactor.batch import analyze_file, finish_file
from redactor.engine import build_engine
from redactor.policy import Policy
from redactor.profile import Profile
from redactor.pseudonyms import Pseudonymizer
from redactor.session import Session

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "reports"


def batch(engine, *texts):
    """Two-pass batch over texts: analyze all, then plan and apply each."""
    from redactor.session import apply

    s = Session(engine, b"k")
    found = [s.analyze(t) for t in texts]
    s.book.assign_all()
    return [apply(t, s.plan(t, f)) for t, f in zip(texts, found)]


def with_names(engine, names, text):
    """`text` planned against a table where `names` were found as people, in that order."""
    from redactor.session import apply

    s = Session(engine, b"k")
    for name in names:
        s.register("PERSON", name)
    s.book.assign_all()
    return apply(text, s.plan(text, []))


def test_fqdn_found_once_removes_bare_host_everywhere(bare_engine):
    a, b = batch(bare_engine, "Beacon from web-07.corp.internal at 09:00.",
                 "Later web-07 rebooted; WEB-07 is back.")
    assert "web-07" not in (a + b).lower()
    host = a.split("from ")[1].split(".")[0]          # host-NNNNN
    assert host.upper() in b


def test_email_local_part_and_derived_name_removed_everywhere(bare_engine):
    a, b = batch(bare_engine, "Mail from elena.petrova@corp.internal arrived.",
                 "Elena Petrova said elena.petrova ran it; Petrova agreed.")
    assert "petrova" not in (a + b).lower() and "elena" not in (a + b).lower()


def test_a_service_accounts_address_names_no_person(bare_engine):
    """`svc_backup@…`, `adm.jdoe@…` are accounts: `user-n@…`, and no "Svc Backup" is a person whose
    `Backup` is hunted alone; `ola.knudsen@…` is a person's."""
    out = batch(bare_engine, "Account Name: svc_backup@fjellheim.local; from adm.jdoe@fjellheim.local and "
                             "ola.knudsen@fjellheim.local.", "Backup: 3 jobs; Ola: on call")
    assert re.fullmatch(r"Account Name: user-\d+@domain-\d+\.example; from user-\d+@domain-\d+\.example and "
                        r"person-\d+@domain-\d+\.example\.", out[0]), out
    assert re.fullmatch(r"Backup: 3 jobs; PERSON-\d+: on call", out[1]), out


def test_an_address_found_as_a_users_logon_goes_everywhere(bare_engine):
    """`MicrosoftAccount\\ola.knudsen@outlook.com` makes that free-mail address a user of ours: in another
    file, where it is only an address (kept, as anyone's), it goes as the same user; another address stays."""
    texts = ("User: MicrosoftAccount\\ola.knudsen@outlook.com logged on", "mail from ola.knudsen@outlook.com and x@outlook.com")
    forward, backward = batch(bare_engine, *texts), batch(bare_engine, *texts[::-1])[::-1]
    assert forward == backward, (forward, backward)
    n = re.fullmatch(r"User: MicrosoftAccount\\USER-(\d+) logged on", forward[0]).group(1)
    assert forward[1] == f"mail from USER-{n} and x@outlook.com", forward


def test_roster_surname_and_username_share_the_person_number(redactor):
    res = redactor.redact_text("Tomasz Nowak (tnowak) called. Nowak said tnowak@halvorsen-bank.com is his.")
    reps = {f.replacement for f in res.replaced}
    numbers = {r.split("-")[1].split("@")[0] for r in reps if r.startswith(("PERSON", "USER", "person"))}
    assert len(numbers) == 1, reps


@pytest.mark.parametrize("names", [("Nowak", "Tomasz Nowak"), ("Tomasz Nowak", "Nowak"),
                                   ("Tomasz Nowak", "Anna Nowak"), ("Anna Nowak", "Nowak", "Tomasz Nowak"),
                                   ("Nowak", "Anna Nowak", "Tomasz Nowak")])
def test_a_surname_alone_is_removed_whatever_the_order_and_however_many_share_it(bare_engine, names):
    """Found once, found everywhere: `Nowak` alone goes whether it was found before or after
    `Tomasz Nowak`, and when two people share it (then as neither person's pseudonym)."""
    text = "Nowak wrote first. Later Tomasz Nowak called; NOWAK again, then Ms. Nowak."
    out = with_names(bare_engine, names, text)
    assert "nowak" not in out.lower(), out
    assert out == with_names(bare_engine, tuple(reversed(names)), text)
    alone, full = out.split()[0], out.split("Later ")[1].split(" called")[0]
    assert alone.startswith("PERSON-") and full.startswith("PERSON-")
    assert (alone == full) == ("Anna Nowak" not in names)


def test_a_name_in_the_genitive_is_the_name(bare_engine):
    """`Hildes laptop`, `Solbergs PC`, `Hilde Solbergs mail` (Norwegian, Swedish, Danish, German): the person
    found as `Hilde Solberg`, with the `s` left after the pseudonym; `Hildesheim` is another word."""
    out = batch(bare_engine, "Hilde Solberg opened it. Hildes laptop and Solbergs PC; Hilde Solbergs mail went "
                             "to the Hildesheim office; hsolberg and hsolbergs.")[0]
    n = re.match(r"PERSON-(\d+) opened it", out).group(1)
    assert out == (f"PERSON-{n} opened it. PERSON-{n}s laptop and PERSON-{n}s PC; PERSON-{n}s mail went to the "
                   f"Hildesheim office; USER-{n} and USER-{n}s."), out
    # ... not an English plural: `References` of what NER took for a person ("Reference Kowalczyk")
    out = with_names(bare_engine, ("Reference Kowalczyk",), "Reference Kowalczyk wrote it.\nReferences\nKowalczyks notes")
    n = re.match(r"PERSON-(\d+) wrote it", out).group(1)
    assert out == f"PERSON-{n} wrote it.\nReferences\nPERSON-{n}s notes", out


def test_a_first_name_several_people_share_is_not_hunted_alone(bare_engine):
    out = with_names(bare_engine, ("Tomasz Nowak", "Tomasz Lis"), "Tomasz said Lis and Nowak were out.")
    assert out.startswith("Tomasz said PERSON-") and "Lis" not in out and "Nowak" not in out


def test_a_shared_english_word_is_not_hunted_alone(bare_engine):
    """Near miss: the small model takes headings for names (`Cryptographic Storage`,
    `Cryptographic Architecture`, and `Cryptographic` alone); the word is not then hunted in prose."""
    names = ("Cryptographic Storage", "Cryptographic", "Cryptographic Architecture", "Anna Smith", "Mark Smith")
    text = "Cryptographic keys are rotated. Smith is a common name."
    assert with_names(bare_engine, names, text) == text


def test_outlook_display_name_is_found_and_its_forms_everywhere(bare_engine):
    a, b = batch(bare_engine, 'From: "Nowak, Tomasz" <tn@corp.internal>\nSubject: host\n\nIsolated it.',
                 "Later Tomasz Nowak called; Nowak confirmed.")
    assert "nowak" not in (a + b).lower() and "tomasz" not in (a + b).lower(), (a, b)
    assert len(set(re.findall(r"PERSON-\d+", a + b))) == 1   # one person, one pseudonym


@pytest.mark.parametrize("name, users, surname", [
    ("Jan Kowalski", "jkowalski logged on; JAN.KOWALSKI too", "kowalski"),
    ("Jürgen Weiß", "jweiss logged on; jurgen.weiss too", "weiss"),      # as directories fold them
    # her address at a domain not known to be ours (no profile): the person's part goes
    ("Marta Kowalczyk", '"alternateId": "m.kowalczyk@halvorsen-bank.com"', "kowalczyk"),
])
def test_a_name_found_takes_its_usual_user_names_with_it(bare_engine, name, users, surname):
    """`jkowalski` / `jan.kowalski` of a Jan Kowalski found in a report: his user, his number."""
    a, b = batch(bare_engine, f"Reported by analyst: {name}.", f"Later {users}. The jar file ran.")
    assert surname not in (a + b).lower() and "weiß" not in (a + b).lower(), (a, b)
    assert len(set(re.findall(r"(?:PERSON|USER)-(\d+)", a + b))) == 1
    assert "The jar file ran." in b


def test_numbers_do_not_depend_on_file_order(bare_engine):
    t1, t2 = "host srv-101 and user=alice_k", "host srv-202 and user=bob_k"
    a = batch(bare_engine, t1, t2)
    b = batch(bare_engine, t2, t1)
    assert a == [b[1], b[0]]


def test_prefix_preserving_ip_pseudonyms():
    p = Pseudonymizer(b"key")
    nets = [ipaddress.ip_network("192.168.0.0/16")]
    a, b = p.ip("192.168.5.10", "192.168.0.0/16"), p.ip("192.168.5.200", "192.168.0.0/16")
    c = p.ip("192.168.9.10", "192.168.0.0/16")
    assert all(ipaddress.ip_address(x) in nets[0] for x in (a, b, c))
    assert a.rsplit(".", 1)[0] == b.rsplit(".", 1)[0] != c.rsplit(".", 1)[0]
    assert len({p.ip(f"192.168.1.{i}", "192.168.0.0/16") for i in range(256)}) == 256  # a bijection
    v6 = p.ip("fd12:3456::1", "fc00::/7")
    assert ipaddress.ip_address(v6) in ipaddress.ip_network("fc00::/7")


def _bitwise_ip(p: Pseudonymizer, addr: str, block: str) -> str:
    """The Crypto-PAn definition, one bit at a time (what `Pseudonymizer.ip` computed before it went
    octet by octet): bit i flips when the PRF of the bits before it says so."""
    ip = ipaddress.ip_address(addr)
    prefixlen, bits, value = ipaddress.ip_network(block, strict=False).prefixlen, ip.max_prefixlen, int(ip)
    out = value
    for i in range(prefixlen, bits):
        octet, j = divmod(i, 8)
        prf = int.from_bytes(p.digest("ip", block, str(octet), str(value >> (bits - 8 * octet))), "big")
        if (prf >> ((1 << j) - 1 + ((value >> (bits - i)) & ((1 << j) - 1)))) & 1:
            out ^= 1 << (bits - 1 - i)
    return str(ipaddress.ip_address(out) if bits == 32 else ipaddress.IPv6Address(out))


def test_ip_pseudonyms_are_the_bitwise_definition():
    """Keyed pseudonyms stay the same across versions: the octet-wise lookups give what one bit
    at a time gave, for blocks on and off octet edges (/8, /12, /16, /10, /7) and for IPv6."""
    rng = random.Random(7)
    p = Pseudonymizer(b"stable key")
    for block in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7",
                  "fe80::/10"):
        net = ipaddress.ip_network(block)
        for _ in range(150):
            addr = str(net[rng.randrange(min(net.num_addresses, 2 ** 64))])
            assert p.ip(addr, block) == _bitwise_ip(p, addr, block), (addr, block)


def test_a_link_local_address_keeps_its_interface(bare):
    out = bare.redact_text("neighbour fe80::1%eth0 on fe80::1, scope fe80::2%12").text
    m = re.fullmatch(r"neighbour (\S+)%eth0 on (\S+), scope (\S+)%12", out)
    assert m and m.group(1) == m.group(2) != "fe80::1", out
    assert all(ipaddress.ip_address(a) in ipaddress.ip_network("fe80::/10") for a in m.groups()), out


def test_our_public_range_keeps_no_prefix(redactor, engine):
    """A public block of the profile's (`198.51.100.0/24`): whois would name us from its prefix, so its
    addresses are `IP-n` (one each, everywhere); a private block's stay addresses of their block."""
    out = redactor.redact_text("edge 198.51.100.17 and 198.51.100.23, VPN http://198.51.100.17/x, lan 10.14.7.88").text
    assert "198.51.100" not in out, out
    m = re.fullmatch(r"edge (IP-\d+) and (IP-\d+), VPN http://(IP-\d+)/REDACTED, lan (10\.\d+\.\d+\.\d+)", out)
    assert m and m.group(1) == m.group(3) != m.group(2) and m.group(4) != "10.14.7.88", out
    # ... one pseudonym whichever file names it first, in a URL or alone (pass 1 draws no numbers)
    texts = ("VPN at http://198.51.100.17/x", "edge 198.51.100.17")
    forward, backward = batch(engine, *texts), batch(engine, *texts[::-1])[::-1]
    assert forward == backward and forward[1] == f"edge {forward[0].split('//')[1].split('/')[0]}", forward
    assert "IP-0" not in out and not any(re.search(r"IP-0\b", t) for t in forward), forward   # 0: not yet drawn


def test_policy_classification():
    pol = Policy(Profile(internal_networks=(ipaddress.ip_network("203.0.113.0/24"),),
                         internal_domains=("acme.com",)))
    assert pol.decide("IP_ADDRESS", "10.1.2.3") == ("replace", "IP_ADDRESS")
    assert pol.decide("IP_ADDRESS", "100.64.1.1")[0] == "replace"      # CGNAT
    assert pol.decide("IP_ADDRESS", "fe80::1")[0] == "replace"         # link-local
    assert pol.decide("IP_ADDRESS", "203.0.113.7")[0] == "replace"     # profile network
    assert pol.decide("IP_ADDRESS", "8.8.8.8")[0] == "keep"
    assert pol.decide("IP_ADDRESS", "127.0.0.1") is None                 # identifies nobody
    assert pol.decide("DOMAIN_NAME", "mail.acme.com") == ("replace", "HOSTNAME")
    assert pol.decide("DOMAIN_NAME", "acme.com") == ("replace", "DOMAIN_NAME")
    assert pol.decide("DOMAIN_NAME", "evil[.]com")[0] == "keep"
    assert pol.decide("URL", "https://wiki.acme.com/x")[0] == "replace"
    assert pol.decide("EMAIL_ADDRESS", "bad@evil.com")[0] == "keep"
    off = Policy(Profile(keep_external_indicators=False))
    assert off.decide("IP_ADDRESS", "8.8.8.8")[0] == "replace"
    assert pol.decide("HASH", "5f4dcc3b5aa765d61d8327deb882cf99")[0] == "keep"


def test_tenant_names_and_registrable_domains():
    from redactor.policy import org_spellings, registrable_start

    prof = Profile(org_names=("Nordvik Kraft AS", "NKraft", "Acme"), internal_domains=("nordvik-kraft.no", "corp.local"))
    assert org_spellings(prof) == ("nordvik-kraft", "nordvik-kraft-as", "nordvik_kraft", "nordvik_kraft_as",
                                   "nordvikkraft", "nordvikkraftas")
    assert [registrable_start(h) for h in ("a.b.example.co.uk", "x[.]evil[.]com", "evil.com", "bare", "a.corp.local")] \
        == [4, 4, 0, 0, 0]
    pol = Policy(prof)
    assert pol.decide("DOMAIN_NAME", "nordvik-kraft.sharepoint.com") == ("replace", "DOMAIN_NAME")
    assert pol.decide("DOMAIN_NAME", "nkraft.okta.com")[0] == "replace"
    assert pol.decide("DOMAIN_NAME", "nordvik.zoom.us")[0] == "replace"   # the short name of `nordvik-kraft`
    assert pol.decide("EMAIL_ADDRESS", "ola@nordvikkraftas.onmicrosoft.com")[0] == "replace"
    assert pol.decide("DOMAIN_NAME", "nordvikkraft.onmicrosoft.com")[0] == "replace"   # without its legal form
    assert pol.decide("URL", "https://nordvik-kraft-my.sharepoint.com/personal/x")[0] == "replace"
    # look-alikes (registered by someone else), our name inside a longer label, zero-config
    for kept in ("nordvik-kraft.com", "nordvikkraft-login.com", "mynordvik-kraft.sharepoint.com", "acmes.evil.com",
                 "nordvik-kraft.no.invoice-portal.top", "login.nordvik-kraft.no.invoice-portal[.]top"):
        assert pol.decide("DOMAIN_NAME", kept)[0] == "keep", kept   # (our whole domain before another's: a look-alike)
    assert pol.decide("EMAIL_ADDRESS", "faktura@nordvik-kraft.no.invoice-portal.top")[0] == "keep"
    # our name left of someone's domain names us, whoever set it up (a phishing page's host too)
    assert pol.decide("DOMAIN_NAME", "acme-login.weebly.com")[0] == "replace"
    assert Policy(Profile()).decide("DOMAIN_NAME", "contoso.onmicrosoft.com")[0] == "keep"


def test_policy_fast_paths_answer_as_the_slow_ways():
    """`ip_is_neutral` by integer arithmetic for IPv4, `registrable_start` without tldextract for a bare
    name, `base_domain` with its longest-first domains kept between calls (and renewed by `learn`)."""
    import ipaddress

    from redactor.policy import registrable_start

    for value in ("0.0.0.0", "0.0.0.1", "126.255.255.255", "127.0.0.0", "127.255.255.255", "128.0.0.0",
                  "223.255.255.255", "224.0.0.0", "239.255.255.255", "240.0.0.0", "255.255.255.254",
                  "255.255.255.255", "10.1.2.3", "::1", "::", "ff02::1", "2001:db8::1", "::ffff:127.0.0.1"):
        addr = ipaddress.ip_address(value)
        expected = addr.is_loopback or addr.is_unspecified or addr.is_multicast or value == "255.255.255.255"
        assert Policy.ip_is_neutral(value) == expected, value
    assert [registrable_start(h) for h in ("OSL-WS-1791", "finws042.", "FINWS042", "host[.]")] == [0, 0, 0, 0]
    pol = Policy(Profile(internal_domains=("example.com", "eu.example.com")))
    assert [pol.base_domain(h) for h in ("h.eu.example.com", "h.example.com", "srv.nordvik-kraft.no")] \
        == ["eu.example.com", "example.com", None]
    assert pol.learn("nordvik-kraft.no")
    assert pol.base_domain("srv.nordvik-kraft.no") == "nordvik-kraft.no"


def test_external_indicators_replaced_when_policy_says_so(tmp_path):
    from redactor import Redactor
    from redactor.engine import build_engine

    cfg = tmp_path / "r.yaml"
    cfg.write_text("policy:\n  keep_external_indicators: false\n")
    r = Redactor(build_engine(Profile.load(cfg), use_ner=False), key=b"k")
    out = r.redact_text("C2 at 185.174.136.17 and hxxp://evil[.]com/a, hash 5f4dcc3b5aa765d61d8327deb882cf99").text
    assert "185.174.136.17" not in out and "evil" not in out
    assert "5f4dcc3b5aa765d61d8327deb882cf99" in out


def test_our_name_glued_in_a_storage_account_or_registry_goes(redactor):
    """An Azure storage account or container registry name has no separators: our name is glued to
    the rest (`halvorsenprodsa`). It goes there and where the account is named alone; another's stays."""
    out = redactor.redact_text("Exfil to https://halvorsenprodsa.blob.core.windows.net/exports/a.zip and "
                               "halvorsenbankacr.azurecr.io/ledger; the storage account halvorsenprodsa was public. The "
                               "attacker staged at evilstore01.blob.core.windows.net.").text
    n = re.search(r"https://org-(\d+)-prodsa\.blob\.core\.windows\.net/REDACTED", out).group(1)
    assert f"org-{n}-acr.azurecr.io/ledger" in out and f"the storage account ORG-{n} was public" in out, out
    assert "halvorsen" not in out and "evilstore01.blob.core.windows.net" in out, out


def test_lookalike_attacker_domain_is_kept_whole(redactor):
    out = redactor.redact_text("Phish from hr-halvorsen-portal.com asked for HALVORSEN\\tnowak").text
    assert "hr-halvorsen-portal.com" in out and "tnowak" not in out


def test_our_tenants_at_providers_lose_our_name_and_keep_the_provider(redactor):
    """Regression (leak): `halvorsenbank.onmicrosoft.com`, its SharePoint and its users' addresses,
    our buckets and registries were kept as external indicators. The profile names the bank
    `Halvorsen Bank` and its domain halvorsen-bank.com: joined and hyphenated, they are its tenants."""
    text = ("Tenant halvorsenbank.onmicrosoft.com, mail from j.doe@halvorsenbank.onmicrosoft.com, files at "
            "https://halvorsenbank.sharepoint.com/sites/IR/payroll.xlsx and halvorsenbank-my.sharepoint.com; "
            "bucket s3://halvorsen-bank-backups/2024/ (https://halvorsen-bank-backups.s3.amazonaws.com/x), "
            "arn:aws:s3:::halvorsen-bank-logs, registry halvorsen-bank.azurecr.io/ledger, Okta hbank.okta.com, "
            "Zoom https://halvorsen.zoom.us/j/91234567890")   # the AD domain's name (HALVORSEN) is ours too
    out = redactor.redact_text(text).text
    assert not re.search(r"(?i)halvorsen|hbank|j\.doe|payroll", out), out
    org = re.search(r"tenant org-(\d+)\.onmicrosoft\.com", out, re.I)
    assert org, out
    n = org.group(1)
    for provider in (f"@org-{n}.onmicrosoft.com", f"https://org-{n}.sharepoint.com/", f"org-{n}-my.sharepoint.com",
                     f"org-{n}-backups.s3.amazonaws.com", f"org-{n}.azurecr.io/ledger", f"org-{n}.okta.com",
                     ".zoom.us/REDACTED"):
        assert provider in out
    assert f"ORG-{n}-backups" in out and f"ORG-{n}-logs" in out


def test_what_replaces_a_defanged_value_stays_defanged(redactor):
    """Regression (safety): `hxxps://halvorsenbank-login[.]weebly[.]com/` (a phishing page that names
    us) came out as the live link `https://org-n-login.weebly.com/`; internal names too."""
    out = redactor.redact_text("Lure hxxps://halvorsenbank-login[.]weebly[.]com/a and halvorsenbank-login[.]weebly[.]com; "
                               "see hxxp://intranet.hb[.]local/x, fs01[.]hb[.]local, m.berg@halvorsen-bank[.]com; "
                               "C2 hxxp://evil-cdn[.]com/a.bin").text
    assert re.fullmatch(r"Lure hxxps://org-\d+-login\[\.\]weebly\[\.\]com/REDACTED and org-\d+-login\[\.\]weebly\[\.\]com; "
                        r"see hxxp://host-\d+\[\.\]domain-\d+\[\.\]example/REDACTED, host-\d+\[\.\]domain-\d+\[\.\]example, "
                        r"(?:person|user)-\d+@domain-\d+\[\.\]example; C2 hxxp://evil-cdn\[\.\]com/a\.bin", out), out
    assert "https://" not in out and ".com" not in out.replace("[.]com", "")


def test_a_url_defanged_with_dot_in_brackets_keeps_its_host(bare):
    """Regression (over-redaction, a real report): `http://linkconf[dot]net/jn/w/file.jnlp`, the
    attacker's, was read as the bare host `linkconf` (internal) and destroyed."""
    out = bare.redact_text("URLs reference http://linkconf[dot]net/jn/w/file.jnlp and hxxp://evil[DOT]com/x; "
                           "internal http://intranet[dot]hb[dot]local/y").text
    assert "http://linkconf[dot]net/jn/w/file.jnlp" in out and "hxxp://evil[DOT]com/x" in out
    assert re.search(r"internal hxxp://host-\d+\[\.\]domain-\d+\[\.\]example/REDACTED$", out), out


def test_a_name_in_dns_wire_format_is_replaced_in_wire_format(redactor):
    """Regression (leak, with a profile): Windows' DNS debug log writes `(7)finws42(2)hb(5)local(0)`,
    which no rule read; it gets the pseudonym the dotted name gets, in wire format. The attacker's stays."""
    out = redactor.redact_text("UDP Rcv 10.20.5.77 a1b2 Q [0001 D NOERROR] A (7)finws42(2)hb(5)local(0)\n"
                               "UDP Snd 10.20.5.77 a1b3 R Q [8081 DR NOERROR] A (8)evil-cdn(3)com(0)\n"
                               "(5)vault(14)halvorsen-bank(3)com(0), finws42.hb.local").text
    m = re.search(r"A \((\d+)\)(host-\d+)\((\d+)\)(domain-\d+)\(7\)example\(0\)\n", out)
    assert m and int(m.group(1)) == len(m.group(2)) and int(m.group(3)) == len(m.group(4)), out
    assert f"{m.group(2)}.{m.group(4)}.example" in out and "(8)evil-cdn(3)com(0)" in out
    assert not re.search(r"finws42|vault|halvorsen", out), out


def test_a_domain_spelled_as_an_ldap_dn_is_replaced_as_a_dn(redactor):
    """Regression (leak): `dc=hb,dc=local` kept the internal domain that `dc01.hb.local` lost; the
    profile's domains go in a DN also where no host name of theirs is in the text."""
    out = redactor.redact_text("ldap://dc01.hb.local bind cn=svc_ldap,ou=Service Accounts,dc=hb,dc=local").text
    dom = re.search(r"host-\d+\.(domain-\d+)\.example", out).group(1)
    assert out.endswith(f",ou=Service Accounts,dc={dom},dc=example"), out
    out = redactor.redact_text("base DN: OU=Finance, DC=halvorsen-bank, DC=com").text
    assert re.fullmatch(r"base DN: OU=Finance, DC=domain-\d+, DC=example", out), out


def test_an_internal_domain_seen_only_as_a_dn_is_replaced(bare):
    """Without a profile: `DC=hb,DC=local` is an internal domain (`.local`) although no host name
    of it is in the text; `DC=microsoft,DC=com` is someone else's and stays."""
    out = bare.redact_text("Distinguished name: CN=Jan Nowak,OU=SOC,DC=hb,DC=local; "
                           "schema CN=Schema,CN=Configuration,DC=microsoft,DC=com").text
    assert re.search(r"OU=SOC,DC=domain-\d+,DC=example; ", out) and out.endswith("DC=microsoft,DC=com"), out


def test_a_service_account_names_its_gcp_project_everywhere(redactor):
    """Regression (leak): `acme-prod-4412` stayed in `gcr.io/acme-prod-4412/api` and in prose when
    only the service account's address said it was a project of ours."""
    out = redactor.redact_text("SA deployer@acme-prod-4412.iam.gserviceaccount.com pushed "
                               "gcr.io/acme-prod-4412/api; acme-prod-4412 billing spiked").text
    assert "acme-prod" not in out, out
    n = re.search(r"gcr\.io/gcp-project-(\d+)/api; gcp-project-(\d+) billing", out)
    assert n and n.group(1) == n.group(2), out


def test_a_titled_common_word_is_not_hunted_alone(redactor):
    out = redactor.redact_text('Sent from "Mrs. World". Computer World covered the world. Mr. Serta; Serta said.').text
    assert "Mrs." not in out and "Computer World covered the world." in out and "Serta" not in out, out


def test_lookalikes_of_our_name_stay_whole(redactor):
    """Registered by the attacker to look like us: indicators, kept whole (their own registrable
    domain), like `hr-halvorsen-portal.com`."""
    text = "Phish from halvorsenbank-secure.com, halvorsenbank.com and evil.com; tenant contoso.onmicrosoft.com"
    assert redactor.redact_text(text).text == text


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_names_in_any_script_are_replaced_whole(redactor, form):
    """Regression (leak): host labels, e-mail local parts and user names took ASCII letters only,
    so `müller-pc.halvorsen-bank.com` kept `müller-pc.` and `IŞIK-SRV-01.hb.local` stayed whole.
    Also decomposed (NFD: `u` + U+0308), where a combining mark is not `\\w`."""
    import unicodedata

    text = unicodedata.normalize(form, (
        "Lateral movement to müller-pc.halvorsen-bank.com and IŞIK-SRV-01.hb.local; mail from "
        "jürgen.weiß@halvorsen-bank.com; workstation ÅSE-PC04 and \\\\FÅSRV01\\share; profile "
        "C:\\Users\\Øystein\\Desktop; HALVORSEN\\bjørn.ås logged on; svc_müller ran. "
        "C2 at müller-update[.]com and bаnk-secure.com."))   # attacker names (one with a Cyrillic а)
    out = unicodedata.normalize("NFC", redactor.redact_text(text).text)
    for leaked in ("müller", "Müller", "IŞIK", "ışık", "jürgen", "weiß", "ÅSE", "FÅSRV01", "Øystein", "bjørn"):
        assert leaked not in out.replace("müller-update[.]com", ""), (leaked, out)
    assert "müller-update[.]com" in out and "bаnk-secure.com" in out   # indicators kept as written
    assert out.count("host-") == 2 and "person-" in out, out


def test_a_name_composed_or_decomposed_is_one_entity(redactor):
    """`ü` (NFC) and `u` + U+0308 (NFD) spell the same name: one pseudonym, found everywhere."""
    import unicodedata

    conv = redactor.conversation()
    a = conv.redact_text(unicodedata.normalize("NFC", "Beacon from müller-pc.halvorsen-bank.com; Jürgen Weiß")).text
    b = conv.redact_text(unicodedata.normalize("NFD", "later MÜLLER-PC and müller-pc; jürgen.weiß@hb.local")).text
    assert "ller" not in a + b and "rgen" not in a + b, (a, b)
    host = a.split("from ")[1].split(".")[0]
    assert b.count(host.upper()) == 2, (a, b)


def test_verification_catches_a_value_analysis_missed(engine, tmp_path):
    """Drop a finding after analysis (as if a recognizer missed it): verify must fail the file."""
    src = tmp_path / "x.txt"
    src.write_text("Staging on osl-srv-0042.hb.local by svc_deploy.\n")
    s = Session(engine, b"k")
    outcome, doc = analyze_file(s, 0, src, src.relative_to(tmp_path))
    outcome.findings = [f for f in outcome.findings if f.entity_type != "USERNAME"]
    s.table._forms.clear()  # and the table forgets it too: only the re-scan can see it
    s.table._version += 1
    finish_file(s, outcome, doc, tmp_path / "out")
    assert outcome.status == "failed" and "verification failed" in (outcome.reason or "")
    assert not (tmp_path / "out" / "x.txt").exists()
    assert not list((tmp_path / "out").glob(".redactor-tmp-*"))


@pytest.mark.parametrize("text", ["", "\n\n", "no entities here at all."])
def test_trivial_texts(redactor, text):
    assert redactor.redact_text(text).text == text


def test_spacy_runs_only_what_ner_needs(engine):
    """The shared tok2vec feeds only the tagger/parser (excluded); NER embeds with its own.
    Loading it anyway cost a fifth of the samples' time; dropping it changes no entity."""
    import spacy

    nlp = engine.analyzer.nlp_engine.nlp["en"]
    assert nlp.pipe_names == ["ner"]
    text = (SAMPLES / "ir-2024-031-ransomware.md").read_text(encoding="utf-8")
    full = spacy.load(engine.analyzer.nlp_engine.models[0]["model_name"])
    assert "tok2vec" in full.pipe_names
    ents = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    assert ents == [(e.start_char, e.end_char, e.label_) for e in full(text).ents]
    assert ("Marcus Webb", "PERSON") in {(text[s:e], label) for s, e, label in ents}


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_ner_reads_lines_with_words_side_by_side_in_any_script(form):
    from redactor.engine import ner_view

    text = unicodedata.normalize(
        form, 'a=1 b=2 msg="Jürgen Weiß rebooted"\na=1 b=2 c=3\nsrc=x msg="Øystein Ødegård" d=4\n')
    view = ner_view(text)
    assert len(view) == len(text)
    assert view.splitlines() == text.splitlines()[:1] + [" " * 11] + text.splitlines()[2:]


def test_placeholder_words_of_a_command_line_are_not_hunted(bare_engine):
    """`wmic /node:hostname /user:username` (a report quoting malware's template): the words are
    field names, not a host and a user; once taken, every "username" of the batch had gone."""
    a, b = batch(bare_engine, "runs cmd.exe /c wmic.exe /node:hostname /user:username /password:x PROCESS CALL CREATE",
                 "Victims enter their username; the hostname of the server did not resolve.")
    assert "/node:hostname /user:username" in a, a
    assert b == "Victims enter their username; the hostname of the server did not resolve.", b


@pytest.mark.parametrize("text, gone, kept", [
    ("git remote: https://jdoe:ghSecret123x@git.corp.local/repo.git", ["jdoe", "ghSecret123x"], ["https://"]),
    ("internal http://svc_backup:Backup2024!@10.1.2.3:8080/api", ["svc_backup", "Backup2024!"], [":8080/"]),
    ("exfil to ftp://attacker:S3cretPw9@evil-c2.com/drop", ["S3cretPw9"], ["@evil-c2.com/drop"]),
    # a database's URL: its host goes as a web URL's would; an attacker's stays
    ("read mongodb://reporting_ro:R3p0rt!@mongo-03:27017/analytics and redis://cache-01:6379/0",
     ["reporting_ro", "R3p0rt!", "mongo-03", "cache-01", "analytics"], ["mongodb://REDACTED@host-", ":27017/REDACTED"]),
    ("dumped to mongodb://185.174.101.22:27017/loot", [], ["mongodb://185.174.101.22:27017/loot"]),
])
def test_credentials_in_a_url_are_never_written_back(bare_engine, text, gone, kept):
    """An internal URL is rewritten from its parts: its user:password part went through unchanged."""
    out, = batch(bare_engine, text)
    assert not any(g in out for g in gone) and all(k in out for k in kept), out


def test_a_month_or_weekday_is_never_hunted_alone(bare_engine):
    """Regression (fail closed on a real PDF): NER's "Tue Jun" (of `Compiled | Tue Jun 15 2010`) was a
    person, so `Jun` went everywhere: `Updated Date: 18-Jun-2013` became `18-PERSON-n-2013`, which
    verification then read as a US SSN. A name of date words is no person; "Jun Li" is, but his
    first name alone is not hunted."""
    out = with_names(bare_engine, ["Jun Li"], "Jun Li wrote on 18-Jun-2013; Updated Date: 18-Jun-2013")
    assert out.endswith("wrote on 18-Jun-2013; Updated Date: 18-Jun-2013") and "Li " not in out, out


def test_the_organisation_a_machine_is_registered_to_is_ours_everywhere(bare_engine):
    """systeminfo names our organisation without a profile: it goes there and in every other
    report of the batch, also without its legal form."""
    a, b = batch(bare_engine, "Registered Owner:          Marta Kowalczyk\nRegistered Organization:   Nordvik Kraft AS\n",
                 "the Nordvik Kraft team; Nordvik Kraft AS confirmed.")
    assert "Nordvik" not in a + b and "Kowalczyk" not in a, (a, b)
    assert len(set(re.findall(r"ORG-\d+", a + b))) == 1 and b.count("ORG-") == 2, b


def test_a_signature_block_leaves_no_company_address_or_phone(bare_engine):
    """A mail signature names the writer's company, its street address and phone numbers; without
    a profile they go, the address also where another report of the batch repeats it, and a
    security vendor's signature keeps the vendor (peers need to know who responded)."""
    a, b = batch(bare_engine,
                 "Best regards,\nMaria Berg\nHead of Security Operations | Nordvik Kraft ASA\n"
                 "Strandveien 20, 1366 Lysaker, Norway\nT: 0113 496 0000 | M: 912 34 567\n",
                 "Visitors badge at Strandveien 20, 1366 Lysaker for Nordvik Kraft ASA staff.\n\n"
                 "Kind regards,\nKevin Mandia\nMandiant Inc.\n")
    for gone in ("Nordvik", "Strandveien", "1366 Lysaker", "0113 496 0000", "912 34 567", "Maria Berg"):
        assert gone not in a + b, (gone, a, b)
    assert "Norway" in a and "Mandiant Inc." in b, (a, b)
    assert re.findall(r"ADDRESS-\d+", a) == re.findall(r"ADDRESS-\d+", b) and "ADDRESS-" in a, (a, b)


def test_password_hashes_of_accounts_go_file_hashes_stay(bare_engine):
    """mimikatz and secretsdump print our accounts' NT hashes (pass-the-hash material): replaced as
    secrets, though they look like the MD5s peers need; the dropper's hashes in the same report stay."""
    (out,) = batch(bare_engine,
                   "Dropper MD5: 5d41402abc4b2a76b9719d911017c592, SHA1: e8f97fba9104d1ea5047948e6dfb67facd9f5b73\n"
                   "\t * Username : mberg\n\t * NTLM     : 8846f7eaee8fb117ad06bdd830b7586c\n"
                   "jhansen:1107:aad3b435b51404eeaad3b435b51404ee:5f4dcc3b5aa765d61d8327deb882cf99:::\n")
    assert "5d41402abc4b2a76b9719d911017c592" in out and "e8f97fba9104d1ea5047948e6dfb67facd9f5b73" in out, out
    for gone in ("8846f7eaee8fb117ad06bdd830b7586c", "5f4dcc3b5aa765d61d8327deb882cf99", "mberg", "jhansen"):
        assert gone not in out, (gone, out)
    assert out.count("[SECRET]") == 2 and "aad3b435b51404eeaad3b435b51404ee" in out, out


def test_a_name_ner_runs_into_the_next_line_leaves_that_line_whole(bare_engine):
    """The sm model reads `Lars Eriksen\\nAssignment` (a ticket's next label) as one person; the
    replacement once ate the line break and the label. Only the name goes."""
    (out,) = batch(bare_engine, "Number: INC0012345\nCaller: Maria Berg (mberg)\nOpened by: Lars Eriksen\n"
                                "Assignment group: HB-SOC-L2\nAssigned to: Jonas Hansen\n"
                                "Short description: Suspicious sign-in from 185.174.101.22\n")
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Number", "Caller", "Opened by", "Assignment group",
                                                      "Assigned to", "Short description"], out
    assert re.fullmatch(r"Opened by: PERSON-\d+", lines[2]) and re.fullmatch(r"Assigned to: PERSON-\d+", lines[4]), out
    # a whois record (Kaspersky's Gauss report): the next field's label stays, and is not hunted as a surname
    (out,) = batch(bare_engine, "Both have been registered by somebody named “Peter Kulmann,” probably a fake identity:\n"
                                "Registrant Name:Peter Kulmann\nRegistrant Street1:Antala Staska 1301/19\n"
                                "Registrant City:Prague\n")
    assert "Kulmann" not in out and out.count("Registrant") == 3 and "\nRegistrant Street1:" in out, out


@pytest.mark.parametrize("text, gone, kept", [
    # a heading NER takes for a person: every word a word the text also writes in lower case
    ("V2.9 Cryptographic Verifier\nCryptographic security keys are smart cards or FIDO keys. The cryptographic "
     "device acts as a verifier.\n", [], ["Cryptographic Verifier", "Cryptographic security"]),
    # names that are English words stay people unless the text uses every one of them as a word
    ("Grace Brown reported the phishing mail. Amazing grace.\n", ["Grace Brown"], ["Amazing grace"]),
    ("Mark Smith reported it; mark the ticket as done.\n", ["Mark Smith"], ["mark the ticket"]),
])
def test_a_heading_of_common_words_is_no_person(bare_engine, text, gone, kept):
    (out,) = batch(bare_engine, text)
    assert all(g not in out for g in gone) and all(k in out for k in kept), out


def test_a_name_word_that_the_text_uses_as_a_word_is_not_hunted_there(engine):
    """`Module` of what NER took for a person ("Module Type") stays where the text also says "the
    module"; a surname the text never writes in lower case is still hunted alone."""
    out = with_names(engine, ["Module Type", "Grace Brown"],
                     "| Module name | Location |\nNumber of PC with the module. Brown said it was loaded.")
    assert "| Module name |" in out and "Brown" not in out and re.search(r"PERSON-\d+ said", out), out


def test_a_national_id_found_by_its_word_goes_everywhere_and_a_birth_date_goes_but_timestamps_stay(bare_engine):
    a, b = batch(bare_engine, "Leaked: fødselsnummer 01019012345 (DOB: 1990-01-01) and passport no. 34567891, "
                              "exported 2024-05-11 10:02.",
                 "row 17: 01019012345;34567891;Oslo")
    assert "01019012345" not in a + b and "34567891" not in a + b and "1990-01-01" not in a, (a, b)
    assert "exported 2024-05-11 10:02." in a and b.startswith("row 17: NATIONAL-ID-") and ";PASSPORT-" in b, (a, b)


def test_a_signed_urls_signature_goes_and_the_attackers_storage_stays(bare_engine):
    out, = batch(bare_engine, "exfil to https://evilstore01.blob.core.windows.net/loot/a.zip?sv=2022-11-02&sp=rw"
                              "&sig=aBcDeFgHiJkLmNoPqRsTuV%2BabcdE%3D with Cookie: ESTSAUTH=1.AQcAab12Cd34Ef56Gh")
    assert out == ("exfil to https://evilstore01.blob.core.windows.net/loot/a.zip?sv=2022-11-02&sp=rw&sig=[SECRET] "
                   "with Cookie: ESTSAUTH=[SECRET]"), out


def test_an_aws_resource_keeps_its_kind_and_one_pseudonym(bare_engine):
    a, b = batch(bare_engine, "crypto miner on i-0a1b2c3d4e5f67890 (sg-0fedcba9876543210) from ami-0123456789abcdef0",
                 "terminated i-0a1b2c3d4e5f67890")
    new = re.search(r"on (i-[0-9a-f]{17}) \((sg-[0-9a-f]{17})\)", a)
    assert new and new.group(1) != "i-0a1b2c3d4e5f67890" and "sg-0fedcba9876543210" not in a, a
    assert b == f"terminated {new.group(1)}" and a.endswith("from ami-0123456789abcdef0"), (a, b)


def test_a_given_name_and_surname_go_though_their_address_writes_them_in_lower_case(bare_engine):
    """`maria` of `maria.berg@…` is part of an address, not the common word "maria": Get-ADUser's
    `GivenName`/`Surname` fields are names there too."""
    out, = batch(bare_engine, "SamAccountName : mberg\nEmailAddress   : maria.berg@halvorsen-bank.com\n"
                              "GivenName      : Maria\nSurname        : Berg\n")
    assert "maria" not in out.lower() and "berg" not in out.lower() and "halvorsen" not in out, out


def test_a_bucket_of_ours_goes_wherever_it_is_named_and_the_attackers_stays(bare):
    """CloudTrail's `bucketName` says the bucket is ours: it is hunted in `s3://`, `gs://`, path-style and
    virtual-hosted URLs (where the kept URL's host would otherwise shield it); the attacker's own bucket,
    named only in prose and a command, stays whole."""
    text = ('{"eventName":"GetObject","requestParameters":{"bucketName":"hb-ledger-exports","key":"2024/ledger.csv"}}\n'
            "The attacker ran `aws s3 sync s3://hb-ledger-exports ./loot`, then copied it to s3://exfil-drop-7731.\n"
            "Fetched from https://hb-ledger-exports.s3.eu-north-1.amazonaws.com/2024/ledger.csv and "
            "hb-ledger-exports.s3.amazonaws.com, https://s3.amazonaws.com/hb-ledger-exports/x and gs://hb-ledger-exports/.\n"
            "Their bucket exfil-drop-7731.s3.amazonaws.com and https://exfil-drop-7731.s3.amazonaws.com/up stay.\n")
    out = bare.redact_text(text).text
    assert "hb-ledger" not in out, out
    bucket = re.search(r'"bucketName":"(bucket-\d+)"', out).group(1)
    assert out.count(bucket) == 6, out
    for written in (f"s3://{bucket} ", f"https://{bucket}.s3.eu-north-1.amazonaws.com/2024/ledger.csv",
                    f"{bucket}.s3.amazonaws.com,", f"https://s3.amazonaws.com/{bucket}/x", f"gs://{bucket}/",
                    "s3://exfil-drop-7731.", "bucket exfil-drop-7731.s3.amazonaws.com and",
                    "https://exfil-drop-7731.s3.amazonaws.com/up stay"):
        assert written in out, (written, out)


def test_a_gcp_instance_is_a_host_and_its_bucket_ours(bare_engine):
    a, b = batch(bare_engine,
                 '{"resourceName":"projects/hb-prod-ledger/zones/europe-north1-a/instances/hb-web-01"}\n'
                 '{"resourceName":"projects/_/buckets/hb-ledger-exports/objects/2024/ledger.csv"}',
                 "hb-web-01 served gs://hb-ledger-exports/2024/ to 185.174.187.29")
    assert "hb-web-01" not in a + b and "hb-ledger-exports" not in a + b and "hb-prod-ledger" not in a, (a, b)
    host = re.search(r"instances/(HOST-\d+)", a).group(1)
    bucket = re.search(r"buckets/(bucket-\d+)/objects/2024/ledger.csv", a).group(1)
    assert b == f"{host} served gs://{bucket}/2024/ to 185.174.187.29", b


def test_a_bucket_named_after_us_is_written_one_way_in_every_form(redactor):
    """A bucket whose name holds ours is the organisation's name with a suffix in every spelling, not
    `bucket-n` in CloudTrail and `ORG-n-backups` in its URL."""
    out = redactor.redact_text('{"bucketName":"halvorsen-bank-backups"} then s3://halvorsen-bank-backups/x and '
                               "https://halvorsen-bank-backups.s3.amazonaws.com/y").text
    assert "halvorsen" not in out and "bucket-" not in out, out
    n = re.search(r'"bucketName":"ORG-(\d+)-backups"', out).group(1)
    assert f"s3://ORG-{n}-backups/x" in out and f"https://org-{n}-backups.s3.amazonaws.com/" in out, out


def test_a_greeting_and_a_signature_title_stay_outside_the_name(bare):
    """NER took `Hallo Jonas` and `Jürgen Weiß\\nLeiter` for names: the greeting word and the title's line stay,
    and Jonas has one pseudonym whatever the greeting."""
    out = bare.redact_text("Hallo Jonas,\n\nFINWS042 ist isoliert.\n\nMit freundlichen Grüßen\nJürgen Weiß\n"
                           "Leiter IT-Sicherheit\nTel.: +49 30 1234567\n\n---\nHi Jonas,\nsee above.\n").text
    assert "Jonas" not in out and "Jürgen" not in out and "Weiß" not in out, out
    first = re.search(r"^Hallo (PERSON-\d+),$", out, re.M)
    assert first and f"Hi {first.group(1)}," in out, out
    assert re.search(r"\nPERSON-\d+\nLeiter IT-Sicherheit\n", out), out


def test_names_on_lines_of_their_own_stay_one_a_line(bare):
    """NER ran a list of names (a contributors' table, one cell a line) into one span across lines: each line's
    name is its own, and no line is emptied (the ASVS 5.0 DOCX lost `Sandro` to `Mark Carney\\nSandro`)."""
    out = bare.redact_text("Other Major Contributors\nSjoerd Langkemper\nIsaac Lewis\nMark Carney\nSandro Gauci\n"
                           "Other Contributors and Reviewers\n").text
    lines = out.split("\n")
    assert len(lines) == 7 and lines[0] == "Other Major Contributors" and lines[5] == "Other Contributors and Reviewers", out
    assert all(line for line in lines[:6]) and "Isaac" not in out and "Carney" not in out, out
    assert re.fullmatch(r"PERSON-\d+", lines[2]) and re.fullmatch(r"PERSON-\d+", lines[3]) and lines[2] != lines[3], out


@pytest.mark.parametrize("first, later, gone", [
    ("Earlier jira-prod was slow.", "The dump was staged at https://jira-prod.hb.local/browse/SEC-1 first.",
     "jira-prod"),
    ("Earlier 123456789012 showed up in billing.", "The attacker assumed arn:aws:iam::123456789012:role/OrgAdmin.",
     "123456789012"),
], ids=["url-host", "arn-account"])
def test_what_a_url_or_an_arn_names_is_found_in_a_file_before_it(engine, first, later, gone):
    """Found once, found everywhere, in any order: an internal URL's host and an ARN's account are
    registered in pass 1, as a host name alone is, not only when pass 2 names the URL or the ARN
    (a file finished before that, or in another worker, kept `jira-prod` and the account)."""
    for texts in ((first, later), (later, first)):
        out = batch(engine, *texts)
        assert gone not in "".join(out), out
    a, b = batch(engine, first, later)
    named = re.search(r"//(host-\d+)|::(\d{12}):", b)
    assert a == first.replace(gone, named.group(1).upper() if named.group(1) else named.group(2))


def test_who_an_arn_of_ours_names_is_found_everywhere(bare_engine):
    """An IAM user's name and an assumed role's session (SSO sets it to the user's address) are ours: hunted
    wherever they stand, also where the address alone would be kept as someone else's (no profile); in any
    order. The SDK's session names are nobody's. CloudTrail's principalId (`AROA…:address`) is a role's ID
    and the session, not a user and password."""
    texts = ['{"principalId": "AROAQXZ4EXAMPLE7IDXYZ:lena.fischer@nordvik-kraft.no", "arn": '
             '"arn:aws:sts::210987654321:assumed-role/NK-Admins/lena.fischer@nordvik-kraft.no"}',
             "Later lena.fischer@nordvik-kraft.no and nk-ci-deployer logged in; Lena Fischer was paged. "
             "GitHubActions and AWSCloudFormation ran too.",
             "The pipeline ran as arn:aws:iam::210987654321:user/ops/nk-ci-deployer, then as "
             "arn:aws:sts::210987654321:assumed-role/NK-Admins/botocore-session-1716220000, "
             "arn:aws:sts::210987654321:assumed-role/NK-Deploy/GitHubActions and "
             "arn:aws:sts::210987654321:assumed-role/NK-Stacks/AWSCloudFormation."]
    out = batch(bare_engine, *texts)
    assert out == batch(bare_engine, *texts[::-1])[::-1]
    joined = "".join(out)
    for gone in ("lena.fischer", "nordvik-kraft", "Lena Fischer", "nk-ci-deployer", "210987654321",
                 "AROAQXZ4EXAMPLE7IDXYZ"):
        assert gone not in joined, out
    assert "[SECRET]" not in joined, out   # not taken for a password
    address = re.search(r"EMAIL-\d+", out[0]).group(0)
    assert f"Later {address} and USER-" in out[1], out
    assert "PERSON-" in out[1] and "botocore" not in out[2]   # inside the ARN, replaced with it
    assert "GitHubActions and AWSCloudFormation ran" in out[1], out   # a CI's and a service's sessions: nobody's


LATE = [  # what pass 2 used to register: an egress address (`IP-n`), a tenant in an address, a first name
    # met alone before a second person has it, a URL's host, an ARN's account
    '{"device": {"hostname": "FINWS042", "local_ip": "10.14.37.48", "external_ip": "84.208.15.22"}}',
    '{"userPrincipalName": "j.hansen@HalvorsenBank.mail.onmicrosoft.com"}',
    "Marta Kowalczyk opened the ticket.", "Dear Marta and Lars,\nsee below", "Marta Lindqvist closed it.",
    "Staged at https://jira-prod.hb.local/browse/SEC-1 first.", "Assumed arn:aws:iam::123456789012:role/OrgAdmin.",
    "Session arn:aws:sts::123456789012:assumed-role/OrgAdmin/j.hansen@halvorsen-consult.no ran it.",
]


@pytest.mark.parametrize("order", ["forward", "reversed"])
def test_pass_2_registers_nothing(engine, order):
    """Every entity is in the table once pass 1 (and the relearning between the passes) is done, so
    planning a text registers nothing new: what one file's planning added could not be hunted in the
    files planned before it, nor by workers given the table as pass 1 left it, and numbers drawn apart
    in two workers could collide. The samples and the cases above, with NER, in either order."""
    from redactor.documents import read_document
    from redactor.session import kept_names

    texts = [read_document(p).text for p in sorted(SAMPLES.iterdir())] + LATE
    texts = texts if order == "forward" else texts[::-1]
    s = Session(engine, b"k")
    found = [s.analyze(t) for t in texts]
    for t, f in zip(texts, found):
        s.relearn(sorted(kept_names(t, f)))
    s.book.assign_all()
    log = s.table.log()
    for t, f in zip(texts, found):
        s.plan(t, f)
    assert len(log) > 90 and s.table.log() == log


def test_a_user_name_met_before_its_person_takes_the_persons_number_in_any_order(engine):
    """`mberg` (and an address that took its number) read before a report names Maria Berg: once she is
    found, they are hers, as when the report is read first; every text comes out the same in either order."""
    texts = ["The account mberg logged on from OSL-WS-1187.", "Forwarded to mberg@gmail.com at 02:14.",
             "Reported by analyst: Maria Berg."]
    forward, backward = batch(engine, *texts), batch(engine, *texts[::-1])[::-1]
    assert forward == backward
    number = re.search(r"PERSON-(\d+)", forward[2]).group(1)
    assert f"USER-{number} logged" in forward[0] and f"USER-{number}@gmail.com" in forward[1], forward


@pytest.mark.parametrize("texts", [
    ("Customer Nordvik Kraft reported it; the merchant Kaffebrenneriet Oslo was hit.",
     "Registered Owner:          Marta Kowalczyk\nRegistered Organization:   Nordvik Kraft AS\n",
     "the Nordvik Kraft team; Nordvik Kraft AS confirmed."),
    ("Reported by analyst: Maria Berg.", "UserPrincipalName : maria.berg@halvorsen-bank.com", "ping maria berg"),
], ids=["customer-or-organisation", "found-name-in-lower-case"])
def test_what_a_name_is_hunted_as_does_not_depend_on_the_order(engine, texts):
    """A name one text gives as a customer and another as our organisation is hunted as one of them
    (the customer), whichever came first; a person NER found is hunted in lower case too once an
    address names her (`ping maria berg`), as when the address is read first."""
    forward, backward = batch(engine, *texts), batch(engine, *texts[::-1])[::-1]
    assert forward == backward
    assert "Nordvik" not in "".join(forward) and "berg" not in "".join(forward).lower()
    assert forward[2].startswith(("the CUSTOMER-", "ping PERSON-")), forward


def test_a_surname_with_an_apostrophe_is_hunted_alone_too(engine):
    """`O'Neil` of Mary O'Neil found in one report goes where it stands alone, as `Nowak` of Tomasz Nowak does."""
    a, b = batch(engine, "Reported by analyst: Mary O'Neil.", "Later O'Neil called the desk; O'NEIL signed it.")
    assert "neil" not in (a + b).lower(), (a, b)
    assert set(re.findall(r"PERSON-\d+", b)) == set(re.findall(r"PERSON-\d+", a)) != set()


def test_a_phone_number_or_account_a_label_made_ours_goes_where_it_stands_bare(bare_engine):
    """Found once, found everywhere, for numbers too: a signature's `T: 0113 496 0000` and an `account no.`
    go in another report, and further on in the same text, where no label says what they are; a ticket
    number with no such past stays."""
    a, b, c = batch(bare_engine,
                    "Best regards,\nMaria Berg\nHead of Security Operations | Nordvik Kraft ASA\n"
                    "T: 0113 496 0000 | M: 912 34 567\n",
                    "The caller rang 0113 496 0000 twice and then 912 34 567 at 02:14; ticket 12345678901.",
                    "Refund to account no. 1503.12.34567 was stopped; later 1503.12.34567 was frozen.")
    assert re.findall(r"PHONE-\d+", a) == re.findall(r"PHONE-\d+", b) and len(set(re.findall(r"PHONE-\d+", a))) == 2
    assert "ticket 12345678901." in b and "1503" not in c and len(set(re.findall(r"BANK-ACCOUNT-\d+", c))) == 1, c


def test_a_profile_domain_that_glues_our_name_together_names_us_in_prose():
    """A profile that lists `mercyridgehealth.org` and no name: `Mercy Ridge Health` goes anyway, as the label's
    organisation, in any case."""
    r = Redactor(build_engine(Profile(internal_domains=("mercyridgehealth.org",)), use_ner=False), key=b"k")
    out = r.redact_text("Ransomware at Mercy Ridge Health (MERCY RIDGE HEALTH); mercyridgehealth-my.sharepoint.com\n").text
    assert re.fullmatch(r"Ransomware at (ORG-\d+) \(\1\); \1-my\.sharepoint\.com\n", out, re.I), out


def test_an_hl7_patient_is_the_person_the_prose_names(bare_engine):
    """HL7's `WHITAKER^JANE^A` and `Jane Whitaker` of the narrative are one person, one pseudonym; her surname alone
    goes too. The message's structure stays (separators, the site code, the message type)."""
    r = Redactor(bare_engine, key=b"k")
    out = r.redact_text("MSH|^~\\&|EPIC|MRH|LAB|MRH|202611140312||ADT^A08|MSG00012|P|2.5.1\r"
                        "PID|1||004829137^^^MRH^MR||WHITAKER^JANE^A||19780412|F\n\n"
                        "Patient Jane Whitaker's chart was opened; Whitaker was told.\n").text
    m = re.fullmatch(r"MSH\|\^~\\&\|EPIC\|MRH\|LAB\|MRH\|202611140312\|\|ADT\^A08\|MSG00012\|P\|2\.5\.1\r"
                     r"PID\|1\|\|CUSTOMER-ID-\d+\^\^\^MRH\^MR\|\|(PERSON-\d+)\|\|DOB-\d+\|F\n\n"
                     r"Patient \1's chart was opened; \1 was told\.\n", out)
    assert m, out


def test_an_iam_users_arn_names_it_as_its_user_name_does(bare_engine):
    """CloudTrail's `"userName"` and the user's ARN: one pseudonym (`user/USER-n`); a path or a role keeps the
    ARN's own (`user/resource-n`: the path is ours too)."""
    r = Redactor(bare_engine, key=b"k")
    out = r.redact_text('{"userIdentity": {"type": "IAMUser", "userName": "mrh-backup-svc", "accountId": "482915730126", '
                        '"arn": "arn:aws:iam::482915730126:user/mrh-backup-svc"}} then '
                        "arn:aws:iam::482915730126:user/ops/mrh-backup-svc\n").text
    user = re.search(r'"userName": "(USER-\d+)"', out).group(1)
    assert f':user/{user}"}}}} then arn:aws:iam::' in out and re.search(r":user/resource-\d+\n", out), out
    assert "mrh-backup-svc" not in out and "482915730126" not in out
