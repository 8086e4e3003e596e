"""PDF -> sanitized Markdown (pdfplumber). Never boxes drawn over live text.

Per page, in reading order: text outside tables, then each table as a Markdown table, under
a `<!-- page N -->` marker. Document metadata is not carried over. Pages are processed one by
one and their caches released, so memory stays bounded on large files.
Refused, with a clear message and nothing written: no text layer at all (scanned or
image-only; OCR is not supported), a user password, a file pdfplumber cannot parse.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import ExtractionError
from .base import Document, Segment

SUFFIXES = (".pdf",)
OUTPUT_SUFFIX = ".md"


def _cell(value: object) -> str:
    return " ".join(str(value or "").split()).replace("|", "\\|")


def _table_markdown(rows: list[list[object]]) -> str:
    rows = [r for r in rows if r and any(c not in (None, "") for c in r)]
    if not rows:
        return ""
    width = max(len(r) for r in rows)
    lines = []
    for i, row in enumerate(rows):
        cells = [_cell(c) for c in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if i == 0:
            lines.append("|" + "---|" * width)
    return "\n".join(lines)


def _page_markdown(page: object) -> str:
    tables = page.find_tables()  # type: ignore[attr-defined]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict) -> bool:
        x0, top, x1, bottom = obj.get("x0", 0), obj.get("top", 0), obj.get("x1", 0), obj.get("bottom", 0)
        return not any(bx0 <= x0 and x1 <= bx1 and btop <= top and bottom <= bbottom
                       for bx0, btop, bx1, bbottom in boxes)

    body = page.filter(outside).extract_text() if boxes else page.extract_text()  # type: ignore[attr-defined]
    parts = [body or ""]
    for t in tables:
        md = _table_markdown(t.extract())
        if md:
            parts.append(md)
    return "\n\n".join(p for p in parts if p.strip())


def read(path: Path) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        data_head = path.read_bytes()[:1024]
    except OSError as exc:
        raise ExtractionError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if b"%PDF" not in data_head:
        raise ExtractionError(path, "not a PDF (no %PDF header in the first 1 KB)")
    segments: list[Segment] = []
    empty_pages = 0
    try:
        with pdfplumber.open(path) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                text = _page_markdown(page)
                if not text.strip():
                    empty_pages += 1
                    text = "[no text layer on this page]"
                segments.append(Segment(f"<!-- page {number} -->\n\n{text}\n", f"page:{number}"))
                page.close()
    except PDFPasswordIncorrect as exc:
        raise ExtractionError(path, "the PDF needs a password to open; refused (decrypt it first)") from exc
    except ExtractionError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on broken files: fail closed
        raise ExtractionError(path, f"cannot extract the PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if not segments or empty_pages == len(segments):
        raise ExtractionError(path, "no text layer (scanned or image-only PDF); OCR is not supported")
    notes = [f"PDF converted to Markdown ({len(segments)} pages); metadata not carried over"]
    if empty_pages:
        notes.append(f"pages without a text layer: {empty_pages} (their images are not carried over)")
    return Document(path=path, format="pdf", segments=segments, notes=notes, output_suffix=OUTPUT_SUFFIX)


def write(doc: Document, segments: list[str], target: Path,
          seg_edits: list[list[tuple[int, int, str]]] | None = None) -> None:
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("\n".join(segments))
