"""From an entity to its written replacement (DESIGN.md §5).

`PERSON-12345`, `USER-12345` and `person-12345@domain-…` share one number per roster person;
`HOST-n` and `host-n.domain-m.example` share the host's number; internal IPs stay IPs in their
block; `[SECRET]` for secrets. Numbers are assigned in digest order (`assign_all`) so a batch
gets the same numbers whatever order its files are read in and however many processes share
the work; collisions probe onward. Nothing is numbered while pass 1 registers entities.
"""
from __future__ import annotations

import re
import threading

from recognizers import entity_types as T
from recognizers.defang import defang, is_defanged, is_dns_wire, refang, to_dns_wire
from recognizers.network import parse_ip

from .entities import PERSON_FAMILY, PERSON_TAG, SELF_ORG, EntityTable, Key
from .policy import CACHE_LIMIT, CLOUD_SUFFIXES, Policy, is_ip, registrable_start, url_host
from .pseudonyms import DOMAIN_SUFFIX, Pseudonymizer

_TAGS = {T.PERSON: PERSON_TAG, T.USERNAME: PERSON_TAG, T.EMAIL_ADDRESS: PERSON_TAG}
_TOKENS = {
    T.PERSON: "PERSON", T.USERNAME: "USER", T.AD_DOMAIN: "ADDOMAIN", T.ORGANIZATION: "ORG",
    T.CUSTOMER: "CUSTOMER", T.CUSTOMER_ID: "CUSTOMER-ID", T.PHONE_NUMBER: "PHONE", T.POSTAL_ADDRESS: "ADDRESS",
    T.CREDIT_CARD: "CARD", T.IBAN_CODE: "IBAN", T.ABA_ROUTING_NUMBER: "ROUTING", T.BANK_ACCOUNT: "BANK-ACCOUNT",
    T.SWIFT_CODE: "SWIFT", T.US_SSN: "SSN", T.UK_NINO: "NINO", T.NATIONAL_ID: "NATIONAL-ID", T.PASSPORT_NUMBER: "PASSPORT",
    T.DATE_OF_BIRTH: "DOB", T.DEVICE_ID: "DEVICE-ID", T.COMPANY_ID: "COMPANY-ID", T.AZURE_ID: "AZURE-ID",
    T.AWS_ACCESS_KEY_ID: "AWS-KEY",
    T.GCP_PROJECT: "gcp-project", T.STORAGE_BUCKET: "bucket", T.IP_ADDRESS: "IP", T.URL: "URL", T.EMAIL_ADDRESS: "EMAIL",
}
SECRET_TOKEN = "[SECRET]"
# the person or account an ARN names: an IAM user's name, a federated user's, an assumed role's session (SSO
# sets it to the user's address); not the session names SDKs, AWS's services and CI give (`botocore-session-…`,
# `AWSCloudFormation`, `GitHubActions`), an instance's or a number
_ARN_IDENTITY = re.compile(r"(?:assumed-role/[^/]+|federated-user|user(?:/[^/]+)*)/(?P<name>[^/]+)")
_SESSION_NOT_A_NAME = re.compile(r"(?i)(?:botocore-session-|aws|githubactions|gitlab-ci|i-[0-9a-f]{8}|\d+$)")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _arn_identity(resource: str) -> tuple[str, str] | None:
    match = _ARN_IDENTITY.fullmatch(resource)
    if match is None:
        return None
    name = match.group("name")
    if _ADDRESS.fullmatch(name):
        return T.EMAIL_ADDRESS, name
    if re.fullmatch(r"[A-Za-z][\w.+=,-]{1,63}", name) and not _SESSION_NOT_A_NAME.match(name):
        return T.USERNAME, name
    return None


# replacements that, once made, never change for the same written value (no short forms, no
# roster lookups): remembered, since a log names the same hosts and addresses on every line
_STABLE = frozenset({T.IP_ADDRESS, T.HOSTNAME, T.MAC_ADDRESS, T.WINDOWS_SID, T.AWS_RESOURCE_ID})
_NAMES = (T.HOSTNAME, T.DOMAIN_NAME)
_NAMED = frozenset({T.HOSTNAME, T.DOMAIN_NAME, T.EMAIL_ADDRESS, T.URL})   # written defanged when found so


class PseudonymBook:
    def __init__(self, table: EntityTable, pseudonymizer: Pseudonymizer, policy: Policy) -> None:
        self.table = table
        self.p = pseudonymizer
        self.policy = policy
        self._numbers: dict[tuple[str, str], int] = {}      # (tag, family) -> number
        self._taken: dict[str, set[int]] = {}
        self._lock = threading.RLock()
        self._memo: dict[tuple[str, str], str] = {}
        # the other replacements, remembered while the table is unchanged (a user name or a short
        # form on every line of a log): a registration can change what a name stands for
        self._table_memo: tuple[int, dict[tuple[str, str], str]] = (-1, {})
        self._registering = False   # inside `register_name`: numbers are not drawn
        self._registered: set[tuple[str, str]] = set()   # names `register_name` has seen

    def forget(self) -> None:
        """Drop remembered replacements (a learned domain changes what a host name becomes)."""
        with self._lock:
            self._memo.clear()
            self._table_memo = (-1, {})
            self._registered.clear()

    # --- numbers ----------------------------------------------------------------------
    def number(self, tag: str, family: str) -> int:
        with self._lock:
            if self._registering:
                return 0
            got = self._numbers.get((tag, family))
            if got is not None:
                return got
            taken = self._taken.setdefault(tag, set())
            attempt = 0
            while (n := self.p.number(tag, family, attempt)) in taken:
                attempt += 1
            taken.add(n)
            self._numbers[(tag, family)] = n
            return n

    def assign_all(self) -> None:
        """Number every family in the table in digest order (order-independent batches), then
        what host and domain names number beyond their own family (an FQDN's label, a
        domain's zones), name by name in digest order: never in the order documents use them."""
        entries = self.table.entries()
        pending = sorted({(self._tag(e.entity_type), e.family) for e in entries},
                         key=lambda tf: self.p.digest("order", *tf))
        for tag, family in pending:
            self.number(tag, family)
        names = sorted(((e.entity_type, e.norm) for e in entries if e.entity_type in _NAMES),
                       key=lambda en: self.p.digest("order", *en))
        for entity, norm in names:
            self.replacement(entity, norm)

    def register_name(self, entity: str, value: str) -> None:
        """Register a host or domain name and what its replacement is made of (base domain,
        host label) in the table, without drawing numbers (pass 1: `assign_all` does that).
        Registering is idempotent, so a name met again (every line of a log) is skipped."""
        if (entity, value) in self._registered:
            return
        with self._lock:
            self._registering = True
            try:
                self._replacement(entity, value)
            finally:
                self._registering = False
            if len(self._registered) < CACHE_LIMIT:
                self._registered.add((entity, value))

    @staticmethod
    def _tag(entity: str) -> str:
        return _TAGS.get(entity, entity.lower())

    def _n(self, key: Key) -> int:
        entry = self.table.entry(key)
        return self.number(self._tag(entry.entity_type), entry.family)

    # --- replacements -----------------------------------------------------------------
    def replacement(self, entity: str, value: str) -> str:
        """The text written in place of `value` (as written in the document)."""
        if entity not in _STABLE or self._registering:
            # (while registering, numbers are not drawn yet: a public address of ours, `IP-n`, named inside an
            # internal URL's replacement must not be remembered as that)
            return self._while_unchanged(entity, value)
        memo = self._memo
        # a host name is replaced alike in any case (`FINWS042`, `finws042`): `assign_all` made it
        # from the normalized form, the documents write it their way
        key = (entity, value.lower() if entity == T.HOSTNAME else value)
        out = memo.get(key)
        if out is None:
            out = self._replacement(entity, value)
            if len(memo) < CACHE_LIMIT:   # bounded like the policy's caches
                memo[key] = out
        return out

    def _while_unchanged(self, entity: str, value: str) -> str:
        version, memo = self._table_memo
        if version != self.table.version:
            version, memo = self._table_memo = (self.table.version, {})
        out = memo.get((entity, value))
        if out is None:
            out = self._replacement(entity, value)
            # not while registering (numbers are not drawn then), nor when this very call
            # registered something (its own key: the next call finds it and stores)
            if not self._registering and version == self.table.version and len(memo) < CACHE_LIMIT:
                memo[(entity, value)] = out
        return out

    def _replacement(self, entity: str, value: str) -> str:
        out = self._made(entity, value)
        if entity == T.EMAIL_ADDRESS and "%40" in value:
            out = out.replace("@", "%40", 1)   # URL-encoded as written: `login_hint=user-7%40domain-2.example`
        if entity in _NAMED and is_defanged(value):
            if is_dns_wire(value):
                return to_dns_wire(out)   # `(7)finws42(2)hb(5)local(0)` -> `(6)host-1(8)domain-2(7)example(0)`
            return defang(out)   # `hxxps://halvorsenbank-login[.]weebly[.]com` stays defanged
        return out

    def _made(self, entity: str, value: str) -> str:
        if entity == T.SECRET:
            self.table.key_for(entity, value)
            return SECRET_TOKEN
        plain = refang(value)
        if entity == T.IP_ADDRESS:
            addr = plain.split("%")[0]
            block = self.policy.ip_block(addr)
            if block is None or block in self.policy.public_blocks:   # a public address of ours: no prefix kept
                return f"IP-{self._n(self.table.key_for(entity, addr))}"
            ip = parse_ip(addr)   # an IPv4 address parses only as `str` writes it (no leading zeros)
            out = self.p.ip(addr if ip.version == 4 else str(ip), block)
            if "%" in plain:   # `fe80::1%eth0`: the interface stays
                out += plain[plain.index("%"):]
            return out.replace(".", "[.]") if is_defanged(value) else out
        if entity == T.MAC_ADDRESS:
            return self.p.mac(value)
        if entity == T.AWS_RESOURCE_ID:
            return self.p.aws_resource(value)
        if entity == T.WINDOWS_SID:
            return self.p.sid(value)
        if entity == T.AWS_ACCOUNT_ID:
            digits = re.sub(r"\D", "", value)
            self.table.key_for(entity, digits)
            out = self.p.aws_account(digits)
            return "-".join((out[:4], out[4:8], out[8:])) if "-" in value else out
        if entity == T.AWS_ARN:
            return self._arn(value)
        if entity == T.HOSTNAME:
            return self._host(plain)
        if entity == T.DOMAIN_NAME:
            if self.policy.is_tenant(plain):
                return self._tenant(plain)
            if self.policy.base_domain(plain) is not None:
                return self._domain(plain.lower().rstrip("."))
            return f"DOMAIN-{self._n(self.table.key_for(entity, plain))}"
        if entity == T.EMAIL_ADDRESS:
            return self._email(value, plain)
        if entity == T.URL:
            return self._url(value)
        key = self.table.key_for(entity, value)
        entry = self.table.entry(key)
        token = _TOKENS.get(entry.entity_type, entry.entity_type.replace("_", "-"))
        return f"{token}-{self._n(key)}"

    def replacement_for(self, key: Key) -> str:
        """The replacement of a known entity (used for propagated short forms)."""
        entry = self.table.entry(key)
        return self.replacement(entry.entity_type, entry.norm)

    def _tenant(self, name: str) -> str:
        """`halvorsenbank.onmicrosoft.com` -> `org-n.onmicrosoft.com`: our name goes (as the
        organisation's pseudonym), the provider stays, so the reader still sees an M365 tenant."""
        low = name.lower().rstrip(".")
        self.table.key_for(T.DOMAIN_NAME, low)   # hunted whole elsewhere, like any name of ours
        start = registrable_start(low)
        ours = self.policy.tenant_names

        def org(name: str) -> str:   # every spelling of ours (profile, domain label, AD domain): one pseudonym
            return f"org-{self._n(self.table.register(T.ORGANIZATION, name, family=SELF_ORG))}"

        head = ours.sub(lambda m: org(m.group(0)), low[:start]) if ours is not None else low[:start]
        glued = self.policy.glued_tenant(low)
        if glued is not None and head.startswith(glued):   # `halvorsenprodsa.blob…` -> `org-n-prodsa.blob…`
            head = f"{org(glued)}-{head[len(glued):]}"
            self.table.register(T.ORGANIZATION, low.split(".", 1)[0], family=SELF_ORG)   # and `halvorsenprodsa` alone
        return head + low[start:]

    def _host(self, name: str) -> str:
        if self.policy.is_tenant(name):
            return self._tenant(name)
        key = self.table.key_for(T.HOSTNAME, name)
        norm = self.table.entry(key).norm
        if "." not in norm:
            return f"HOST-{self._n(key)}"
        label, rest = norm.split(".", 1)
        n = self.number(self._tag(T.HOSTNAME), f"{T.HOSTNAME}:{label}")  # as a bare `label` would
        base = self.policy.base_domain(norm)
        if base is None:
            return f"host-{n}.{self._domain_any(rest)}"
        return f"host-{n}.{self._domain(rest)}"

    def _domain(self, name: str) -> str:
        """Pseudonym of an internal domain; cloud-internal suffixes are kept as they are."""
        base = self.policy.base_domain(name) or name
        if base in CLOUD_SUFFIXES:
            head = name[: -len(base)].rstrip(".")
            return f"zone-{self.number('zone', head)}.{base}" if head else base
        base_ps = f"domain-{self._n(self.table.key_for(T.DOMAIN_NAME, base))}.{DOMAIN_SUFFIX}"
        middle = name[: -len(base)].rstrip(".")
        return f"zone-{self.number('zone', middle + '.' + base)}.{base_ps}" if middle else base_ps

    def _domain_any(self, name: str) -> str:
        return f"domain-{self._n(self.table.key_for(T.DOMAIN_NAME, name))}.{DOMAIN_SUFFIX}"

    def _email(self, value: str, plain: str) -> str:
        key = self.table.key_for(T.EMAIL_ADDRESS, plain)
        entry = self.table.entry(key)
        local, _, domain = entry.norm.partition("@")
        kind = "person" if entry.family.startswith(PERSON_FAMILY) else "user"
        if self.policy.is_tenant(domain):
            return f"{kind}-{self._n(key)}@{self._tenant(domain)}"
        if self.policy.base_domain(domain) is None and not domain.endswith(".iam.gserviceaccount.com"):
            return f"EMAIL-{self._n(key)}"  # an external address, replaced by choice
        dom = self._domain(domain) if self.policy.base_domain(domain) else "gcp.example"
        return f"{kind}-{self._n(key)}@{dom}"

    def _url(self, value: str) -> str:
        host = url_host(value)
        if host is None:
            return f"URL-{self._n(self.table.key_for(T.URL, value))}"
        start, end, plain_host = host
        if not self.policy.host_is_internal(plain_host):
            return f"URL-{self._n(self.table.key_for(T.URL, refang(value)))}"
        # `https://jdoe:Secret1@git.corp.local/`: the user and password are never written back
        scheme = re.sub(r"(?<=//)[^@]*@", "REDACTED@", refang(value[:start]))
        if is_ip(plain_host) and self.policy.ip_block(plain_host.strip("[]")):
            new_host = self.replacement(T.IP_ADDRESS, plain_host.strip("[]"))
        elif "." in plain_host:
            new_host = self._host(plain_host)
        else:
            new_host = f"host-{self.number(self._tag(T.HOSTNAME), f'{T.HOSTNAME}:{plain_host.lower()}')}"
        rest = value[end:]
        port = re.match(r":\d{1,5}", rest)
        tail = rest[port.end():] if port else rest
        return scheme + new_host + (port.group(0) if port else "") + ("/REDACTED" if tail.strip("/") else tail)

    def _arn(self, value: str) -> str:
        parts = value.split(":", 5)
        if len(parts) < 6:
            return f"AWS-ARN-{self._n(self.table.key_for(T.AWS_ARN, value))}"
        account = parts[4]
        if account:
            self.table.key_for(T.AWS_ACCOUNT_ID, account)
            parts[4] = self.p.aws_account(account)
        resource = parts[5]
        sep = "/" if "/" in resource else (":" if ":" in resource else "")
        rtype = resource.split(sep, 1)[0] + sep if sep else ""
        n = self._n(self.table.key_for(T.AWS_ARN, resource))
        identity = _arn_identity(resource)
        if identity is not None:   # hunted wherever it stands: `lena.fischer@…` of a CloudTrail principalId
            self.table.key_for(*identity)
        if identity is not None and identity[0] == T.USERNAME and resource == f"user/{identity[1]}":
            parts[5] = "user/" + self._made(*identity)   # the IAM user's own pseudonym, as its `"userName"` has
        else:
            parts[5] = f"{rtype}resource-{n}"
        return ":".join(parts)

