"""The encrypted vault and `redactor reveal`; the key never appears in outputs or reports."""
from __future__ import annotations

import shutil

from conftest import ROOT, run_cli


def profile(tmp_path, extra=""):
    for name in ("employees.csv", "customers.txt"):
        shutil.copy(ROOT / "samples" / name, tmp_path / name)
    text = (ROOT / "samples" / "redactor.yaml").read_text().replace(
        "  key_env: REDACTOR_KEY", "  key_env: REDACTOR_KEY\n  vault: vault.enc" + extra)
    (tmp_path / "redactor.yaml").write_text(text)
    return tmp_path / "redactor.yaml"


def test_vault_round_trip_and_wrong_key(tmp_path):
    cfg = profile(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text("Tomasz Nowak used OSL-WS-1187 and password=Hunter2Hunter2\n")
    key = "vault-key-Zq81"
    res = run_cli("redact", str(src), "-o", str(tmp_path / "out"), "--config", str(cfg), "--jobs", "1",
                  "--report", str(tmp_path / "r.json"), env={"REDACTOR_KEY": key})
    assert res.returncode == 0, res.stderr
    blob = (tmp_path / "vault.enc").read_bytes()
    assert blob.startswith(b"RDV1") and b"Nowak" not in blob and b"OSL" not in blob
    out = (tmp_path / "out" / "a.md").read_text()
    person = next(w for w in out.split() if w.startswith("PERSON-"))
    host = next(w for w in out.split() if w.startswith("HOST-"))
    shown = run_cli("reveal", person, host, "--config", str(cfg), env={"REDACTOR_KEY": key})
    assert shown.returncode == 0
    assert "Tomasz Nowak" in shown.stdout and "OSL-WS-1187" in shown.stdout
    assert "Hunter2Hunter2" not in shown.stdout  # secrets are never kept, not even in the vault
    wrong = run_cli("reveal", person, "--config", str(cfg), env={"REDACTOR_KEY": "wrong"})
    assert wrong.returncode == 2 and "cannot be decrypted" in wrong.stderr
    for text in (out, (tmp_path / "r.json").read_text(), res.stdout, res.stderr):
        assert key not in text


def test_vault_without_key_is_refused_before_processing(tmp_path):
    cfg = profile(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text("host fs01\n")
    res = run_cli("redact", str(src), "-o", str(tmp_path / "out"), "--config", str(cfg), "--jobs", "1")
    assert res.returncode == 2 and "needs a key" in res.stderr
    assert not (tmp_path / "out").exists()
