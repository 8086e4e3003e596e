"""One exception tree; the CLI maps it to exit codes.

    RedactorError                 any failure redactor reports on purpose
    ├── ProfileError              bad redactor.yaml / roster / pattern      -> exit 2, nothing processed
    ├── ModelError                NLP model not installed / unusable        -> exit 2
    ├── WorkerError               worker processes kept dying with no file in hand (`--jobs`):
    │                             the files not finished are not written    -> exit 1
    └── FileError                 one file cannot be processed              -> that file fails, exit 1
        ├── UnsupportedFormatError
        ├── ExtractionError       cannot read / decode / parse the file
        ├── RefusedError          policy refuses the document (TLP gate)
        └── VerificationError     the sanitized output still holds something that must go
"""
from __future__ import annotations


class RedactorError(Exception):
    """Base class of every error redactor raises on purpose."""


class ProfileError(RedactorError):
    """The profile (or a file it names) is invalid. Names the key and the file/line."""


class ModelError(RedactorError):
    """The configured NLP model cannot be used (not installed; never downloaded at run time)."""


class WorkerError(RedactorError):
    """Worker processes of a parallel batch kept dying (killed: the out-of-memory killer, `kill -9`)
    with no file in hand (`parallel.DEATHS_UNNAMED`). A worker that dies with files in hand stops
    nothing: they are done again alone, and one whose worker dies again fails alone (`parallel.py`).
    The batch stops; what finished before is complete (`BatchOptions.on_done` was told of each),
    nothing half-written is left, and the rest is not written (`--resume` does it)."""


class FileError(RedactorError):
    """One input file cannot be processed; nothing is written for it."""

    reason = "error"

    def __init__(self, path: object, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def __reduce__(self) -> tuple[type, tuple[object, str]]:
        # raised in a worker process, re-raised in the parent: rebuilt from both fields
        return type(self), (self.path, self.message)


class UnsupportedFormatError(FileError):
    reason = "unsupported"


class ExtractionError(FileError):
    reason = "extraction"


class RefusedError(FileError):
    reason = "refused"


class VerificationError(FileError):
    reason = "verification"
