"""The profile contract (PROFILE.md): every key optional, every error names key and file."""
from __future__ import annotations

import pytest

from conftest import run_cli
from redactor.errors import ProfileError
from redactor.profile import Profile


def write(tmp_path, text, name="redactor.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_zero_config_defaults():
    p = Profile()
    assert p.keep_external_indicators is True and p.refuse_tlp == ("RED",)
    assert p.key_env == "REDACTOR_KEY"


def test_full_profile_loads(samples_profile_path):
    p = Profile.load(samples_profile_path)
    assert "halvorsen-bank.com" in p.internal_domains
    assert any(e.username == "tnowak" and e.name == "Tomasz Nowak" for e in p.employees)
    assert "Fjordline Logistics" in p.customer_names
    assert str(p.internal_networks[1]) == "198.51.100.0/24"


@pytest.mark.parametrize("text, words", [
    ("organisation: {}\n", ["unknown key", "organisation"]),
    ("organization:\n  nmes: [x]\n", ["organization.nmes"]),
    ("organization:\n  hostname_patterns: ['(unclosed']\n", ["organization.hostname_patterns[0]", "regex"]),
    ("organization:\n  internal_networks: [10.0.0.0/33]\n", ["internal_networks[0]", "CIDR"]),
    ("organization:\n  employees: missing.csv\n", ["organization.employees", "missing.csv"]),
    ("policy:\n  keep_external_indicators: maybe\n", ["keep_external_indicators", "bool"]),
    ("policy:\n  refuse_tlp: [PURPLE]\n", ["refuse_tlp", "PURPLE"]),
    ("organization: [\n", ["invalid YAML"]),
])
def test_bad_profiles_name_the_key_and_file(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(ProfileError) as exc:
        Profile.load(path)
    for w in words + [str(path)]:
        assert w in str(exc.value)


def test_roster_error_names_file_and_line(tmp_path):
    write(tmp_path, "a,b\nJane Roe,jroe,not-an-email\n", "people.csv")
    path = write(tmp_path, "organization:\n  employees: people.csv\n")
    with pytest.raises(ProfileError, match=r"people.csv:2"):
        Profile.load(path)


def test_cli_profile_error_exits_2_and_processes_nothing(tmp_path):
    cfg = write(tmp_path, "policy:\n  refuse_tlp: [PURPLE]\n")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("host fs01")
    res = run_cli("redact", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--config", str(cfg))
    assert res.returncode == 2 and "refuse_tlp" in res.stderr
    assert not (tmp_path / "out").exists()


def test_found_automatically_in_cwd(tmp_path, monkeypatch):
    write(tmp_path, "organization:\n  names: [Initech]\n")
    monkeypatch.chdir(tmp_path)
    assert Profile.load().org_names == ("Initech",)
