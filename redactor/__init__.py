"""redactor: make security incident reports safe to share.

Removes what identifies the reporting organisation (internal IPs, hosts, accounts, people,
customers, secrets ...) and keeps what peers need (attacker infrastructure, hashes, CVEs,
ATT&CK IDs, tools, timestamps).
"""
from __future__ import annotations

__version__ = "0.1.0"

from . import entity_types  # noqa: E402

from .api import Conversation, Redactor, Result  # noqa: E402
from .errors import (ExtractionError, FileError, ModelError, ProfileError, RedactorError,  # noqa: E402
                     RefusedError, UnsupportedFormatError, VerificationError, WorkerError)
from .findings import Finding  # noqa: E402
from .profile import Profile  # noqa: E402

__all__ = [
    "Conversation", "ExtractionError", "FileError", "Finding", "ModelError", "Profile",
    "ProfileError", "Redactor", "RedactorError", "RefusedError", "Result",
    "UnsupportedFormatError", "VerificationError", "WorkerError", "__version__", "entity_types",
]
