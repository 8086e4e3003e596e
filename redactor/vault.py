"""The optional mapping vault: pseudonym -> original values, for the originator only.

AES-256-GCM (`cryptography`) under a key derived (HKDF-SHA256) from the profile's pseudonym
key; never written without a key. File: b"RDV1" + 12-byte nonce + ciphertext of a JSON map.
Merged on every run (a pseudonym keeps every original it stood for), written atomically.
A wrong key fails clearly; the key itself is never stored anywhere.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import RedactorError

MAGIC = b"RDV1"


class VaultError(RedactorError):
    """The vault cannot be read or written (wrong key, damaged file)."""


def _aead(key: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"redactor-vault-v1",
                   info=b"pseudonym vault").derive(key)
    return AESGCM(derived)


def read(path: Path, key: bytes) -> dict[str, list[str]]:
    if not path.exists():
        return {}
    data = path.read_bytes()
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 12 + 16:
        raise VaultError(f"{path}: not a redactor vault")
    nonce, ciphertext = data[4:16], data[16:]
    try:
        plain = _aead(key).decrypt(nonce, ciphertext, MAGIC)
    except InvalidTag:
        raise VaultError(f"{path}: cannot be decrypted with this key (wrong REDACTOR_KEY/key_file?)") from None
    mapping: dict[str, list[str]] = json.loads(plain)
    return mapping


def merge(path: Path, key: bytes, new: dict[str, set[str]]) -> int:
    """Add `new` (pseudonym -> originals) to the vault; returns the number of pseudonyms."""
    mapping = read(path, key)
    for pseudonym, originals in new.items():
        mapping[pseudonym] = sorted(set(mapping.get(pseudonym, [])) | originals)
    nonce = os.urandom(12)
    blob = MAGIC + nonce + _aead(key).encrypt(nonce, json.dumps(mapping, sort_keys=True).encode(), MAGIC)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(blob)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return len(mapping)
