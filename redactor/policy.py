"""Keep or replace, per finding (DESIGN.md §3).

Internal things are replaced: RFC1918, ULA, link-local, CGNAT and the profile's networks;
names under internal suffixes or the profile's domains, and our tenants at providers
(`halvorsenbank.onmicrosoft.com`: one of our names left of the provider's domain). External
indicators are kept while `keep_external_indicators` is on. Secrets are always replaced; hashes, CVE and ATT&CK IDs
always kept. Loopback/unspecified/broadcast addresses identify nobody and are kept.
The TLP gate refuses a document marked with a level in `refuse_tlp`.
"""
from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from recognizers import entity_types as T
from recognizers.defang import DOT, refang
from recognizers.english import is_english_word
from recognizers.hostnames import INTERNAL_SUFFIXES, extract_domain, is_internal_name
from recognizers.network import parse_ip
from recognizers.vocabulary import is_security_term

from .errors import RefusedError
from .findings import KEEP, REPLACE
from .profile import Profile

PRIVATE_BLOCKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "169.254.0.0/16",
    "fc00::/7", "fe80::/10",
))
CLOUD_SUFFIXES = ("ec2.internal", "compute.internal")
_SUFFIXES_LONGEST_FIRST = tuple(sorted(INTERNAL_SUFFIXES, key=len, reverse=True))
_TLP = re.compile(r"\bTLP\s*[:\-]?\s*(AMBER\+STRICT|RED|AMBER|GREEN|CLEAR|WHITE)\b", re.I)
ALWAYS_KEEP = frozenset({T.HASH, T.CVE_ID, T.ATTACK_ID})
CACHE_LIMIT = 1_000_000   # memoized values per cache; beyond it, computed each time
EXTERNAL_INDICATORS = frozenset({T.IP_ADDRESS, T.DOMAIN_NAME, T.URL, T.EMAIL_ADDRESS})


_LEGAL_FORMS = frozenset("as asa ab oy oyj gmbh ag sa sas srl spa bv nv inc llc ltd plc corp co kg".split())


def without_legal_form(name: str) -> str | None:
    """`Nordvik Kraft AS` -> `Nordvik Kraft`; None if the name has no legal form after two words."""
    words = name.replace(",", " ").split()
    return " ".join(words[:-1]) if len(words) > 2 and words[-1].strip(".").lower() in _LEGAL_FORMS else None


def org_spellings(profile: Profile) -> tuple[str, ...]:
    """The organisation's names as host, tenant and bucket names write them: `Halvorsen Bank` also as
    `halvorsenbank`, `halvorsen-bank`, `halvorsen_bank`; the label of each internal domain
    (`halvorsen-bank` of halvorsen-bank.com) unless it is short or a word (`acme`, `corp`), and, for prose
    (the forms with a space), as the words a label glues together (`Mercy Ridge Health` of mercyridgehealth.org)."""
    out = set()
    for name in profile.org_names:
        short = without_legal_form(name.lower())
        forms = [name.lower().replace(",", " ").split()] + ([short.split()] if short else [])
        for form in forms:   # `Nordvik Kraft AS` is also `nordvikkraft`
            if len(form) > 1:
                out.update(sep.join(form) for sep in ("", "-", "_"))
    for dom in profile.internal_domains:
        label = domain_label(dom)
        if label is not None:
            out.update(label_spellings(label) + word_splits(label))
    return tuple(sorted(out))


def label_spellings(label: str) -> tuple[str, ...]:
    """A domain label as the organisation's other names write it: `halvorsen-bank` also as
    `halvorsenbank` (`halvorsenbank-my.sharepoint.com`) and `halvorsen_bank`."""
    return (label, label.replace("-", ""), label.replace("-", "_")) if "-" in label else (label,)


def label_head(label: str | None) -> str | None:
    """The first word of a hyphenated label when it is a name, not a word: `fjellheim` of `fjellheim-energi`, the
    short name our tenants take (`fjellheim.zoom.us`); not `north` of `north-star`, nor a short one."""
    if not label or "-" not in label:
        return None
    head = label.split("-")[0]
    return head if len(head) >= 5 and head.isalpha() and not is_english_word(head) and not is_security_term(head) \
        else None


def word_splits(label: str) -> tuple[str, ...]:
    """A label that glues the organisation's name together, as prose writes the name: `mercyridgehealth` is
    `mercy ridge health`, `halvorsenbank` is `halvorsen bank`, `bankofamerica` is `bank of america`. Words of
    three letters or more (and `of`, `and`), up to four: the splits into the fewest English words, and those
    into the fewest words with one word (of four letters or more) that is not. Not two English words alone
    (`firstdirect`: `first direct` is prose as often as a name). The splits that are no one's name (`con
    tosobank` beside `contoso bank`) cost nothing: no text writes them."""
    if not label.isalpha() or len(label) > 40:
        return ()
    best: dict[int, tuple[int, list[tuple[str, ...]]]] = {}   # non-English words -> (fewest words, splits)

    def walk(at: int, parts: tuple[str, ...], foreign: int) -> None:
        if at == len(label):
            if len(parts) > 1 and not (foreign == 0 and len(parts) == 2):
                held = best.get(foreign)
                if held is None or len(parts) < held[0]:
                    best[foreign] = (len(parts), [parts])
                elif len(parts) == held[0]:
                    held[1].append(parts)
            return
        if len(parts) == 4:
            return
        for end in range(at + 2, len(label) + 1):
            part = label[at:end]
            if part in ("of", "and") or len(part) >= 3 and is_english_word(part):
                walk(end, parts + (part,), foreign)
            elif foreign == 0 and len(part) >= 4:
                walk(end, parts + (part,), 1)

    walk(0, (), 0)
    return tuple(" ".join(parts) for foreign in sorted(best) for parts in best[foreign][1])


# provider zones whose names cannot hold a separator (an Azure storage account, a container registry):
# our name is glued to the rest there (`halvorsenprodsa.blob.core.windows.net`)
GLUED_ZONES = ("blob.core.windows.net", "file.core.windows.net", "queue.core.windows.net", "table.core.windows.net",
               "dfs.core.windows.net", "web.core.windows.net", "azurecr.io")
# a provider zone whose names are tenants: `halvorsenbank.onmicrosoft.com` (also `.mail.onmicrosoft.com`)
TENANT_ZONES = ("onmicrosoft.com",)


def tenant_of(domain: str) -> str | None:
    """`halvorsenbank.onmicrosoft.com` of a name in a Microsoft 365 tenant, else None."""
    low = domain.lower().rstrip(".")
    for zone in TENANT_ZONES:
        if low.endswith("." + zone):
            return low[:-len(zone) - 1].split(".")[0] + "." + zone
    return None


def domain_label(domain: str) -> str | None:
    """The label that names the organisation in one of its domains (`halvorsen-bank` of
    halvorsen-bank.com, `halvorsenbank` of a tenant halvorsenbank.onmicrosoft.com), or None when
    it is short or a word (`acme`, `corp`)."""
    low = domain.lower().rstrip(".")
    parts = extract_domain(low)
    tenant = tenant_of(low)
    label = tenant.split(".")[0] if tenant else parts.domain if parts.suffix else low.split(".")[0]
    if len(label) >= 4 and not is_english_word(label.replace("-", "")) and not is_security_term(label):
        return label
    return None


def registrable_start(host: str) -> int:
    """Where the registrable domain starts in a host name as written (also defanged):
    8 in `contoso.onmicrosoft.com`, 0 in `evil[.]com` or a bare name."""
    plain = refang(host).lower().rstrip(".")
    if "." not in plain and plain.isascii():   # a bare name (`OSL-WS-1791`) has no suffix; tldextract's
        return 0                                 # dots are `.` and, outside ASCII, `。`, `．`, `｡`
    parts = extract_domain(plain)
    if not parts.suffix or not parts.domain or not parts.subdomain:
        return 0
    keep = 1 + parts.suffix.count(".") + 1      # the registrable label and the suffix's labels
    dots = [m.end() for m in re.finditer(DOT, host)]
    return dots[-keep] if len(dots) >= keep else 0


def _ranges(networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> list[tuple[int, int, int, str]]:
    """(version, base, mask, name) of each block, the most specific first (`Policy.ip_block`)."""
    return [(n.version, int(n.network_address), int(n.netmask), str(n))
            for n in sorted(networks, key=lambda n: -n.prefixlen)]


class Policy:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        # a tenant of ours at a provider: one of our names as a label left of the provider's domain
        # (also our AD domain's NetBIOS name: `halvorsen.zoom.us` of HALVORSEN)
        self._spellings = {s.lower() for s in org_spellings(profile) if " " not in s} | {
            head for d in profile.internal_domains if (head := label_head(domain_label(d)))} | {
            n.lower() for n in profile.org_names if len(n.split()) == 1 and len(n) >= 4} | {
            d.lower() for d in profile.ad_domains if len(d) >= 4 and not is_english_word(d) and not is_security_term(d)}
        self.tenant_names = _alternation(self._spellings)
        self._glued = _glued_alternation(self._spellings)
        self._tenants: dict[str, bool] = {}
        self.networks = tuple(profile.internal_networks) + PRIVATE_BLOCKS
        # a profile block outside the private ones is public (our own range, whose prefix whois resolves to
        # us): its addresses become `IP-n`, not addresses of the same block as a private block's do
        self.public_blocks = frozenset(str(n) for n in profile.internal_networks if not any(
            n.version == p.version and n.subnet_of(p) for p in PRIVATE_BLOCKS))  # type: ignore[arg-type]
        self._ranges = _ranges(self.networks)
        self.domains = tuple(profile.internal_domains)
        self._profile_domains = self.domains
        self._longest_first: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())   # (of domains, sorted)
        self.learned: tuple[str, ...] = ()    # internal domains (and our public addresses) the text told us (`learn`)
        self.own_addresses: frozenset[str] = frozenset()   # public IPs of ours (an EDR's device `external_ip`)
        self._blocks: dict[str, str | None] = {}
        self._decisions: dict[tuple[str, str], tuple[str, str] | None] = {}

    def learn(self, domain: str) -> bool:
        """Treat `domain` (and every name under it) as internal from now on, as if the profile
        listed it (see `learned.py`); a tenant (`halvorsenbank.onmicrosoft.com`) is ours by its
        label, as a profile's name makes it. True if it is new. The memoized decisions are dropped."""
        low = domain.lower().rstrip(".")
        if "/" in low:   # a public range of ours (`84.210.44.0/24`): as if the profile listed it
            if low in self.public_blocks:
                return False
            net = ipaddress.ip_network(low)
            self.networks += (net,)
            self._ranges = _ranges(self.networks)
            self.public_blocks |= {str(net)}
            self.learned += (low,)
            self._blocks.clear()
            self._decisions.clear()
            return True
        if is_ip(low):   # a public address of ours: replaced wherever it appears, as `IP-n`
            if low in self.own_addresses:
                return False
            self.own_addresses |= {low}
            self.learned += (low,)
            self._decisions.clear()
            return True
        if "." not in low:   # our AD domain's NetBIOS name (`MERCYRIDGE\\x`): a name of ours in tenants, as a
            label = domain_label(low)   # profile's `ad_domains` are (`mercyridge.okta.com`)
            if label is None or label in self._spellings:
                return False
            self.learned += (low,)
            self._name_us(label)
            self._decisions.clear()
            self._tenants.clear()
            return True
        tenant = tenant_of(low) == low
        # a name under a domain learned before is learned all the same (`vpn.halvorsen.net`, whether the
        # text names `halvorsen.net` before or after it): what is learned does not depend on the order
        if low in self.learned or (not tenant and is_internal_name(low, self._profile_domains)):
            return False
        label = domain_label(low)
        if tenant and (label is None or label in self._spellings):
            return False   # a word's tenant teaches nothing; our own is ours already
        if not tenant:
            self.domains += (low,)
        self.learned += (low,)
        if label is not None and label not in self._spellings:   # its label names us, as a profile's would
            self._name_us(*label_spellings(label), *((head,) if (head := label_head(label)) else ()))
        self._decisions.clear()
        self._tenants.clear()
        return True

    def _name_us(self, *spellings: str) -> None:
        """Our tenants' names from now on include `spellings`."""
        self._spellings.update(spellings)
        self.tenant_names = _alternation(self._spellings)
        self._glued = _glued_alternation(self._spellings)

    # --- classification -----------------------------------------------------------------
    def ip_block(self, value: str) -> str | None:
        """The most specific internal block holding `value`, or None if external."""
        try:
            return self._blocks[value]
        except KeyError:
            pass
        block = self._ip_block(value)
        if len(self._blocks) < CACHE_LIMIT:
            self._blocks[value] = block
        return block

    def _ip_block(self, value: str) -> str | None:
        addr = parse_ip(value)
        number = int(addr)
        for version, base, mask, name in self._ranges:   # most specific first
            if version == addr.version and number & mask == base:
                return name
        return None

    @staticmethod
    def ip_is_neutral(value: str) -> bool:
        addr = parse_ip(value)
        if addr.version == 4:   # as `ipaddress` says (127/8, 0.0.0.0, 224/4), without its ~15 µs of properties
            number = int(addr)
            return number >> 24 == 127 or number == 0 or number >> 28 == 14 or number == 0xFFFFFFFF
        return addr.is_loopback or addr.is_unspecified or addr.is_multicast

    def host_is_internal(self, host: str) -> bool:
        host = refang(host).strip("[]").lower().rstrip(".")
        try:
            return self.ip_block(host) is not None
        except ValueError:
            pass
        if "." not in host:
            return host not in ("localhost",) and bool(host)
        return is_internal_name(host, self.domains) or self.is_tenant(host)

    def base_domain(self, name: str) -> str | None:
        """The internal base of `name`: a profile domain, or label + internal suffix."""
        low = name.lower()
        if self._longest_first[0] is not self.domains:   # sorted once per change (`learn`), not per name
            self._longest_first = (self.domains, tuple(sorted(self.domains, key=len, reverse=True)))
        for dom in self._longest_first[1]:
            if low == dom or low.endswith("." + dom):
                return dom
        for suffix in _SUFFIXES_LONGEST_FIRST:
            if low == suffix or low.endswith("." + suffix):
                if suffix in CLOUD_SUFFIXES:
                    return suffix
                rest = low[: -len(suffix) - 1]
                return (rest.rsplit(".", 1)[-1] + "." + suffix) if rest else suffix
        return None

    # --- decisions ------------------------------------------------------------------------
    def decide(self, entity: str, value: str) -> tuple[str, str] | None:
        """(decision, entity type) for one recognizer hit, or None to drop it entirely.
        A pure function of its arguments, so memoized (logs repeat their values)."""
        key = (entity, value)
        try:
            return self._decisions[key]
        except KeyError:
            pass
        decided = self._decide(entity, value)
        if len(self._decisions) < CACHE_LIMIT:
            self._decisions[key] = decided
        return decided

    def _decide(self, entity: str, value: str) -> tuple[str, str] | None:
        if entity in ALWAYS_KEEP:
            return KEEP, entity
        keep_ext = KEEP if self.profile.keep_external_indicators else REPLACE
        if entity == T.IP_ADDRESS:
            plain = refang(value).split("%")[0]
            if self.ip_is_neutral(plain):
                return None
            if plain in self.own_addresses:
                return REPLACE, entity
            return (REPLACE, entity) if self.ip_block(plain) else (keep_ext, entity)
        if entity == T.DOMAIN_NAME:
            name = refang(value).lower().rstrip(".")
            if self.is_tenant(name):
                return REPLACE, entity
            if not is_internal_name(name, self.domains):
                return keep_ext, entity
            base = self.base_domain(name)
            return REPLACE, (T.DOMAIN_NAME if name == base else T.HOSTNAME)
        if entity == T.EMAIL_ADDRESS:
            domain = refang(value).rsplit("@", 1)[-1].lower()
            internal = is_internal_name(domain, self.domains) or domain.endswith(".iam.gserviceaccount.com") \
                or self.is_tenant(domain)
            return (REPLACE, entity) if internal else (keep_ext, entity)
        if entity == T.STORAGE_BUCKET and self.tenant_names is not None and self.tenant_names.search(value.lower()):
            return None   # `halvorsen-bank-logs`: our name goes as in every other spelling of the bucket (`ORG-n-logs`)
        if entity == T.URL:
            host = url_host(value)
            if host is not None and self.host_is_internal(host[2]):
                return REPLACE, entity
            return keep_ext, entity
        return REPLACE, entity

    def is_tenant(self, host: str) -> bool:
        """`halvorsenbank.onmicrosoft.com`, `halvorsen-bank-backups.s3.amazonaws.com`: one of our
        names left of a provider's domain. (`halvorsen-bank-secure.com`, a registrable look-alike,
        is not: it is the attacker's, kept whole as an indicator; nor is a name that holds our whole
        domain before another's, `halvorsen-bank.com.invoice-portal.top`: a look-alike made of labels.)"""
        if self.tenant_names is None:
            return False
        try:
            return self._tenants[host]
        except KeyError:
            pass
        start = registrable_start(host)
        left = "." + refang(host[:start]).lower()
        ours = start > 0 and not any(f".{domain}." in left for domain in self.domains) and (
            self.tenant_names.search(host[:start].lower()) is not None or self.glued_tenant(host) is not None)
        if len(self._tenants) < CACHE_LIMIT:   # memoized like the other decisions: logs repeat names
            self._tenants[host] = ours
        return ours

    def glued_tenant(self, host: str) -> str | None:
        """Our name at the start of a name in a zone that has no separators (`halvorsen` of
        `halvorsenprodsa.blob.core.windows.net`), else None."""
        low = host.lower().rstrip(".")
        if self._glued is None or not any(low.endswith("." + zone) for zone in GLUED_ZONES):
            return None
        m = self._glued.match(low)
        return m.group(0) if m else None

    @staticmethod
    def kept_host_span(entity: str, start: int, value: str) -> tuple[int, int] | None:
        """The span of the host name inside a kept indicator, in text coordinates."""
        if entity == T.DOMAIN_NAME:
            return start, start + len(value)
        if entity == T.URL:
            host = url_host(value)
            return (start + host[0], start + host[1]) if host else None
        if entity == T.EMAIL_ADDRESS:
            m = re.search(r"@|\[@\]|\(@\)|\[at\]|\(at\)", value)
            return (start + m.end(), start + len(value)) if m else None
        return None

    def check_tlp(self, text: str, name: object) -> None:
        refused = set(self.profile.refuse_tlp)
        for m in _TLP.finditer(text):
            level = m.group(1).upper()
            if level in refused:
                raise RefusedError(name, f"marked TLP:{level}, which the profile refuses to share "
                                         f"(policy.refuse_tlp); nothing written")


def _alternation(spellings: set[str]) -> re.Pattern[str] | None:
    """One of our names as a whole label run inside a host name."""
    if not spellings:
        return None
    longest_first = sorted(spellings, key=lambda sp: (-len(sp), sp))   # `halvorsen-bank` before `halvorsen`
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(map(re.escape, longest_first))})(?![a-z0-9])")


def is_ip(value: str) -> bool:
    """Is `value` an IP address (also `[2001:db8::1]`, as a URL writes one)?"""
    try:
        parse_ip(value.strip("[]"))
    except ValueError:
        return False
    return True


def _glued_alternation(spellings: set[str]) -> re.Pattern[str] | None:
    """One of our names (without separators, five letters or more) at the start of a label."""
    glued = sorted((sp for sp in spellings if len(sp) >= 5 and sp.isalnum()), key=lambda sp: (-len(sp), sp))
    return re.compile(f"(?:{'|'.join(map(re.escape, glued))})(?=[a-z0-9])") if glued else None


def url_host(url: str) -> tuple[int, int, str] | None:
    """(start, end, host) of the host inside the URL text as written (defanged or not)."""
    m = re.match(r"(?i)[a-z]+(?:://|\[://\]|\[:\]//)(?:[^/@\s]*@)?(\[[^\]]+\]|[^/:?#\s\[]+(?:\[(?:\.|dot)\][^/:?#\s\[]+)*)", url)
    if not m:
        return None
    host = m.group(1)
    plain = refang(host)
    try:
        urlsplit("http://" + plain)
    except ValueError:
        return None
    return m.start(1), m.end(1), plain
