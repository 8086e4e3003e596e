"""Per-run state (STYLE.md §11): policy, entity table and pseudonym book over one engine.

The flow for one text: analyze (recognizers -> policy -> overlap resolution -> register what
is replaced) then plan (add every occurrence of every known form, resolve, name the
replacements) then apply. A batch analyzes all its documents before planning any of them.
"""
from __future__ import annotations

import bisect
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from recognizers import entity_types as T
from recognizers.defang import refang
from recognizers.terms import trie_alternation

from .documents.base import replacement_spans
from .engine import NLP_RECOGNIZERS, Engine
from .entities import SELF_ORG, EntityTable
from .errors import ProfileError, VerificationError
from .findings import (KEEP, PRIORITY_INDICATOR, PRIORITY_NER, PRIORITY_SENSITIVE, REPLACE,
                       Finding, resolve_overlaps)
from .learned import addresses_named, dn_domains, domains_named
from .naming import PseudonymBook
from .policy import Policy, domain_label, label_spellings, url_host, word_splits
from .profile import Profile
from .pseudonyms import Pseudonymizer

NER_RECOGNIZERS = NLP_RECOGNIZERS
# kept indicators whose decision a learned domain (or address of ours) can turn
RELEARNED = frozenset({T.DOMAIN_NAME, T.EMAIL_ADDRESS, T.URL, T.IP_ADDRESS})


def load_key(profile: Profile) -> tuple[bytes, bool]:
    """(key, keyed?) from the profile's key source; a random per-run key otherwise."""
    value = os.environ.get(profile.key_env)
    if value:
        return value.encode("utf-8"), True
    if profile.key_file:
        path = Path(profile.key_file).expanduser()
        if not path.is_absolute() and profile.path is not None:
            path = profile.path.parent / path
        try:
            data = path.read_bytes().strip()
        except OSError as exc:
            raise ProfileError(f"pseudonyms.key_file: cannot read {path} ({exc.strerror or exc})") from exc
        if not data:
            raise ProfileError(f"pseudonyms.key_file: {path} is empty")
        return data, True
    return secrets.token_bytes(32), False


class Session:
    def __init__(self, engine: Engine, key: bytes) -> None:
        self.engine = engine
        self.key = key   # for a worker's own session (`check_workers.py`); never written anywhere
        self.policy = Policy(engine.profile)
        self.table = EntityTable(engine.profile)
        self.book = PseudonymBook(self.table, Pseudonymizer(key), self.policy)

    # --- pass 1 -------------------------------------------------------------------------
    def analyze(self, text: str, *, ner: bool = True, preamble: str = "") -> list[Finding]:
        """Recognizer findings with their decisions; registers what will be replaced.
        `preamble`: the table header a streamed window continues (see `Engine.spans`)."""
        for domain in domains_named(text) + addresses_named(text):   # ipconfig's DNS suffix, a UPN, an
            self.learn(domain)                                         # EDR's device egress address: ours
        findings = resolve_overlaps(self._decide(text, ner=ner, preamble=preamble))
        for f in findings:
            if f.decision == REPLACE:
                value = text[f.start:f.end]
                self.register(f.entity_type, value)
                if f.entity_type == T.AD_DOMAIN and "." not in value:
                    self.learn(value)   # `MERCYRIDGE\x`: `mercyridge.okta.com` is ours
                if f.entity_type == T.URL and (host := url_host(value)) and \
                        self.policy.is_tenant(host[2].lower()):   # our tenant named only in a URL: hunted as if alone
                    self.register(T.DOMAIN_NAME, host[2])
        if "dc=" in text or "DC=" in text:
            for domain in dn_domains(text):   # `OU=SOC,DC=hb,DC=local`: our domain, spelled as a DN
                decided = self.policy.decide(T.DOMAIN_NAME, domain)
                if decided is not None and decided[0] == REPLACE:
                    self.register(T.DOMAIN_NAME, domain)
        return findings

    def learn(self, domain: str) -> None:
        """`domain` (or a public address) is one of ours from now on (logged, so pass 2 and workers
        know it too)."""
        if self.policy.learn(domain):
            self.table.note_learned(domain)
            self.book.forget()
            if domain in self.policy.own_addresses or "/" in domain or "." not in domain:
                return   # an address or a range of ours, our AD domain's NetBIOS name
            self.register(T.DOMAIN_NAME, domain)
            label = domain_label(domain)
            if label is not None:   # `halvorsen-bank` of halvorsen-bank.com: an organisation name too,
                spaced = (label.replace("-", " "),) if "-" in label else word_splits(label)   # `Mercy Ridge Health`
                for spelling in label_spellings(label) + spaced:
                    self.table.register(T.ORGANIZATION, spelling, family=SELF_ORG)   # `Halvorsen Bank ASA`

    def replay(self, log: list[tuple[str, str, str | None]]) -> None:
        """Rebuild this session's table (and what the policy learned) from another's log."""
        self.table.replay(log)
        for domain in self.table.learned:
            self.learn(domain)

    def relearn(self, kept: Iterable[tuple[str, str]]) -> None:
        """Between the passes: register what a later document's learned domain makes ours
        among the values pass 1 kept (`x@halvorsen-bank.com` seen before ipconfig named that
        domain), so it is numbered with everything else and its short forms are hunted."""
        if not self.policy.learned:
            return
        for entity, value in kept:
            turned = self._turned(entity, value)
            if turned is not None:
                self.register(turned, value)

    def _turned(self, entity: str, value: str) -> str | None:
        """The entity type a kept name is now replaced as, if a learned domain made it ours."""
        decided = self.policy.decide(entity, value)
        return decided[1] if decided is not None and decided[0] == REPLACE else None

    def _decide(self, text: str, *, ner: bool, preamble: str = "",
                protected: list[tuple[int, int]] | None = None) -> list[Finding]:
        """Run the engine, apply policy, and let kept attacker host names stay whole.
        `protected`: spans (sorted, disjoint) whose hits are not decided at all (verification:
        our own replacements; a kept name inside one could only shield what is inside it too)."""
        findings = []
        decide = self.policy.decide
        for entity, start, end, score, name in self.engine.spans(text, ner=ner, preamble=preamble):
            if protected and _inside(start, end, protected):
                continue
            decided = decide(entity, text[start:end])
            if decided is None:
                continue
            decision, entity = decided
            if name in NER_RECOGNIZERS:
                priority = PRIORITY_NER
            elif decision == KEEP:
                priority = PRIORITY_INDICATOR
            else:
                priority = PRIORITY_SENSITIVE
            findings.append(Finding(entity, start, end, round(score, 3), name, decision, priority))
        return self._protect_hosts(text, findings)

    def _protect_hosts(self, text: str, findings: list[Finding]) -> list[Finding]:
        """A kept indicator's host name (`hr-acme-portal.com`, a look-alike of ours) is not
        cut up by profile terms or short forms; what sits in its path/query still goes, and so
        does a bucket of ours that names the host (`hb-exports.s3.amazonaws.com`)."""
        spans = sorted(sp for f in findings if f.decision == KEEP
                       if (sp := self.policy.kept_host_span(f.entity_type, f.start, text[f.start:f.end])))
        if not spans:
            return findings
        merged: list[tuple[int, int]] = []
        for s, e in spans:  # merge, so "inside one span" is a single bisect
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
            else:
                merged.append((s, e))
        return [f for f in findings if f.decision == KEEP or not _inside(f.start, f.end, merged)
                or f.entity_type == T.STORAGE_BUCKET and _bucket_host(text, f.start, f.end)]

    def register(self, entity: str, value: str) -> None:
        """Register what replacing `value` will name, now (pass 1), so that every file hunts it and
        everything is numbered together (`book.assign_all`): planning a file registers nothing."""
        if entity == T.IP_ADDRESS:   # an internal address is derived structurally, never hunted as text;
            block = self.policy.ip_block(refang(value).split("%")[0])
            if block is None or block in self.policy.public_blocks:
                self.book.register_name(entity, value)   # a public one of ours (an egress, our range) is `IP-n`
            return
        if entity in (T.MAC_ADDRESS, T.WINDOWS_SID, T.AWS_RESOURCE_ID):
            return  # derived structurally at replacement time, not propagated as text
        if entity in (T.HOSTNAME, T.DOMAIN_NAME, T.URL, T.AWS_ARN, T.EMAIL_ADDRESS):
            # and what its replacement is made of: a host name's label and base domain; an internal URL's
            # host (`jira-prod` of https://jira-prod.hb.local/x); an ARN's account; an address's tenant
            # (before, an ARN's account, a URL's host and a tenant in an address were registered only when
            # pass 2 named them: a file finished before that, or in another worker, kept them)
            self.book.register_name(entity, value)
            return
        self.table.key_for(entity, value)

    # --- pass 2 -------------------------------------------------------------------------
    def plan(self, text: str, findings: list[Finding], *, named: bool = True) -> list[Finding]:
        """Add propagated occurrences, resolve overlaps, and name every replacement (`named`; `redactor
        check` only needs what is replaced, and where: naming registers nothing, pass 1 did)."""
        if self.policy.learned:   # a kept name under a domain learned since pass 1 decided it
            findings = [self._redecided(text, f) if f.decision == KEEP and f.entity_type in RELEARNED
                        else f for f in findings]
        all_hits = self.table.find(text)
        confirmed = {(s, e): key[0] for s, e, key in all_hits}
        # a finding the table confirms (NER's "Elena Petrova" found elsewhere too) is as
        # strong as any structured finding; its own record keeps the recognizer's name; and one
        # kept that the table has as ours (an address an ARN of ours names: its session) goes
        findings = [Finding(f.entity_type, f.start, f.end, f.score, f.recognizer, REPLACE, PRIORITY_SENSITIVE)
                    if (f.decision == REPLACE and (f.start, f.end) in confirmed
                        or f.decision == KEEP and confirmed.get((f.start, f.end)) == f.entity_type) else f
                    for f in findings]
        # ... and one the table has as ours of another type (`ola.knudsen@outlook.com`, a user's Microsoft account
        # logon elsewhere): the table's finding replaces it, as the same entity
        findings = [f for f in findings if f.decision != KEEP or (f.start, f.end) not in confirmed]
        known = {(f.start, f.end) for f in findings}
        hits = [h for h in all_hits if (h[0], h[1]) not in known]
        keys = {(s, e): key for s, e, key in hits}
        propagated = [Finding(key[0], s, e, 1.0, "EntityTable", REPLACE, PRIORITY_SENSITIVE)
                      for s, e, key in hits]
        propagated = self._protect_hosts(text, [f for f in findings if f.decision == KEEP] + propagated)
        propagated = [f for f in propagated if f.recognizer == "EntityTable"]
        planned = []
        for f in resolve_overlaps(findings + propagated):
            if f.decision == REPLACE and named:
                key = keys.get((f.start, f.end)) if f.recognizer == "EntityTable" else None
                repl = self.book.replacement_for(key) if key else \
                    self.book.replacement(f.entity_type, text[f.start:f.end])
                if key and text[f.start:f.start + 3].lower() == "dc=":   # a domain in a DN stays a DN
                    written = text[f.start:f.end]
                    sep = ", " if ", " in written else ","
                    repl = sep.join(f"{written[:2]}={label}" for label in repl.split("."))
                f = Finding(f.entity_type, f.start, f.end, f.score, f.recognizer, f.decision, f.priority, repl)
            planned.append(f)
        return planned

    def _redecided(self, text: str, f: Finding) -> Finding:
        turned = self._turned(f.entity_type, text[f.start:f.end])
        if turned is None:
            return f
        return Finding(turned, f.start, f.end, f.score, f.recognizer, REPLACE, PRIORITY_SENSITIVE)

    def redact(self, text: str, name: object = "<text>") -> tuple[str, list[Finding]]:
        """`text` sanitized, verified as a written file is: if anything that must go is still in
        it, VerificationError is raised and nothing is returned."""
        planned = self.plan(text, self.analyze(text))
        out = apply(text, planned)
        edits = edits_of(planned)
        self.verify(out, {r for _, _, r in edits if r}, name, protected=replacement_spans(edits), source=text)
        return out, planned

    # --- verify -------------------------------------------------------------------------
    def leftovers(self, text: str, replacements: set[str], protected: list[tuple[int, int]] | None = None,
                  after: int = 0, preamble: str = "", source: str | None = None) -> list[Finding]:
        """What must go but is still in `text` (outside the replacements we wrote); `source`: the
        text `text` was made from (the entity table decides on it as planning did).

        Deterministic recognizers and the entity table are re-run; NER is not re-judged,
        its output changes with context (names it knows are in the table).
        """
        if protected is None:
            protected = _spans_of(replacements, text)
        decided = self._decide(text, ner=False, preamble=preamble, protected=protected)
        hits = self.table.find(text, words_from=source)
        table = [Finding(key[0], s, e, 1.0, "EntityTable", REPLACE) for s, e, key in hits]
        table = [f for f in self._protect_hosts(text, [d for d in decided if d.decision == KEEP] + table)
                 if f.recognizer == "EntityTable"]
        return [f for f in decided + table
                if f.decision == REPLACE and f.end > after and not _inside(f.start, f.end, protected)]

    def verify(self, text: str, replacements: set[str], name: object,
               protected: list[tuple[int, int]] | None = None, after: int = 0, preamble: str = "",
               source: str | None = None) -> None:
        """Fail unless nothing that must go is left in `text`. `protected`: the exact spans of
        the replacements written (else every occurrence of a replacement string counts);
        `after`: text before it is context only (already verified)."""
        leaks = self.leftovers(text, replacements, protected, after, preamble, source)
        if leaks:
            kinds = sorted({f.entity_type for f in leaks})
            line = text.count("\n", 0, leaks[0].start) + 1
            raise VerificationError(name, f"verification failed: {len(leaks)} value(s) of type "
                                          f"{', '.join(kinds)} still present (first at output line "
                                          f"{line}); nothing written")


def kept_names(text: str, findings: list[Finding]) -> set[tuple[str, str]]:
    """The kept names, addresses and URLs of `text`: what `Session.relearn` may turn."""
    return {(f.entity_type, text[f.start:f.end]) for f in findings
            if f.decision == KEEP and f.entity_type in RELEARNED}


def kept_rows(text: str, rows: Iterable[tuple[object, ...]]) -> set[tuple[str, str]]:
    """`kept_names` of a streamed window's findings, as rows (`stream.as_row`: type, start, end, score,
    recognizer, decision, ...)."""
    return {(r[0], text[r[1]:r[2]]) for r in rows if r[5] == KEEP and r[0] in RELEARNED}  # type: ignore[misc]


def edits_of(planned: list[Finding]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every planned replacement: what is written, and where."""
    return [(f.start, f.end, f.replacement) for f in planned
            if f.decision == REPLACE and f.replacement is not None]


def apply(text: str, planned: list[Finding], offset: int = 0) -> str:
    """`text` with the planned replacements made; `offset`: where `text` starts in the text the
    findings' positions refer to (a window's piece)."""
    out, pos = [], 0
    for f in planned:
        if f.decision != REPLACE or f.replacement is None:
            continue
        out.append(text[pos:f.start - offset])
        out.append(f.replacement)
        pos = f.end - offset
    out.append(text[pos:])
    return "".join(out)


# what follows a bucket that is a host's first label: S3's and Cloud Storage's virtual-hosted names
_BUCKET_ZONE = re.compile(r"(?:\.|\[\.\])(?:s3(?:[.-]|\[\.\])|storage(?:\.|\[\.\])googleapis(?:\.|\[\.\])com)", re.IGNORECASE)


def _bucket_host(text: str, start: int, end: int) -> bool:
    """Is [start, end) the bucket label that starts a bucket host name (`hb-exports.s3.eu-north-1.amazonaws.com`)?"""
    return (start == 0 or text[start - 1] not in ".-_" and not text[start - 1].isalnum()) and \
        _BUCKET_ZONE.match(text, end) is not None


def _spans_of(strings: set[str], text: str) -> list[tuple[int, int]]:
    if not strings:
        return []
    pattern = re.compile(trie_alternation(strings, flexible_space=False))
    return [m.span() for m in pattern.finditer(text)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Is [start, end) within one of `spans` (sorted, non-overlapping)?"""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]
