"""A tiny, real PDF writer for tests (text in Helvetica, optional ruled table)."""
from __future__ import annotations

from pathlib import Path


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_stream(lines: list[str], table: list[list[str]] | None = None, text: bool = True) -> bytes:
    ops = []
    y = 740
    if text:
        for line in lines:
            ops.append(f"BT /F1 11 Tf 72 {y} Td ({_esc(line)}) Tj ET")
            y -= 16
    if table:
        top, row_h, col_w, left = y - 20, 24, 160, 72
        rows, cols = len(table), len(table[0])
        ops.append("0.8 w")
        for r in range(rows + 1):
            ops.append(f"{left} {top - r * row_h} m {left + cols * col_w} {top - r * row_h} l S")
        for c in range(cols + 1):
            ops.append(f"{left + c * col_w} {top} m {left + c * col_w} {top - rows * row_h} l S")
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                ops.append(f"BT /F1 10 Tf {left + c * col_w + 4} {top - r * row_h - 16} Td ({_esc(cell)}) Tj ET")
    if not text and not table:
        ops.append("0 0 1 rg 72 400 200 200 re f")  # a picture-like filled box, no text
    return "\n".join(ops).encode("latin-1")


def make_pdf(path: Path, pages: list[bytes], junk: bytes = b"") -> bytes:
    objs: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n_pages))
    font_id = 3 + 2 * n_pages
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for i, stream in enumerate(pages):
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode())
        objs.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(junk + b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out) - len(junk))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out) - len(junk)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info << /Author (Tomasz Nowak) >> >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return bytes(out)
