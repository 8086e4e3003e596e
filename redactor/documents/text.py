"""Plain-text formats (.txt .md .log .csv .tsv .json .jsonl .ndjson .yaml .yml .xml): one segment, same format out.

Decodes UTF-8 (with or without BOM) and UTF-16 with a BOM; anything else, or binary content
behind a text extension, is refused with a clear message. Newlines and the BOM are preserved.
"""
from __future__ import annotations

import codecs
from collections.abc import Iterable
from pathlib import Path

from ..errors import ExtractionError
from .base import Document, Segment

# (also what a report's folder holds beside it: a Kubernetes manifest, Event Viewer's XML export, NDJSON from a SIEM)
SUFFIXES = (".txt", ".md", ".log", ".csv", ".json", ".markdown", ".text", ".tsv", ".jsonl", ".ndjson", ".yaml", ".yml",
            ".xml")


def encoding_for(head: bytes) -> str:
    """utf-8-sig / utf-16 by their BOM, else utf-8 (the first bytes of a file suffice)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8"


def decode(data: bytes, path: Path) -> tuple[str, str]:
    enc = encoding_for(data[:4])
    if enc == "utf-8" and b"\x00" in data:
        raise ExtractionError(path, "binary content (NUL bytes) behind a text extension; not processed")
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError as exc:
        raise undecodable(path, enc, [data], exc) from exc


def first_bad_byte(blocks: Iterable[bytes], enc: str) -> int | None:
    """The file offset of the first byte that does not decode as `enc`, over the file's bytes in
    `blocks` (the BOM counted: `bytes.decode("utf-8-sig")` counts from after it), or None."""
    skip = len(codecs.BOM_UTF8) if enc == "utf-8-sig" else 0
    decoder = codecs.getincrementaldecoder("utf-8" if skip else enc)()
    offset = 0
    for block in blocks:
        if offset < skip:
            block, offset = block[skip - offset:], offset + min(len(block), skip - offset)
        try:
            decoder.decode(block)
        except UnicodeDecodeError as exc:   # counted from the bytes still held back, then `block`
            return offset - len(decoder.buffer) + exc.start
        offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        return offset - len(decoder.buffer) + exc.start
    return None


def undecodable(path: Path, enc: str, blocks: Iterable[bytes], exc: UnicodeDecodeError) -> ExtractionError:
    """The one message for a text that does not decode, read whole or in windows (`stream`)."""
    at = first_bad_byte(blocks, enc)
    where = f"at byte {at}" if at is not None else f"({exc.reason})"
    return ExtractionError(path, f"not valid {enc} text {where}; convert it to UTF-8 (e.g. iconv -f latin1 -t utf-8)")


def read(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not data:
        raise ExtractionError(path, "empty file (0 bytes); nothing to sanitize")
    text, enc = decode(data, path)
    return Document(path=path, format="text", segments=[Segment(text, "text")], meta={"encoding": enc})


def write(doc: Document, segments: list[str], target: Path,
          seg_edits: list[list[tuple[int, int, str]]] | None = None) -> None:
    with open(target, "wb") as fh:
        fh.write(segments[0].encode(doc.meta.get("encoding", "utf-8")))
