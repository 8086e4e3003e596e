"""PDF -> sanitized Markdown, on real PDFs written by tests/pdfmaker.py."""
from __future__ import annotations

import json

from conftest import run_cli
from pdfmaker import make_pdf, page_stream

CFG = "samples/redactor.yaml"


def test_pdf_becomes_sanitized_markdown_with_tables(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    make_pdf(src / "OSL-SRV-0042 triage.pdf", [
        page_stream(["Incident on OSL-SRV-0042 (10.14.2.21) by HALVORSEN\\tnowak.",
                     "C2: 185.174.136.17 and hxxps://akira-support[.]onion[.]ly/login, CVE-2023-20269."],
                    table=[["Host", "Owner"], ["OSL-WS-1187", "Priya Raman"], ["fs01.hb.local", "Fjordline Logistics"]]),
        page_stream(["Page two: contact Marcus Webb, md5 5f4dcc3b5aa765d61d8327deb882cf99"]),
    ])
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", "--report", str(tmp_path / "r.json"))
    assert res.returncode == 0, res.stdout + res.stderr
    (md,) = [p for p in out.iterdir() if not p.name.startswith('.')]
    assert md.suffix == ".md" and "OSL-SRV-0042" not in md.name and md.name.endswith(" triage.md")
    text = md.read_text()
    for leak in ("OSL-SRV-0042", "10.14.2.21", "tnowak", "HALVORSEN", "OSL-WS-1187", "Priya", "fs01",
                 "Fjordline", "Marcus", "Tomasz"):
        assert leak not in text, leak
    for keep in ("185.174.136.17", "hxxps://akira-support[.]onion[.]ly/login", "CVE-2023-20269",
                 "5f4dcc3b5aa765d61d8327deb882cf99"):
        assert keep in text, keep
    assert "<!-- page 1 -->" in text and "<!-- page 2 -->" in text
    assert "| Host | Owner |" in text and "|---|---|" in text
    assert any(line.startswith("| HOST-") for line in text.splitlines())
    notes = json.loads((tmp_path / "r.json").read_text())["files"][0]["notes"]
    assert any("Markdown" in n for n in notes)


def test_image_only_truncated_and_junk_pdfs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    make_pdf(src / "scan.pdf", [page_stream([], text=False)])
    data = make_pdf(tmp_path / "whole.pdf", [page_stream(["host fs01 down"])])
    (src / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (src / "notapdf.pdf").write_bytes(b"hello, I am text")
    make_pdf(src / "junk.pdf", [page_stream(["Junk-prefixed report about OSL-WS-1187"])], junk=b"\x00garbage" * 8)
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--jobs", "1", "--report", str(tmp_path / "r.json"))
    assert res.returncode == 1
    assert "Traceback" not in res.stdout + res.stderr
    assert "no text layer" in res.stdout and "OCR is not supported" in res.stdout
    assert "not a PDF" in res.stdout
    written = {p.name for p in out.iterdir()} if out.exists() else set()
    assert "scan.md" not in written and "truncated.md" not in written and "notapdf.md" not in written
    report = json.loads((tmp_path / "r.json").read_text())
    junk = [f for f in report["files"] if f.get("output", "").startswith("junk")]
    if junk:  # processed correctly, or refused clearly: never a partial write
        assert "OSL-WS-1187" not in (out / "junk.md").read_text()
    assert all(f["status"] in ("written", "failed") for f in report["files"])


def test_parallel_batch_extracts_each_pdf_once(tmp_path, engine, monkeypatch):
    """With --jobs, pass 1 hands the extracted document to pass 2: a PDF costs seconds to extract
    and was extracted twice. A spy on our PDF reader (inherited by the forked workers) counts the
    calls in a file; the outputs equal a --jobs 1 run's, byte for byte."""
    from redactor.batch import STATUS_WRITTEN, BatchOptions, collect, run_batch
    from redactor.documents import pdf

    src = tmp_path / "in"
    src.mkdir()
    for name, host in (("a.pdf", "OSL-SRV-0042"), ("b.pdf", "OSL-WS-1187")):
        make_pdf(src / name, [page_stream([f"Incident on {host} (10.14.2.21) by HALVORSEN\\tnowak."])])
    (src / "notes.txt").write_text("OSL-SRV-0042 again, and Priya Raman.\n")
    calls = tmp_path / "calls.txt"
    real_read = pdf.read

    def counting_read(path):
        with open(calls, "a") as fh:
            fh.write(path.name + "\n")
        return real_read(path)

    monkeypatch.setattr(pdf, "read", counting_read)
    files, _ = collect([src], None)
    outputs = {}
    for jobs in (1, 2):
        calls.write_text("")
        outcomes = run_batch(engine, b"ship-key", files, tmp_path / f"out{jobs}", BatchOptions(jobs=jobs))
        assert [o.status for o in outcomes] == [STATUS_WRITTEN] * 3
        assert sorted(calls.read_text().split()) == ["a.pdf", "b.pdf"]
        outputs[jobs] = {p.name: p.read_bytes() for p in (tmp_path / f"out{jobs}").iterdir()
                         if not p.name.startswith(".")}
    assert outputs[1] == outputs[2] and len(outputs[1]) == 3
    assert b"OSL-SRV-0042" not in outputs[2]["a.md"] and b"tnowak" not in outputs[2]["b.md"]
