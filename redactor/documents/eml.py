"""Email messages (.eml), parsed with the standard library's `email` package.

Headers and decoded text bodies (base64 / quoted-printable are decoded, never passed through
raw) become segments. Attachments and non-text parts are dropped with a report line;
signature headers (DKIM/ARC), invalid after any change, are dropped too. The output is a
fresh, well-formed message with the sanitized headers and text bodies (UTF-8, 8bit).
"""
from __future__ import annotations

import email
import email.errors
import email.policy
import hashlib
from email.message import EmailMessage
from pathlib import Path

from ..errors import ExtractionError
from .base import Document, Segment

SUFFIXES = (".eml",)
DROPPED_HEADERS = frozenset({
    "dkim-signature", "arc-seal", "arc-message-signature", "arc-authentication-results",
    "x-google-dkim-signature", "content-type", "content-transfer-encoding", "mime-version",
})


def read(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExtractionError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ExtractionError(path, "empty email file")
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
        segments: list[Segment] = []
        headers: list[str] = []
        notes: list[str] = []
        dropped = 0
        for name, value in msg.items():
            if name.lower() in DROPPED_HEADERS:
                dropped += name.lower() not in ("content-type", "content-transfer-encoding", "mime-version")
                continue
            headers.append(name)
            segments.append(Segment(f"{name}: {value}", f"header:{name}"))
        bodies: list[str] = []
        for i, part in enumerate(msg.walk()):
            if part.is_multipart():
                continue
            disposition = part.get_content_disposition()
            if part.get_content_maintype() == "text" and disposition != "attachment":
                segments.append(Segment(part.get_content(), f"body:{i}:{part.get_content_subtype()}"))
                bodies.append(part.get_content_subtype())
            else:
                notes.append(f"attachment dropped: part {i} ({part.get_content_type()})")
    except (LookupError, ValueError, UnicodeError, AttributeError) as exc:
        raise ExtractionError(path, f"cannot parse email ({type(exc).__name__})") from exc
    if dropped:
        notes.append(f"signature headers dropped: {dropped}")
    return Document(path=path, format="eml", segments=segments, notes=notes,
                    meta={"headers": headers, "bodies": bodies})


def write(doc: Document, segments: list[str], target: Path,
          seg_edits: list[list[tuple[int, int, str]]] | None = None) -> None:
    headers: list[str] = doc.meta["headers"]
    bodies: list[str] = doc.meta["bodies"]
    msg = EmailMessage(policy=email.policy.default)
    try:
        for name, text in zip(headers, segments):
            prefix = f"{name}: "
            value = text[len(prefix):] if text.startswith(prefix) else text
            msg[name] = value.replace("\r", " ").replace("\n", " ")
        for n, (subtype, text) in enumerate(zip(bodies, segments[len(headers):])):
            cte = "8bit" if all(len(line) < 990 for line in text.splitlines()) else "quoted-printable"
            if n == 0:
                msg.set_content(text, subtype=subtype, charset="utf-8", cte=cte)
            elif subtype == "html":
                msg.add_alternative(text, subtype="html", charset="utf-8", cte=cte)
            else:
                msg.add_attachment(text, subtype=subtype, charset="utf-8", cte=cte, disposition="inline")
        if msg.is_multipart():  # a boundary from the content, so keyed runs are byte-identical
            digest = hashlib.sha256("\x00".join(segments).encode("utf-8")).hexdigest()[:32]
            for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
                part.set_boundary(f"=_redactor_{digest}_{n}")
        data = msg.as_bytes()
    except (ValueError, TypeError, email.errors.HeaderParseError) as exc:
        raise ExtractionError(doc.path, f"cannot rebuild the sanitized email ({type(exc).__name__})") from exc
    target.write_bytes(data)
