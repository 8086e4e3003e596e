"""Large text files are streamed in windows: same output as in memory, flat memory, nothing
lost at a window edge, long lines refused clearly, inputs that change mid-run fail closed."""
from __future__ import annotations

import json
import os
import random
import re
import tempfile

import pytest

from conftest import run_cli
from redactor import stream
from redactor.batch import STATUS_WRITTEN, BatchOptions, collect, open_document, run_batch

CFG = "samples/redactor.yaml"


def log_text(lines: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    users = ["tnowak", "smarquez", "svc_deploy", "praman"]
    out = []
    for i in range(lines):
        out.append(f"2024-05-11T10:{i % 60:02d}:00Z host=OSL-WS-{rng.randrange(1000, 9999)} "
                   f"src_ip=10.14.{rng.randrange(256)}.{rng.randrange(256)} dst_ip=185.174.136.17 "
                   f"user={rng.choice(users)} msg=\"Tomasz Nowak logged on to fs01.hb.local\" "
                   f"sha256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n")
    return "".join(out)


@pytest.fixture
def small_windows(monkeypatch):
    """Every text file streamed, in windows far smaller than the values' spacing."""
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 700)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)


def run(engine, src, out, **kw):
    files, _ = collect([src], out)
    return run_batch(engine, b"stream-key", files, out, BatchOptions(use_ner=False, **kw))


@pytest.fixture(autouse=True)
def own_tempdir(tmp_path, monkeypatch):
    """Temp files (window caches) of this test only, to check that none is left behind."""
    path = tmp_path / "tmp"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


@pytest.fixture(params=[1, 2], ids=["in-process", "workers"])
def jobs(request):
    return request.param


def test_text_over_4_mb_is_streamed(tmp_path):
    """A 7 MB log (the size users report Presidio taking minutes on) is streamed, so with
    `--jobs` its windows use every core; a report of a few hundred KB is read whole."""
    small, big, doc = tmp_path / "a.log", tmp_path / "b.log", tmp_path / "c.docx"
    small.write_bytes(b"x\n" * (2 * 2**20))          # exactly 4 MB
    big.write_bytes(b"x\n" * (2 * 2**20) + b"y")
    doc.write_bytes(b"x" * (5 * 2**20))
    assert not stream.is_streamed(small) and stream.is_streamed(big) and not stream.is_streamed(doc)


def test_windows_cover_the_file_exactly_once(tmp_path, monkeypatch):
    monkeypatch.setattr(stream, "READ_CHARS", 97)   # blocks that end anywhere
    rng = random.Random(5)
    for case, text in enumerate([
        log_text(40),
        "x" * 5000,                                   # one line, no white space at all
        "a b\r\n" * 900 + "tail without newline",
        "é" * 333 + "\n" + "ü" * 2000,
        "".join(rng.choice("ab \n") for _ in range(4000)),
    ]):
        path = tmp_path / f"{case}.log"
        path.write_text(text, encoding="utf-8", newline="")
        wins = list(stream.windows(path, "utf-8", size=300, context=50))
        assert "".join(w.text[w.own_start:w.own_end] for w in wins) == text
        for w in wins:
            assert text[w.start:w.start + len(w.text)] == w.text      # contexts are real text
            assert w.own_start == min(50, w.start + w.own_start)      # full left context if any
        assert wins == list(stream.windows(path, "utf-8", size=300, context=50))  # both passes agree


def test_streamed_output_equals_in_memory_output(engine, tmp_path, monkeypatch, jobs, own_tempdir):
    src = tmp_path / "in"
    src.mkdir()
    (src / "fw.log").write_text(log_text(60))
    (src / "crlf.txt").write_bytes(log_text(20, seed=9).replace("\n", "\r\n").encode())
    (src / "utf16.log").write_bytes(log_text(15, seed=4).encode("utf-16"))
    (src / "one-line.log").write_text(log_text(25, seed=8).replace("\n", " "))
    memory = run(engine, src, tmp_path / "memory")
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 700)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    streamed = run(engine, src, tmp_path / "streamed", jobs=jobs)   # workers fork: they see the patch
    assert [o.status for o in streamed] == [STATUS_WRITTEN] * 4
    for m, s in zip(memory, streamed):
        assert s.stream is not None and m.stream is None
        assert s.output.read_bytes() == m.output.read_bytes(), s.relative
        assert s.replaced == m.replaced and s.kept == m.kept
        assert [(f.entity_type, f.start, f.end) for f in s.findings] == \
            [(f.entity_type, f.start, f.end) for f in m.findings]
    assert not list(own_tempdir.iterdir())   # window caches removed
    text = (tmp_path / "streamed" / "fw.log").read_text()
    for value in ("tnowak", "smarquez", "Tomasz Nowak", "fs01.hb.local", "OSL-WS-"):
        assert value not in text
    assert "185.174.136.17" in text and "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" in text


def test_a_value_across_every_window_edge_is_replaced(engine, tmp_path, small_windows, jobs):
    # one line without white space: windows are cut anywhere, often through a value (in
    # workers, a piece finished ahead from its own start is then finished again in order)
    line = "".join(f"user=tnowak;{i:04d};" for i in range(400))
    src = tmp_path / "in"
    src.mkdir()
    (src / "edge.log").write_text(line)
    (outcome,) = run(engine, src, tmp_path / "out", jobs=jobs)
    text = outcome.output.read_text()
    assert outcome.status == STATUS_WRITTEN
    assert re.fullmatch(r"(?:user=USER-\d+;\d{4};){400}", text), text[:200]
    assert len(set(re.findall(r"USER-\d+", text))) == 1


def test_a_big_csv_is_read_under_its_header_in_every_window(engine, tmp_path, small_windows, jobs):
    """Regression (leak): a streamed CSV's header is in its first window only, so a host or user
    first named in a later row (no context word, no profile pattern) stayed. Every window now
    reads its rows under the file's header line, in analysis and in verification."""
    rows = [f"2024-03-02T02:{i % 60:02d}:00Z,wks-ops-{i:03d},handle{i:03d}x,185.220.101.4" for i in range(120)]
    src = tmp_path / "in"
    src.mkdir()
    (src / "signins.csv").write_text("time,hostname,username,src_ip\n" + "\n".join(rows) + "\n")
    (outcome,) = run(engine, src, tmp_path / "out", jobs=jobs)
    text = outcome.output.read_text()
    assert outcome.status == STATUS_WRITTEN and outcome.stream is not None
    assert "wks-ops-" not in text and "handle" not in text, text[-400:]
    assert text.count("185.220.101.4") == 120 and text.startswith("time,hostname,username,src_ip\n")
    assert len(set(re.findall(r"HOST-\d+", text))) == 120


def test_streamed_report_lists_positions_and_counts(engine, tmp_path, monkeypatch):
    from redactor.report import file_record

    src = tmp_path / "in"
    src.mkdir()
    (src / "fw.log").write_text(log_text(50))
    (memory,) = run(engine, src, tmp_path / "memory")
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 700)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    monkeypatch.setattr(stream, "MAX_LISTED", 25)
    (streamed,) = run(engine, src, tmp_path / "streamed")
    assert len(streamed.findings) == 25 and streamed.findings_omitted == len(memory.findings) - 25
    assert streamed.replaced == memory.replaced and streamed.kept == memory.kept
    rec, full = file_record(streamed, tmp_path / "streamed"), file_record(memory, tmp_path / "memory")
    assert rec["findings_omitted"] == streamed.findings_omitted and "findings_omitted" not in full
    assert rec["findings"] == full["findings"][:25]      # same line, column, length, type
    assert rec["replaced"] == full["replaced"]


def test_huge_single_line_is_refused_fast_and_the_rest_goes_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    with open(src / "minified.json", "w") as fh:   # 50 MB, one line
        chunk = '{"k":"v","user":"tnowak","ip":"10.14.1.2"},' * 1000
        for _ in range(50 * 2**20 // len(chunk) + 1):
            fh.write(chunk)
    (src / "ok.md").write_text("user=tnowak on fs01.hb.local\n")
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--no-ner", "--jobs", "2",
                  "--report", str(tmp_path / "report.json"))
    assert res.returncode == 1, res.stdout + res.stderr
    assert "minified.json" in res.stdout and "1,000,000-character limit" in res.stdout
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["ok.md"]
    assert "tnowak" not in (out / "ok.md").read_text()
    report = json.loads((tmp_path / "report.json").read_text())
    (refused,) = [f for f in report["files"] if f["status"] == "refused"]
    assert "--max-line-chars" in refused["error"]["message"] and "tnowak" not in json.dumps(report)


def test_long_line_limit_applies_in_memory_too_and_can_be_lifted(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "blob.log").write_text("user=tnowak " + "A" * 3000 + "\n")
    out = tmp_path / "out"
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--no-ner", "--max-line-chars", "2000")
    assert res.returncode == 1 and "2,000-character limit" in res.stdout
    assert not (out / "blob.log").exists()
    res = run_cli("redact", str(src), "-o", str(out), "--config", CFG, "--no-ner", "--max-line-chars", "0")
    assert res.returncode == 0 and "tnowak" not in (out / "blob.log").read_text()


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("change", ["vanishes", "is replaced"])
@pytest.mark.parametrize("streamed", [False, True], ids=["whole", "streamed"])
def test_input_that_changes_mid_batch_fails_closed(engine, tmp_path, jobs, change, streamed, own_tempdir,
                                                   monkeypatch):
    if streamed:
        monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"r{i}.md").write_text(f"report {i}: user=tnowak on fs0{i}.hb.local\n")
    files, _ = collect([src], None)
    ticks = []

    def progress() -> None:   # called once per file per pass; after pass 1, touch r2.md
        ticks.append(1)
        if len(ticks) == len(files):
            target = src / "r2.md"
            if change == "vanishes":
                target.unlink()
            else:
                target.write_text("report 2: new text naming Sofia Marquez and host fs09.hb.local\n")

    out = tmp_path / "out"
    outcomes = run_batch(engine, b"k", files, out, BatchOptions(jobs=jobs, use_ner=False, progress=progress))
    by_name = {o.relative.name: o for o in outcomes}
    failed = by_name.pop("r2.md")
    assert failed.status == "failed" and failed.output is None
    assert ("vanished" if change == "vanishes" else "changed during the run") in failed.reason
    assert not (out / "r2.md").exists() and not list(out.glob(".redactor-tmp-*"))
    assert not list(own_tempdir.iterdir())   # no window cache left, also of the failed file
    assert all(o.status == STATUS_WRITTEN for o in by_name.values())
    for name in by_name:
        assert "tnowak" not in (out / name).read_text()


def _window_calls(monkeypatch, calls):
    """Record in `calls` which process analyzes and finishes each window (forked workers inherit the
    spies; a file sees them all). Returns: tag -> the pids, one per call, of what was recorded."""
    analyze_window, finish_window = stream.analyze_window, stream.finish_window

    def spy(real, tag):
        def call(*args):
            with open(calls, "a") as fh:
                fh.write(f"{tag} {os.getpid()}\n")
            return real(*args)
        return call

    monkeypatch.setattr(stream, "analyze_window", spy(analyze_window, "analyze"))
    monkeypatch.setattr(stream, "finish_window", spy(finish_window, "finish"))

    def seen():
        lines = [line.split() for line in calls.read_text().splitlines()] if calls.exists() else []
        calls.unlink(missing_ok=True)
        return {tag: [pid for t, pid in lines if t == tag] for tag in ("analyze", "finish")}
    return seen


def test_one_streamed_file_is_spread_over_the_workers(engine, tmp_path, small_windows, monkeypatch):
    """Both passes of a single big file run window by window in more than one worker, and
    the output is the one a single process writes."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "fw.log").write_text(log_text(200))
    seen = _window_calls(monkeypatch, tmp_path / "calls")
    (one,) = run(engine, src, tmp_path / "one")
    seen()
    (two,) = run(engine, src, tmp_path / "two", jobs=2)
    windows = len(list(stream.windows(src / "fw.log", "utf-8")))
    for pids in seen().values():
        assert len(pids) == windows > 10
        assert len(set(pids)) == 2 and str(os.getpid()) not in pids
    assert two.status == STATUS_WRITTEN and two.output.read_bytes() == one.output.read_bytes()
    assert two.replaced == one.replaced and two.findings == one.findings


def test_a_file_that_would_keep_one_core_busy_alone_is_split_for_the_workers(engine, tmp_path, monkeypatch):
    """With --jobs, a text file too small to stream that would keep one worker at it while the others wait
    is read in windows spread over the workers too; its output and its report (every finding, with line and
    column) are those of reading it whole. Beside as big a file it is read whole: each worker has one."""
    from redactor.report import file_record

    monkeypatch.setattr(stream, "SPLIT_BYTES", 10_000)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 5_000)
    monkeypatch.setattr(stream, "MIN_WINDOW_CHARS", 2_000)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    monkeypatch.setattr(stream, "MAX_LISTED", 25)   # for files over STREAM_BYTES only
    src = tmp_path / "in"
    src.mkdir()
    quiet = "heartbeat ok\n" * 800    # windows without a finding: the line numbers after them still count
    text = log_text(100) + quiet + log_text(100, seed=4)
    (src / "fw.log").write_text(text)
    (src / "note.md").write_text("Tomasz Nowak was on OSL-WS-1234 (10.14.7.88).\n")
    seen = _window_calls(monkeypatch, tmp_path / "calls")
    whole = run(engine, src, tmp_path / "whole")
    assert whole[0].stream is None and not seen()["analyze"]
    split = run(engine, src, tmp_path / "split", jobs=2)
    windows = len(list(stream.windows(src / "fw.log", "utf-8", stream.window_chars(len(text), "utf-8"))))
    for pids in seen().values():
        assert len(pids) == windows > 4 and len(set(pids)) == 2 and str(os.getpid()) not in pids
    for w, s in zip(whole, split):
        assert s.status == STATUS_WRITTEN and s.output.read_bytes() == w.output.read_bytes()
        assert file_record(s, tmp_path / "split") == file_record(w, tmp_path / "whole")
    assert split[0].stream is not None and len(split[0].findings) > 25 and split[0].findings_omitted == 0
    (src / "fw2.log").write_text(text)
    assert all(o.stream is None for o in run(engine, src, tmp_path / "both", jobs=2))
    assert not seen()["analyze"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8-sig"])
def test_a_file_that_does_not_decode_gets_one_message_read_whole_split_or_streamed(engine, tmp_path, monkeypatch,
                                                                                     bom):
    """Nothing written, and the same words whichever reader met the bad byte: its offset in the file (the
    BOM counted), not the offset inside the reader's block."""
    monkeypatch.setattr(stream, "SPLIT_BYTES", 10_000)
    monkeypatch.setattr(stream, "MIN_WINDOW_CHARS", 2_000)
    monkeypatch.setattr(stream, "READ_CHARS", 4_096)
    src = tmp_path / "in"
    src.mkdir()
    data = bom + log_text(100).encode()
    at = len(data) - 3_000
    (src / "fw.log").write_bytes(data[:at] + b"caf\xe9 " + data[at:])
    want = f"not valid {'utf-8-sig' if bom else 'utf-8'} text at byte {at + 3}; convert it to UTF-8"
    reasons = []
    for name, jobs in (("whole", 1), ("split", 2)):
        outcome, = run(engine, src, tmp_path / name, jobs=jobs)
        reasons.append(outcome.reason)
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    outcome, = run(engine, src, tmp_path / "streamed", jobs=1)
    reasons.append(outcome.reason)
    assert [want in reason for reason in reasons] == [True] * 3, reasons
    assert not [p for name in ("whole", "split", "streamed") for p in (tmp_path / name).rglob("*.log")]


def test_the_first_bad_byte_is_found_whatever_the_blocks():
    """Python's own offset, counted in the file (after a UTF-8 BOM it counts from the BOM's end), wherever
    the reader's blocks cut a character: a byte that is never valid, a character cut short, UTF-16's lone
    surrogate, a file that ends inside a character."""
    from redactor.documents.text import first_bad_byte

    text = "host é€𝄞 ok\n" * 40
    cases = [("utf-8", text.encode()[:200] + b"\xff" + text.encode()),
             ("utf-8", text.encode()[:201] + b"\xe2\x82 "),
             ("utf-8", text.encode()[:-1]),
             ("utf-8-sig", b"\xef\xbb\xbf" + text.encode()[:-2]),
             ("utf-16", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")[:300] + b"\x00\xdc" + b"a\x00"),
             ("utf-16", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")[:-1]),
             ("utf-8", text.encode())]
    for enc, data in cases:
        try:
            data.decode(enc)
            want = None
        except UnicodeDecodeError as exc:
            want = exc.start + (3 if enc == "utf-8-sig" else 0)
        for size in (1, 2, 3, 5, 64, len(data)):
            assert first_bad_byte([data[i:i + size] for i in range(0, len(data), size)], enc) == want, (enc, size)
    assert want is None


def test_which_files_are_split_for_the_workers():
    """When whole files, biggest first, would keep the busiest worker at it over UNEVEN times an even
    share: the text files from SPLIT_BYTES up. Never with one job, never a file streamed anyway (over
    STREAM_BYTES: shared evenly), a PDF or a DOCX."""
    from pathlib import Path

    big, small = stream.SPLIT_BYTES, 10_000
    split = stream.split_for_workers
    logs = [Path(f"{c}.log") for c in "abcde"]
    assert split(logs[:1], [big], 2) == {0}                                   # alone: 2x an even share
    assert split(logs[:1], [big], 1) == set()
    assert split(logs[:1], [big - 1], 2) == set()                             # too small to be worth it
    assert split(logs[:2], [2 * big, small], 2) == {0}
    assert split(logs[:2], [2 * big, 2 * big], 2) == set()                    # one each
    assert split(logs[:3], [big, big, big], 2) == {0, 1, 2}                   # the third alone: 1.33x
    assert split(logs, [big] * 5, 2) == set()                                 # 3 and 2: 1.2x
    assert split(logs[:3], [2 * big, big, big], 4) == {0, 1, 2}
    assert split([Path("a.pdf"), Path("b.docx")], [2 * big, 2 * big], 4) == set()
    assert split(logs[:1], [stream.STREAM_BYTES + 1], 2) == set()             # streamed anyway
    assert split(logs[:2], [stream.STREAM_BYTES + 1, big], 2) == set()        # ... shared evenly beside it
    assert split([Path("a.pdf"), logs[0]], [stream.STREAM_BYTES + 1, big], 2) == {1}   # a PDF is read whole
def test_a_window_whose_context_starts_inside_a_value_is_not_finished_again(engine, tmp_path, monkeypatch):
    """Each window's left context starts inside a user name (`…arquez`), which that window cannot
    replace; the worker's piece is still what running in order writes, so this process takes it
    as it is instead of finishing the window again on its own (serial) time."""
    line = "2024-05-11T10:00:00Z user=smarquez src=10.14.7.{} dst=185.174.136.17 action=allow\n"
    text = "".join(line.format(100 + i % 100) for i in range(120))   # lines of one width
    width, inside = len(line.format(100)), line.index("arquez")
    src = tmp_path / "in"
    src.mkdir()
    (src / "fw.log").write_text(text)
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 10 * width)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 2 * width - inside)   # starts at `arquez` of a line
    wins = list(stream.windows(src / "fw.log", "utf-8", stream.window_chars(len(text), "utf-8")))
    assert len(wins) == 12 and all(w.text.startswith("arquez") for w in wins[1:])
    calls = tmp_path / "calls"
    finish_window = stream.finish_window

    def spy(*args):
        with open(calls, "a") as fh:   # forked workers inherit the spy; a file sees them all
            fh.write(f"{os.getpid()}\n")
        return finish_window(*args)

    (one,) = run(engine, src, tmp_path / "one")
    monkeypatch.setattr(stream, "finish_window", spy)
    (two,) = run(engine, src, tmp_path / "two", jobs=2)
    pids = calls.read_text().split()
    assert len(pids) == len(wins) and str(os.getpid()) not in pids
    assert two.status == STATUS_WRITTEN and two.output.read_bytes() == one.output.read_bytes()
    assert "smarquez" not in two.output.read_text()


def test_a_context_loses_its_first_line_only_when_enough_is_left():
    """Verification of a worker's piece still reads at least half a context before it."""
    half = stream.CONTEXT_CHARS // 2
    assert stream._whole_lines("arquez x\n" + "y" * half, True) == "y" * half
    assert stream._whole_lines("arquez x\n" + "y" * half, False) == "arquez x\n" + "y" * half   # the file's start
    assert stream._whole_lines("arquez x\n" + "y" * (half - 1), True) == "arquez x\n" + "y" * (half - 1)
    assert stream._whole_lines("z" * 3 * half, True) == "z" * 3 * half   # one long line: kept whole


def test_a_file_is_cut_into_a_multiple_of_4_windows_of_equal_size():
    """So 2 or 4 workers get equal shares: a 5 MB log makes 8 windows, not 5 and a sliver."""
    mb = 2**20
    for size in (4 * mb + 1, 5 * mb, 7 * mb, 9 * mb, 40 * mb, 200 * mb):
        chars = stream.window_chars(size, "utf-8")
        count = -(-size // chars)
        assert chars <= stream.WINDOW_CHARS and count % 4 == 0 and count >= 8, size
        assert count - 4 < size / stream.WINDOW_CHARS or count == 8   # no more windows than needed
    assert stream.window_chars(5 * mb, "utf-8") == -(-5 * mb // 8)
    assert stream.window_chars(10 * mb, "utf-16") == -(-5 * mb // 8)   # two bytes a character
    # a file split for the workers (under STREAM_BYTES): windows of MIN_WINDOW_CHARS or more, as many as 4, 2, 1
    for size, count in ((2**20, 4), (1_900_000, 4), (600_000, 2), (300_000, 1), (1000, 1)):
        chars = stream.window_chars(size, "utf-8")
        assert -(-size // chars) == count and (chars >= stream.MIN_WINDOW_CHARS or count == 1), size


def test_a_5_mb_log_is_read_in_8_windows(tmp_path):
    path = tmp_path / "fw.log"
    path.write_text(log_text(5 * 2**20 // 260))
    doc = open_document(path)
    wins = list(stream.windows(path, "utf-8", doc.meta["window"]))
    assert len(wins) == 8 and "".join(w.text[w.own_start:w.own_end] for w in wins) == path.read_text()
    sizes = [w.own_end - w.own_start for w in wins]
    assert max(sizes) < 1.02 * min(sizes)


def test_a_leak_in_a_piece_finished_by_a_worker_fails_the_file(engine, tmp_path, small_windows, jobs,
                                                                 monkeypatch, own_tempdir):
    """Verification runs where the piece is made; what it finds still fails the whole file."""
    from redactor.session import Session

    src = tmp_path / "in"
    src.mkdir()
    (src / "fw.log").write_text(log_text(60))
    plan = Session.plan

    def forgetful(self, text, findings):   # as if a user name were missed in pass 2
        return [f for f in plan(self, text, findings) if f.entity_type != "USERNAME"]

    monkeypatch.setattr(Session, "plan", forgetful)
    (outcome,) = run(engine, src, tmp_path / "out", jobs=jobs)
    assert outcome.status == "failed" and "verification failed" in outcome.reason
    assert "USERNAME" in outcome.reason
    assert not list((tmp_path / "out").glob("*")) and not list(own_tempdir.iterdir())


TEACHES = "ipconfig /all\n\n   Connection-specific DNS Suffix  . : corp.kestrel-maritime.no\n"


@pytest.mark.parametrize("mode", ["whole", "streamed", "streamed-workers", "split"])
def test_a_name_kept_in_a_streamed_file_is_hunted_once_another_file_makes_it_ours(engine, tmp_path, monkeypatch,
                                                                                   mode):
    """A log holds mkowalski@corp.kestrel-maritime.no, kept (not yet known to be ours) when pass 1 reads it; the
    file after it teaches that domain. Between the passes the address is registered, so its user name is
    replaced in the report before the log (with one job, finished before the log is), whether the log was read
    whole, streamed, or split for the workers."""
    monkeypatch.setattr(stream, "SPLIT_BYTES", 10_000)
    monkeypatch.setattr(stream, "MIN_WINDOW_CHARS", 2_000)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 160)
    if mode.startswith("streamed"):
        monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.md").write_text("Later that day mkowalski went home.\n")
    (src / "b.log").write_text("".join(f"2024-05-11T10:{i % 60:02d}:00Z login ok by mkowalski@corp.kestrel-maritime.no"
                                       f" from 185.174.136.{i % 200}\n" for i in range(300)))
    (src / "c.md").write_text(TEACHES)
    seen = _window_calls(monkeypatch, tmp_path / "calls")
    report, log, _ = run(engine, src, tmp_path / "out", jobs=2 if mode in ("split", "streamed-workers") else 1)
    assert (log.stream is None) == (mode == "whole") and (len(seen()["analyze"]) > 2) == (mode != "whole")
    written = report.output.read_text()
    name = re.search(r"^(\S+)@", log.output.read_text().split(" by ")[1]).group(1)
    assert "kestrel" not in log.output.read_text() and name != "mkowalski"
    assert written == f"Later that day {name.upper()} went home.\n"
