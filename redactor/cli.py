"""Command line: parse, call the library, print, exit (STYLE.md §7).

Exit codes: 0 every file written; 1 at least one file failed or was refused (the others
are still written), or worker processes kept dying with no file in hand (what finished is
complete); 2 usage or profile error (nothing processed); 130 interrupted.
"""
from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
import time
from pathlib import Path

import click

EXIT_OK, EXIT_FILES, EXIT_USAGE = 0, 1, 2


def _interrupted(finished: list[str]) -> None:
    click.echo("redactor: interrupted", err=True)
    _stopped(finished, "run again with --resume to do the rest")
    sys.exit(130)


def _stopped(finished: list[str], then: str) -> None:
    """What a run that stopped early leaves: the files it finished, complete, and nothing else."""
    click.echo(f"redactor: {len(finished)} file(s) were finished and are complete, nothing half-written "
               "was left:", err=True)
    for name in finished:
        click.echo(f"  {name}", err=True)
    click.echo(f"redactor: {then}", err=True)


@click.group()
@click.version_option(package_name="redactor")
def main() -> None:
    """redactor: make security incident reports safe to share."""
    from .batch import tune_gc
    tune_gc()
    # at exit the interpreter's last collections walk every object the engine holds (spaCy's model,
    # Presidio's recognizers), ~0.25 s of every command, a pre-commit check's too, for memory the
    # system takes back anyway: frozen, they are skipped (exit handlers still run)
    atexit.unregister(gc.freeze)   # once, however often a caller invokes the CLI in one process
    atexit.register(gc.freeze)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (mirrors the input layout). Required unless --dry-run.")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile (default: ./redactor.yaml if present, else built-in defaults).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the cores this process may use).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON audit report here (never contains original values).")
@click.option("--dry-run", is_flag=True, help="Analyze and report; write no output files.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--no-ner", is_flag=True, help="Patterns, roster and profile only (faster; no spaCy).")
@click.option("--keep-images", is_flag=True,
              help="Keep images in DOCX output (their pixels are NOT sanitized; stated in the report).")
@click.option("--resume", is_flag=True,
              help="Skip files whose output is current (same input, profile, key and options).")
@click.option("--max-line-chars", type=click.IntRange(min=0), default=1_000_000, show_default=True,
              help="Refuse a text file with a longer line (minified/binary data); 0: no limit.")
def redact(inputs: tuple[Path, ...], outdir: Path | None, config: Path | None, jobs: int | None,
           report_path: Path | None, dry_run: bool, quiet: bool, no_ner: bool, keep_images: bool,
           resume: bool, max_line_chars: int) -> None:
    """Write sanitized copies of INPUTS (files and/or folders) into OUTDIR."""
    from tqdm import tqdm

    from . import report, workers
    from .api import Redactor
    from .batch import BatchOptions, collect
    from .cores import usable_cores
    from .errors import RedactorError, WorkerError
    from .manifest import Manifest, fingerprint

    if outdir is None and not dry_run:
        raise click.UsageError("give an output folder with -o/--output (or use --dry-run)")
    if outdir is not None and not dry_run:
        for item in inputs:
            if item.is_file() and item.resolve().parent == outdir.resolve():
                raise click.UsageError(f"output folder {outdir} holds input {item}; choose another")
    started = time.monotonic()
    try:
        redactor = Redactor.from_profile(config, use_ner=False if no_ner else None)
        files, _ = collect(list(inputs), outdir)
    except RedactorError as exc:
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if not redactor.keyed:
        if redactor.profile.vault:
            click.echo(f"redactor: pseudonyms.vault needs a key (${redactor.profile.key_env} or "
                       "pseudonyms.key_file); nothing processed", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(f"redactor: no key in ${redactor.profile.key_env} or pseudonyms.key_file: "
                   "pseudonyms are stable within this run only", err=True)
    if resume and not redactor.keyed:
        click.echo("redactor: --resume needs a key (pseudonyms must match the earlier run)", err=True)
        sys.exit(EXIT_USAGE)
    manifest = Manifest(outdir, fingerprint(redactor, keep_images)) if outdir and not dry_run else None
    bar = tqdm(total=2 * len(files), unit="step", file=sys.stderr, leave=False,
               disable=quiet or not sys.stderr.isatty() or len(files) < 2)
    finished: list[str] = []

    def on_done(outcome: object) -> None:
        if getattr(outcome, "status", "") in ("written", "current") and manifest is not None:
            manifest.record(outcome)  # type: ignore[arg-type]
            finished.append(str(outcome.output))  # type: ignore[attr-defined]

    options = BatchOptions(jobs=jobs or usable_cores(), keep_images=keep_images, max_line_chars=max_line_chars,
                           resume=manifest.previous() if (manifest and resume) else None,
                           progress=bar.update, on_done=on_done)
    signal.signal(signal.SIGTERM, workers.raise_interrupt)   # KeyboardInterrupt, the signal kept
    signal.signal(signal.SIGINT, workers.raise_interrupt)
    try:
        result = redactor.redact_batch(list(inputs), None if dry_run else outdir, options=options)
    except KeyboardInterrupt:
        bar.close()
        _interrupted(finished)
    except WorkerError as exc:
        bar.close()
        if workers.stop_requested():   # Ctrl-C or SIGTERM reached the workers too: they stopped, not died
            _interrupted(finished)
        click.echo(f"redactor: {exc}", err=True)
        _stopped(finished, "run again with --resume to do the rest (with fewer --jobs if memory ran out)")
        sys.exit(EXIT_FILES)
    except RedactorError as exc:
        bar.close()
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    bar.close()
    if redactor.profile.vault and not dry_run:
        from . import vault

        mapping: dict[str, set[str]] = {}
        for outcome in result.outcomes:
            if outcome.status == "written":
                for pseudonym, originals in outcome.mapping.items():
                    mapping.setdefault(pseudonym, set()).update(originals)
        try:
            count = vault.merge(Path(redactor.profile.vault), redactor.key, mapping)
        except RedactorError as exc:
            click.echo(f"redactor: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        if not quiet:
            click.echo(f"redactor: vault {redactor.profile.vault} holds {count} pseudonym(s)", err=True)
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = report_path.with_name(f".{report_path.name}.tmp")
        tmp.write_text(report.to_json(result, None if dry_run else outdir), encoding="utf-8")
        os.replace(tmp, report_path)
    if not quiet:
        click.echo(report.summary_text(result, time.monotonic() - started, jobs=options.jobs))
    else:   # quiet is no summary, not silence about a file that was not written
        for line in report.problems(result):
            click.echo(f"redactor: {line}", err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_FILES)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile (default: ./redactor.yaml if present, else built-in defaults).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True)
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Allow-list of known findings (salted hashes, never values).")
@click.option("--update-baseline", is_flag=True, help="Write every current finding into --baseline; exit 0.")
@click.option("--no-ner", is_flag=True, help="Patterns, roster and profile only (fast; for hooks and logs).")
@click.option("--show-allowed", is_flag=True, help="Also list findings allowed inline or by the baseline.")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Processes reading and analyzing the files (default: the cores this process may use; "
                   "a few small files are checked in one).")
def check(paths: tuple[str, ...], config: Path | None, fmt: str, baseline: Path | None,
          update_baseline: bool, no_ner: bool, show_allowed: bool, jobs: int | None) -> None:
    """Exit 1 if PATHS (files, folders, or - for stdin) hold anything `redact` would replace.

    Exit codes: 0 clean, 1 findings (or a file that could not be checked), 2 usage/profile error.
    """
    from . import check as chk
    from . import sarif
    from .batch import collect
    from .cores import usable_cores
    from .engine import build_engine
    from .errors import RedactorError
    from .profile import Profile
    from .session import Session, load_key

    if update_baseline and baseline is None:
        raise click.UsageError("--update-baseline needs --baseline FILE")
    try:
        profile = Profile.load(config)
        items: list[tuple[str, Path | str]] = []
        files = [p for p in paths if p != "-"]
        if "-" in paths:
            items.append(("-", sys.stdin.read()))
        found, skipped = collect([Path(p) for p in files], None)
        items += [(str(path), path) for path, _ in found]
        base = chk.Baseline.load(baseline)
        engine = build_engine(profile, use_ner=False if no_ner else None)
    except RedactorError as exc:
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    session = Session(engine, load_key(profile)[0])
    result = chk.check_documents(session, items, base, entries=update_baseline, jobs=jobs or usable_cores())
    if update_baseline:
        assert baseline is not None
        allowed = [f for f in result.findings if f.allowed_by in (None, "baseline")]
        base.save(baseline, allowed, result.not_listed_entries)
        more = sum(c[""] + c["baseline"] for c in result.not_listed.values())
        click.echo(f"redactor: baseline {baseline} now allows {len(allowed) + more} finding(s)", err=True)
        sys.exit(EXIT_OK)
    rendered = {"text": lambda: sarif.as_text(result, show_allowed=show_allowed),
                "json": lambda: sarif.as_json(result, show_allowed=show_allowed),
                "sarif": lambda: sarif.as_sarif(result)}[fmt]()
    if rendered:
        click.echo(rendered)
    sys.exit(EXIT_FILES if result.failed else EXIT_OK)


@main.command()
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile (default: ./redactor.yaml if present, else built-in defaults).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option("--max-body", type=click.IntRange(min=1), default=1_000_000, show_default=True,
              help="Largest request body in bytes (413 over it).")
@click.option("--token-env", help="Require 'Authorization: Bearer <value of this variable>'.")
@click.option("--no-ner", is_flag=True, help="Patterns, roster and profile only.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes redacting requests side by side, forked once the engine is loaded "
                   "(default: the cores this process may use).")
def serve(config: Path | None, host: str, port: int, max_body: int, token_env: str | None,
          no_ner: bool, workers: int | None) -> None:
    """Serve POST /v1/redact, POST /v1/check and GET /healthz (JSON)."""
    from .api import Redactor
    from .cores import usable_cores
    from .errors import RedactorError
    from .server import serve as run

    token = None
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            click.echo(f"redactor: --token-env {token_env}: the variable is empty or unset", err=True)
            sys.exit(EXIT_USAGE)
    try:
        redactor = Redactor.from_profile(config, use_ner=False if no_ner else None)
    except RedactorError as exc:
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if not redactor.keyed:
        click.echo(f"redactor: no key in ${redactor.profile.key_env}: pseudonyms are stable for this "
                   "process only", err=True)
    run(redactor, host=host, port=port, max_body=max_body, token=token, workers=workers or usable_cores())


@main.command(name="eval")
@click.argument("labeled", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="Profile for the set.")
@click.option("--compare-stock", is_flag=True, help="Also score stock Presidio on the same texts.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable scores.")
def evaluate(labeled: Path, config: Path | None, compare_stock: bool, as_json: bool) -> None:
    """Recall/precision per type and keep-items intact on a labelled JSONL set."""
    import json

    from . import evaluate as ev
    from .engine import build_engine
    from .errors import RedactorError
    from .profile import Profile

    try:
        engine = build_engine(Profile.load(config))
        docs = ev.load(labeled)
    except (RedactorError, ValueError) as exc:
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    results = [ev.evaluate_ours(engine, docs)]
    if compare_stock:
        results.append(ev.evaluate_stock(docs))
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in results], indent=2))
        return
    click.echo(f"{len(docs)} documents, {sum(results[0].labelled.values())} labelled spans\n")
    click.echo(ev.table(results))
    for r in results:
        if r.missed:
            click.echo(f"\n{r.name}: missed {len(r.missed)}:")
            for doc, entity, text in r.missed[:50]:
                click.echo(f"  {doc} {entity}: {text!r}")
        if r.lost:
            click.echo(f"\n{r.name}: keep-items lost {len(r.lost)}:")
            for doc, text in r.lost[:50]:
                click.echo(f"  {doc}: {text!r}")


@main.command()
@click.argument("pseudonyms", nargs=-1, required=True)
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile naming the vault (pseudonyms.vault) and the key source.")
def reveal(pseudonyms: tuple[str, ...], config: Path | None) -> None:
    """Originator only: print what PSEUDONYMS stood for, from the encrypted vault."""
    from . import vault
    from .errors import RedactorError
    from .profile import Profile
    from .session import load_key

    try:
        profile = Profile.load(config)
        if not profile.vault:
            raise RedactorError("no pseudonyms.vault in the profile")
        key, keyed = load_key(profile)
        if not keyed:
            raise RedactorError(f"the vault needs its key (${profile.key_env} or pseudonyms.key_file)")
        mapping = vault.read(Path(profile.vault), key)
    except RedactorError as exc:
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    missing = False
    for p in pseudonyms:
        if p in mapping:
            click.echo(f"{p}\t" + "\t".join(mapping[p]))
        else:
            click.echo(f"{p}\t(not in the vault)", err=True)
            missing = True
    sys.exit(EXIT_FILES if missing else EXIT_OK)


if __name__ == "__main__":
    main()
