"""`.redactor-manifest.json` in the output folder: which output came from which input bytes
under which configuration, so `--resume` can skip what is current. It holds sanitized output
names, input SHA-256s and a configuration fingerprint — no original value, no key."""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from . import __version__

NAME = ".redactor-manifest.json"


def fingerprint(redactor: Any, keep_images: bool) -> str:
    """Changes whenever the profile, the key, the NER mode, the options or the version do."""
    material = repr((redactor.profile, redactor.engine.use_ner, keep_images, __version__)).encode()
    keyed = hmac.new(redactor.key, b"redactor-manifest", hashlib.sha256).hexdigest()
    return hashlib.sha256(material + keyed.encode()).hexdigest()


class Manifest:
    def __init__(self, outdir: Path, config: str) -> None:
        self.path = outdir / NAME
        self.config = config
        self.files: dict[str, str] = {}
        old = self._load()
        if old.get("config") == config:
            self.files = dict(old.get("files", {}))

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def previous(self) -> dict[str, str]:
        return dict(self.files)

    def record(self, outcome: Any) -> None:
        rel = str(Path(outcome.output).relative_to(self.path.parent))
        self.files[rel] = outcome.sha256
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(NAME + ".tmp")
        tmp.write_text(json.dumps({"version": 1, "config": self.config, "files": self.files},
                                  indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
