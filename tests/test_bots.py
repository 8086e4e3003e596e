"""The sample bot in samples/bots runs for real: forwarded messages are sanitized and one
person keeps one pseudonym across a thread."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "samples" / "bots"))

from webhook_bot import ForwardingBot  # noqa: E402


def test_bot_forwards_sanitized_messages(redactor):
    sent = []
    bot = ForwardingBot(redactor, sent.append)
    bot.handle({"thread": "t1", "user": "Priya Raman", "text": "OSL-WS-1187 beacons to 185.174.136.17"})
    bot.handle({"thread": "t1", "user": "Daniel Okafor", "text": "Raman, isolate it; tnowak is on leave"})
    assert bot.handle({"thread": "t1", "user": "x", "text": "TLP:RED plan"})["forwarded"] is False
    assert len(sent) == 2
    text = "\n".join(m["text"] for m in sent)
    for leak in ("Priya", "Raman", "Daniel", "Okafor", "OSL-WS-1187", "tnowak"):
        assert leak not in text
    assert "185.174.136.17" in text
    first_speaker = sent[0]["text"].split(":")[0]
    assert first_speaker.startswith("PERSON-") and first_speaker in sent[1]["text"]


def test_bot_script_runs():
    payloads = "\n".join(json.dumps(p) for p in [
        {"thread": "a", "user": "Marcus Webb", "text": "bridge is open"},
        {"thread": "a", "user": "Marcus Webb", "text": "closing now"},
    ])
    res = subprocess.run([sys.executable, str(ROOT / "samples" / "bots" / "webhook_bot.py")], input=payloads,
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    msgs = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(msgs) == 2 and "Marcus" not in res.stdout
    assert msgs[0]["text"].split(":")[0] == msgs[1]["text"].split(":")[0]


def test_bot_forwards_nothing_that_failed_verification(engine):
    from test_api import LEAKY, _MissesUsernames

    sent: list[dict] = []
    bot = ForwardingBot(_MissesUsernames(engine, key=b"k"), sent.append)
    assert bot.handle({"thread": "t1", "user": "soc", "text": LEAKY}) == {
        "forwarded": False, "reason": "the redacted message failed verification"}
    assert sent == []
