"""A minimal chat-bot webhook handler: redact a message before it is forwarded to a peer
community channel. One `Conversation` per thread keeps pseudonyms consistent inside it.

Run it for real:  python samples/bots/webhook_bot.py  (reads JSON lines on stdin)
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

from redactor import Conversation, Redactor, RefusedError, VerificationError


class ForwardingBot:
    def __init__(self, redactor: Redactor, forward: Callable[[dict[str, Any]], None]) -> None:
        self.redactor = redactor
        self.forward = forward
        self.threads: dict[str, Conversation] = {}

    def handle(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Webhook entry point: {"thread": id, "user": name, "text": message}."""
        conv = self.threads.setdefault(str(payload.get("thread", "")), self.redactor.conversation())
        try:
            result = conv.redact_text(f"{payload.get('user', '')}: {payload['text']}")
        except RefusedError:
            return {"forwarded": False, "reason": "message is marked with a TLP level we do not share"}
        except VerificationError:
            return {"forwarded": False, "reason": "the redacted message failed verification"}
        self.forward({"thread": payload.get("thread"), "text": result.text})
        return {"forwarded": True, "replaced": len(result.replaced)}


if __name__ == "__main__":
    bot = ForwardingBot(Redactor.from_profile("samples/redactor.yaml"),
                        forward=lambda msg: print(json.dumps(msg), flush=True))
    for line in sys.stdin:
        if line.strip():
            bot.handle(json.loads(line))
