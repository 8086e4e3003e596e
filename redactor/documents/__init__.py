"""One adapter per format: `read(path) -> Document` and `write(doc, segments, target)`."""
from __future__ import annotations

from pathlib import Path
from types import ModuleType

from ..errors import UnsupportedFormatError
from . import eml, text
from .base import Document, Segment

__all__ = ["Document", "Segment", "adapter_for", "is_supported", "SUPPORTED_SUFFIXES"]

_ADAPTERS: dict[str, ModuleType] = {s: text for s in text.SUFFIXES} | {s: eml for s in eml.SUFFIXES}
SUPPORTED_SUFFIXES = tuple(sorted(_ADAPTERS))


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in _ADAPTERS


def adapter_for(path: Path) -> ModuleType:
    try:
        return _ADAPTERS[path.suffix.lower()]
    except KeyError:
        raise UnsupportedFormatError(path, f"unsupported format '{path.suffix}' "
                                           f"(supported: {' '.join(SUPPORTED_SUFFIXES)})") from None
