"""Command line: parse, call the library, print, exit (STYLE.md §7).

Exit codes: 0 every file written; 1 at least one file failed or was refused (the others
are still written); 2 usage or profile error (nothing processed).
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

EXIT_OK, EXIT_FILES, EXIT_USAGE = 0, 1, 2


@click.group()
@click.version_option(package_name="redactor")
def main() -> None:
    """redactor: make security incident reports safe to share."""


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", "outdir", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (mirrors the input layout). Required unless --dry-run.")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help="Profile (default: ./redactor.yaml if present, else built-in defaults).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: number of cores).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write a JSON audit report here (never contains original values).")
@click.option("--dry-run", is_flag=True, help="Analyze and report; write no output files.")
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
@click.option("--no-ner", is_flag=True, help="Patterns, roster and profile only (faster; no spaCy).")
@click.option("--keep-images", is_flag=True,
              help="Keep images in DOCX output (their pixels are NOT sanitized; stated in the report).")
def redact(inputs: tuple[Path, ...], outdir: Path | None, config: Path | None, jobs: int | None,
           report_path: Path | None, dry_run: bool, quiet: bool, no_ner: bool, keep_images: bool) -> None:
    """Write sanitized copies of INPUTS (files and/or folders) into OUTDIR."""
    from tqdm import tqdm

    from . import report
    from .api import Redactor
    from .batch import collect
    from .errors import RedactorError

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
        click.echo(f"redactor: no key in ${redactor.profile.key_env} or pseudonyms.key_file: "
                   "pseudonyms are stable within this run only", err=True)
    bar = tqdm(total=2 * len(files), unit="step", file=sys.stderr, leave=False,
               disable=quiet or not sys.stderr.isatty() or len(files) < 2)
    try:
        result = redactor.redact_batch(list(inputs), None if dry_run else outdir,
                                       jobs=jobs or os.cpu_count() or 1, keep_images=keep_images,
                                       progress=bar.update)
    except RedactorError as exc:
        bar.close()
        click.echo(f"redactor: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    bar.close()
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        tmp = report_path.with_name(f".{report_path.name}.tmp")
        tmp.write_text(report.to_json(result, None if dry_run else outdir), encoding="utf-8")
        os.replace(tmp, report_path)
    if not quiet:
        click.echo(report.summary_text(result, time.monotonic() - started))
    sys.exit(EXIT_OK if result.ok else EXIT_FILES)


if __name__ == "__main__":
    main()
