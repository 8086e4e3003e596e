"""DOCX -> sanitized DOCX (python-docx for the package, lxml for what it has no API for).

Read (in memory, never the original): tracked changes accepted (insertions kept, deletions
dropped), comments and their anchors removed, images replaced by `[image removed]` (unless
keep_images), then every paragraph of the body, tables (nested too), headers/footers,
footnotes/endnotes and text boxes becomes a segment (runs joined, so an entity split over
runs is still one string), plus field codes, external hyperlink targets and document
properties. Write: edits land in the runs (the first run of an entity keeps its formatting),
comment/people/custom-XML/custom-property/thumbnail parts are dropped, author/company/
manager and similar properties cleared. Verification reads every XML part of the written
package, not only what python-docx exposes.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from ..errors import ExtractionError
from .base import Document, Segment

SUFFIXES = (".docx",)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
IMAGE_PLACEHOLDER = "[image removed]"
MAX_UNCOMPRESSED = 512 * 1024 * 1024      # zip-bomb guard: total expanded size
MAX_RATIO = 200                            # and per-entry expansion ratio
TEXT_PARTS = ("/word/document.xml", "/word/header", "/word/footer", "/word/footnotes.xml",
              "/word/endnotes.xml", "/word/glossary/document.xml")
DROP_RELTYPE_SUFFIXES = ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible",
                         "/people", "/customXml", "/custom-properties", "/thumbnail")
CORE_FIELDS = ("creator", "lastModifiedBy", "keywords", "description", "subject", "category",
               "contentStatus", "identifier", "language", "revision", "version")
APP_FIELDS = ("Company", "Manager", "HyperlinkBase", "Template")


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10_000_000:
                    raise ExtractionError(path, f"zip entry expands {info.file_size // info.compress_size}x "
                                                f"(possible zip bomb); not processed")
                if ".." in info.filename.split("/") or info.filename.startswith("/"):
                    raise ExtractionError(path, "unsafe path inside the package; not processed")
            if total > MAX_UNCOMPRESSED:
                raise ExtractionError(path, f"package expands to {total // 2**20} MiB (limit "
                                            f"{MAX_UNCOMPRESSED // 2**20} MiB); not processed")
    except zipfile.BadZipFile as exc:
        raise ExtractionError(path, "not a valid DOCX (zip) file") from exc


def _root(part: Any) -> Any:
    """The lxml root of an XML part (python-docx keeps some parts as raw blobs)."""
    element = getattr(part, "_element", None)
    if element is not None:
        return element
    cached = getattr(part, "_redactor_root", None)
    if cached is None:
        cached = etree.fromstring(part.blob)
        part._redactor_root = cached
    return cached


def _store(part: Any) -> None:
    root = getattr(part, "_redactor_root", None)
    if root is not None:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _unwrap(el: Any) -> None:
    parent = el.getparent()
    idx = parent.index(el)
    for child in list(el):
        parent.insert(idx, child)
        idx += 1
    parent.remove(el)


def _clean_tree(root: Any, keep_images: bool) -> int:
    """Accept tracked changes, drop comments; returns the number of images removed."""
    for tag in ("del", "moveFrom", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
                "trPrChange", "tcPrChange", "numberingChange", "commentRangeStart",
                "commentRangeEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                "moveToRangeEnd"):
        for el in list(root.iter(_W + tag)):
            el.getparent().remove(el)
    for ref in list(root.iter(_W + "commentReference")):
        run = ref.getparent()
        (run.getparent() if run.tag == _W + "r" else run).remove(run if run.tag == _W + "r" else ref)
    for tag in ("ins", "moveTo"):
        for el in list(root.iter(_W + tag)):
            _unwrap(el)
    for el in list(root.iter(_W + "delText")):  # stray deleted text outside w:del
        el.getparent().remove(el)
    removed = 0
    if not keep_images:
        for tag in ("drawing", "pict", "object"):
            for el in list(root.iter(_W + tag)):
                placeholder = etree.Element(_W + "t")
                placeholder.text = IMAGE_PLACEHOLDER
                el.getparent().replace(el, placeholder)
                removed += 1
    return removed


class _Piece:
    __slots__ = ("el", "start", "end")

    def __init__(self, el: Any, start: int, end: int) -> None:
        self.el, self.start, self.end = el, start, end


def _paragraph_text(p: Any) -> tuple[str, list[_Piece]]:
    text, pieces = [], []
    pos = 0
    for el in p.iter(_W + "t", _W + "instrText", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen"):
        # skip text belonging to a nested paragraph (text boxes)
        anc = el.getparent()
        while anc is not None and anc.tag != _W + "p":
            anc = anc.getparent()
        if anc is not p:
            continue
        if el.tag in (_W + "t", _W + "instrText"):
            s = el.text or ""
            pieces.append(_Piece(el, pos, pos + len(s)))
        else:
            s = {"tab": "\t", "noBreakHyphen": "-"}.get(etree.QName(el).localname, "\n")
        text.append(s)
        pos += len(s)
    return "".join(text), pieces


def read(path: Path, *, keep_images: bool = False) -> Document:
    import docx  # python-docx

    _check_zip(path)
    try:
        wdoc = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a broken package
        raise ExtractionError(path, f"cannot open as DOCX ({type(exc).__name__}: {exc})") from exc
    pkg = wdoc.part.package
    segments: list[Segment] = []
    handles: list[tuple[str, Any]] = []
    notes: list[str] = []
    images = 0
    try:
        for part in list(pkg.iter_parts()):
            name = str(part.partname)
            if not name.startswith(TEXT_PARTS) or not part.content_type.endswith("+xml"):
                continue
            root = _root(part)
            images += _clean_tree(root, keep_images)
            for i, p in enumerate(root.iter(_W + "p")):
                text, pieces = _paragraph_text(p)
                segments.append(Segment(text, f"{name}:p{i}"))
                handles.append(("runs", pieces))
        for source in [pkg, *pkg.iter_parts()]:
            for rId, rel in list(source.rels.items()):
                if rel.is_external:
                    segments.append(Segment(rel.target_ref, f"rel:{rId}"))
                    handles.append(("rel", rel))
        for part in pkg.iter_parts():
            name = str(part.partname)
            if name == "/docProps/core.xml":
                root = _root(part)
                for el in root:
                    if etree.QName(el).localname == "title" and el.text:
                        segments.append(Segment(el.text, "core:title"))
                        handles.append(("prop", el))
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(path, f"broken XML inside the DOCX ({exc})") from exc
    if images:
        notes.append(f"images removed: {images} (replaced by '{IMAGE_PLACEHOLDER}'; no OCR)")
    elif keep_images:
        notes.append("images kept (--keep-images): text inside images is NOT sanitized")
    return Document(path=path, format="docx", segments=segments, notes=notes,
                    meta={"docx": wdoc, "handles": handles, "keep_images": keep_images})


def _edit_runs(path: Path, pieces: list[_Piece], edits: list[tuple[int, int, str]]) -> None:
    """Apply edits (on the paragraph's joined text) to its runs: the replacement goes into
    the first run the entity touches (keeping that run's formatting); the rest of the entity
    is cut from the following runs."""
    for start, end, repl in sorted(edits, reverse=True):
        first = True
        for piece in pieces:
            if piece.end <= start or piece.start >= end:
                continue
            text = piece.el.text or ""
            a, b = max(start, piece.start) - piece.start, min(end, piece.end) - piece.start
            piece.el.text = text[:a] + (repl if first else "") + text[b:]
            piece.el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            first = False
        if first:
            raise ExtractionError(path, "a replacement could not be placed in the document's runs")


def write(doc: Document, segments: list[str], target: Path,
          seg_edits: list[list[tuple[int, int, str]]] | None = None) -> None:
    wdoc = doc.meta["docx"]
    assert seg_edits is not None
    for (kind, handle), new_text, edits in zip(doc.meta["handles"], segments, seg_edits):
        if not edits:
            continue
        if kind == "runs":
            _edit_runs(doc.path, handle, edits)
        elif kind == "rel":
            handle._target = new_text
        elif kind == "prop":
            handle.text = new_text
    pkg = wdoc.part.package
    keep_images = doc.meta.get("keep_images", False)
    for source in [pkg, *pkg.iter_parts()]:
        xml = None
        for rId, rel in list(source.rels.items()):
            if rel.is_external:
                continue
            if rel.reltype.endswith(DROP_RELTYPE_SUFFIXES):
                del source.rels[rId]
            elif rel.reltype.endswith("/image") and not keep_images and source is not pkg:
                if xml is None:
                    xml = etree.tostring(_root(source)).decode("utf-8", "replace")
                if f'"{rId}"' not in xml:  # its picture was removed: drop the image itself
                    del source.rels[rId]
    for part in pkg.iter_parts():
        name = str(part.partname)
        if name == "/docProps/core.xml":
            for el in _root(part):
                if etree.QName(el).localname in CORE_FIELDS:
                    el.text = ""
        elif name == "/docProps/app.xml":
            for el in _root(part):
                local = etree.QName(el).localname
                if local in APP_FIELDS:
                    el.text = ""
                elif local == "TitlesOfParts":  # copies of the title and headings
                    for item in el.iter():
                        if item.text and item.text.strip():
                            item.text = ""
        _store(part)
    try:
        buffer = io.BytesIO()
        wdoc.save(buffer)
        _repack(buffer, target)
    except Exception as exc:
        raise ExtractionError(doc.path, f"cannot write the sanitized DOCX ({type(exc).__name__})") from exc


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _repack(package: io.BytesIO, target: Path) -> None:
    """Write the package with fixed entry times: python-docx stamps each entry with the clock,
    so two runs under one key would differ in bytes though not in content."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            out.writestr(entry, src.read(info.filename))


def verification_text(path: Path) -> str:
    """Every text node and external target in every XML part of the written package."""
    out: list[str] = []
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if not name.endswith((".xml", ".rels")):
                continue
            root = etree.fromstring(zf.read(name))
            if name.endswith(".rels"):
                out.extend(el.get("Target", "") for el in root if el.get("TargetMode") == "External")
                continue
            paragraphs = list(root.iter(_W + "p"))
            for p in paragraphs:
                out.append(_paragraph_text(p)[0])
            # the elements themselves, not their ids: lxml makes a proxy per access and frees it, so an id
            # of one taken here was found again on another element below (text read twice, or left out)
            inside = {t for p in paragraphs for t in p.iter()}
            out.extend(t for el in root.iter() if el not in inside and isinstance(el.tag, str)
                       for t in [el.text] if t and t.strip())
    return "\n".join(out)
