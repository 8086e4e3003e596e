"""One adapter per format: `read(path) -> Document` and `write(doc, segments, target)`."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ..errors import UnsupportedFormatError
from . import eml, pdf, text, word
from .base import Document, Segment

__all__ = ["Document", "Segment", "adapter_for", "is_supported", "read_document", "verification_text",
           "SUPPORTED_SUFFIXES"]

_ADAPTERS: dict[str, ModuleType] = {s: m for m in (text, eml, word, pdf) for s in m.SUFFIXES}
SUPPORTED_SUFFIXES = tuple(sorted(_ADAPTERS))


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in _ADAPTERS


def adapter_for(path: Path) -> ModuleType:
    try:
        return _ADAPTERS[path.suffix.lower()]
    except KeyError:
        raise UnsupportedFormatError(path, f"unsupported format '{path.suffix}' "
                                           f"(supported: {' '.join(SUPPORTED_SUFFIXES)})") from None


def read_document(path: Path, *, keep_images: bool = False) -> Document:
    adapter = adapter_for(path)
    if adapter is word:
        return word.read(path, keep_images=keep_images)
    return adapter.read(path)  # type: ignore[no-any-return]


def verification_text(path: Path) -> str:
    """Everything a reader of the written file could see, for the verify step."""
    adapter = adapter_for(path)
    if hasattr(adapter, "verification_text"):
        return adapter.verification_text(path)  # type: ignore[no-any-return]
    return adapter.read(path).text  # type: ignore[no-any-return]
