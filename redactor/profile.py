"""The organisation profile (`redactor.yaml`, contract in PROFILE.md).

Every key is optional; no file at all is a valid zero-config profile. Anything wrong — an
unknown key, a bad regex or CIDR, an unreadable roster — raises ProfileError naming the key
and the file (and line), before anything is processed.
"""
from __future__ import annotations

import csv
import ipaddress
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

from .errors import ProfileError

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_PROFILE_NAME = "redactor.yaml"

_SCHEMA: dict[str, Any] = {
    "organization": {
        "names": list, "internal_domains": list, "internal_networks": list, "ad_domains": list,
        "hostname_patterns": list, "employees": (str, list),
        "customers": {"id_patterns": list, "names": (str, list)},
    },
    "policy": {"keep_external_indicators": bool, "refuse_tlp": list},
    "pseudonyms": {"key_env": str, "key_file": str, "vault": str},
    "nlp": {"enabled": bool, "config": str},   # redactor extension: NER on/off, engine YAML
}


@dataclass(frozen=True)
class Employee:
    name: str = ""
    username: str = ""
    email: str = ""


@dataclass(frozen=True)
class Profile:
    path: Path | None = None
    org_names: tuple[str, ...] = ()
    internal_domains: tuple[str, ...] = ()
    internal_networks: tuple[IPNetwork, ...] = ()
    ad_domains: tuple[str, ...] = ()
    hostname_patterns: tuple[str, ...] = ()
    employees: tuple[Employee, ...] = ()
    customer_id_patterns: tuple[str, ...] = ()
    customer_names: tuple[str, ...] = ()
    keep_external_indicators: bool = True
    refuse_tlp: tuple[str, ...] = ("RED",)
    key_env: str = "REDACTOR_KEY"
    key_file: str | None = None
    vault: str | None = None
    nlp_enabled: bool = True
    nlp_config: str = "spacy_sm"

    @classmethod
    def load(cls, path: str | Path | None = None) -> Profile:
        """Load `path`, else ./redactor.yaml if present, else the zero-config defaults."""
        if path is None:
            candidate = Path.cwd() / DEFAULT_PROFILE_NAME
            if not candidate.is_file():
                return cls()
            path = candidate
        return _parse(Path(path))


def _check_schema(data: Any, schema: dict[str, Any], where: str, file: Path) -> None:
    if not isinstance(data, dict):
        raise ProfileError(f"{file}: '{where or 'top level'}' must be a mapping")
    for key, value in data.items():
        dotted = f"{where}.{key}" if where else str(key)
        if key not in schema:
            raise ProfileError(f"{file}: unknown key '{dotted}' (known: {', '.join(schema)})")
        expected = schema[key]
        if isinstance(expected, dict):
            _check_schema(value, expected, dotted, file)
        elif value is not None and not isinstance(value, expected):
            kinds = expected if isinstance(expected, tuple) else (expected,)
            raise ProfileError(f"{file}: '{dotted}' must be {' or '.join(k.__name__ for k in kinds)}")


def _strings(value: Any, key: str, file: Path) -> tuple[str, ...]:
    items = value or []
    if not all(isinstance(v, str) and v.strip() for v in items):
        raise ProfileError(f"{file}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in items)


def _regexes(value: Any, key: str, file: Path) -> tuple[str, ...]:
    patterns = _strings(value, key, file)
    for i, p in enumerate(patterns):
        try:
            compiled = re.compile(p)
            regex.compile(p)   # profile patterns run on the `regex` engine, with a time limit
        except (re.error, regex.error) as exc:
            raise ProfileError(f"{file}: '{key}[{i}]' is not a valid regex ({exc}): {p!r}") from exc
        if compiled.match(""):
            raise ProfileError(f"{file}: '{key}[{i}]' matches the empty string: {p!r}")
    return patterns


def _networks(value: Any, file: Path) -> tuple[IPNetwork, ...]:
    nets = []
    for i, item in enumerate(_strings(value, "organization.internal_networks", file)):
        try:
            nets.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ProfileError(
                f"{file}: 'organization.internal_networks[{i}]' is not a valid CIDR: {item!r}") from exc
    return tuple(nets)


def _read_lines(rel: str, key: str, file: Path) -> list[tuple[int, str]]:
    target = (file.parent / Path(rel).expanduser()).resolve()
    try:
        text = target.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{file}: '{key}' file cannot be read: {target} ({exc})") from exc
    return [(n, line) for n, line in enumerate(text.splitlines(), 1)]


def _employees(value: Any, file: Path) -> tuple[Employee, ...]:
    key = "organization.employees"
    if value is None:
        return ()
    if isinstance(value, list):
        rows = []
        for i, item in enumerate(value):
            if not isinstance(item, dict) or set(item) - {"name", "username", "email"}:
                raise ProfileError(f"{file}: '{key}[{i}]' must be a mapping of name/username/email")
            rows.append(Employee(**{k: str(v).strip() for k, v in item.items() if v}))
        return tuple(rows)
    lines = _read_lines(value, key, file)
    out = []
    for n, row in zip((n for n, _ in lines), csv.reader(line for _, line in lines)):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if n == lines[0][0] and cells[0].lower() == "name":
            continue  # header
        if len(cells) > 3:
            raise ProfileError(f"{file}: roster {value}:{n}: expected name[,username][,email], got {len(cells)} columns")
        cells += [""] * (3 - len(cells))
        name, username, email = cells
        if email and "@" not in email:
            raise ProfileError(f"{file}: roster {value}:{n}: '{email}' is not an email address")
        out.append(Employee(name, username, email))
    return tuple(out)


def _customer_names(value: Any, file: Path) -> tuple[str, ...]:
    key = "organization.customers.names"
    if value is None:
        return ()
    if isinstance(value, list):
        return _strings(value, key, file)
    return tuple(line.strip() for _, line in _read_lines(value, key, file)
                 if line.strip() and not line.lstrip().startswith("#"))


def _parse(file: Path) -> Profile:
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise ProfileError(f"{file}: cannot read profile ({exc})") from exc
    except yaml.YAMLError as exc:
        raise ProfileError(f"{file}: invalid YAML ({exc})") from exc
    _check_schema(data, _SCHEMA, "", file)
    org = data.get("organization") or {}
    customers = org.get("customers") or {}
    policy = data.get("policy") or {}
    pseudo = data.get("pseudonyms") or {}
    nlp = data.get("nlp") or {}
    tlp = tuple(t.upper() for t in _strings(policy.get("refuse_tlp", ["RED"]), "policy.refuse_tlp", file))
    for t in tlp:
        if t not in ("RED", "AMBER", "AMBER+STRICT", "GREEN", "CLEAR", "WHITE"):
            raise ProfileError(f"{file}: 'policy.refuse_tlp' has unknown TLP level {t!r}")
    domains = tuple(d.lower().lstrip(".") for d in _strings(org.get("internal_domains"), "organization.internal_domains", file))
    return Profile(
        path=file,
        org_names=_strings(org.get("names"), "organization.names", file),
        internal_domains=domains,
        internal_networks=_networks(org.get("internal_networks"), file),
        ad_domains=_strings(org.get("ad_domains"), "organization.ad_domains", file),
        hostname_patterns=_regexes(org.get("hostname_patterns"), "organization.hostname_patterns", file),
        employees=_employees(org.get("employees"), file),
        customer_id_patterns=_regexes(customers.get("id_patterns"), "organization.customers.id_patterns", file),
        customer_names=_customer_names(customers.get("names"), file),
        keep_external_indicators=policy.get("keep_external_indicators", True),
        refuse_tlp=tlp,
        key_env=pseudo.get("key_env") or "REDACTOR_KEY",
        key_file=pseudo.get("key_file"),
        vault=str((file.parent / Path(pseudo["vault"]).expanduser())) if pseudo.get("vault") else None,
        nlp_enabled=nlp.get("enabled", True),
        nlp_config=nlp.get("config") or "spacy_sm",
    )
