"""Library surface: Redactor.from_profile, redact_text, check_text, redact_file, conversation."""
from __future__ import annotations

import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

import redactor as pkg
from redactor import Redactor, RefusedError
from redactor.entity_types import HOSTNAME, IP_ADDRESS, PERSON, SECRET

TEXT = ("Ingrid Solberg saw beacons from OSL-WS-1187 (10.14.7.88) to 185.174.136.17; "
        "password=Hunter2Hunter2 was in a script. Later Solberg isolated osl-ws-1187.")


def test_exported_members_are_curated():
    assert {"Redactor", "Result", "Finding", "ProfileError", "RedactorError"} <= set(pkg.__all__)
    for name in pkg.__all__:
        assert hasattr(pkg, name)


def test_redact_text_result_has_text_and_findings(redactor):
    res = redactor.redact_text(TEXT)
    assert "Ingrid" not in res.text and "Solberg" not in res.text
    assert "OSL-WS-1187" not in res.text.upper() and "10.14.7.88" not in res.text
    assert "Hunter2Hunter2" not in res.text and "[SECRET]" in res.text
    assert "185.174.136.17" in res.text
    types = {f.entity_type for f in res.replaced}
    assert {PERSON, HOSTNAME, IP_ADDRESS, SECRET} <= types
    for f in res.replaced:
        assert f.replacement and f.recognizer and 0 < f.score <= 1 and f.end > f.start
    kept = [f for f in res.findings if f.decision == "keep"]
    assert any(TEXT[f.start:f.end] == "185.174.136.17" for f in kept)


def test_same_entity_same_pseudonym_within_text(redactor):
    res = redactor.redact_text(TEXT)
    hosts = {f.replacement for f in res.replaced if f.entity_type == HOSTNAME}
    assert len(hosts) == 1
    persons = [f.replacement for f in res.replaced if f.entity_type == PERSON]
    assert len(set(persons)) == 1 and len(persons) == 2


def test_internal_ip_stays_an_ip_in_its_block(redactor):
    res = redactor.redact_text("hosts 10.14.7.88 and 10.14.7.90 and 10.99.1.1 talked")
    ips = [f.replacement for f in res.replaced if f.entity_type == IP_ADDRESS]
    import ipaddress
    a, b, c = (ipaddress.ip_address(x) for x in ips)
    assert all(x in ipaddress.ip_network("10.0.0.0/8") for x in (a, b, c))
    assert ipaddress.ip_network(f"{a}/24", strict=False) == ipaddress.ip_network(f"{b}/24", strict=False)
    assert ipaddress.ip_network(f"{a}/16", strict=False) != ipaddress.ip_network(f"{c}/16", strict=False)
    assert str(a) != "10.14.7.88"


def test_keyed_pseudonyms_are_stable_across_instances(engine):
    one = Redactor(engine, key=b"k").redact_text(TEXT).text
    two = Redactor(engine, key=b"k").redact_text(TEXT).text
    other = Redactor(engine, key=b"other").redact_text(TEXT).text
    assert one == two and one != other


def test_conversation_keeps_pseudonyms_across_messages(redactor):
    conv = redactor.conversation()
    first = conv.redact_text("Marcus Webb opened the bridge.")
    second = conv.redact_text("Webb closed it at 23:10 UTC.")
    person = next(f.replacement for f in first.replaced if f.entity_type == PERSON)
    assert person in second.text and "Webb" not in second.text


def test_check_text_lists_only_what_would_be_replaced(redactor):
    found = redactor.check_text("user=tnowak from 45.153.160.140 hash 5f4dcc3b5aa765d61d8327deb882cf99")
    assert [f.entity_type for f in found] == ["USERNAME"]


def test_tlp_red_is_refused(redactor):
    with pytest.raises(RefusedError):
        redactor.redact_text("TLP:RED\nDo not share: OSL-WS-1187")


def test_redact_file_writes_sanitized_copy(redactor, tmp_path):
    src = tmp_path / "note.md"
    src.write_text("Host osl-srv-0042.hb.local was wiped by HALVORSEN\\svc_deploy.\n")
    outcome = redactor.redact_file(src, tmp_path / "out" / "note.md")
    text = (tmp_path / "out" / "note.md").read_text()
    assert "osl-srv-0042" not in text and "svc_deploy" not in text and "HALVORSEN" not in text
    assert outcome.status == "written"


def test_threads_give_the_same_results_as_serial(redactor):
    texts = [TEXT, "Priya Raman paged Daniel Okafor about DC01", "user=smarquez host=BRG-LT-2231"] * 4
    serial = [redactor.redact_text(t).text for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda t: redactor.redact_text(t).text, texts))
    assert threaded == serial


def test_redaction_runs_with_network_blocked(bare):
    """conftest blocks non-loopback sockets for the whole suite; prove the guard bites."""
    with pytest.raises(RuntimeError, match="no network"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    res = bare.redact_text("Visit hxxps://evil[.]com/a from fs01.corp.local, mail a@b.example.org")
    assert "hxxps://evil[.]com/a" in res.text and "fs01" not in res.text


class _MissesUsernames(Redactor):
    """As if a recognizer had missed `svc_deploy` in analysis (and the entity table with it):
    only the verification's re-scan can see it."""

    def conversation(self):  # type: ignore[no-untyped-def]
        conv = super().conversation()
        session = conv._session
        analyze = session.analyze

        def missing(text, **kw):  # type: ignore[no-untyped-def]
            found = [f for f in analyze(text, **kw) if f.entity_type != "USERNAME"]
            session.table._forms.clear()
            session.table._version += 1
            return found

        session.analyze = missing  # type: ignore[method-assign]
        return conv


LEAKY = "Staging on osl-srv-0042.hb.local by svc_deploy.\n"


def test_redact_text_is_verified_and_fails_closed(engine):
    """A library call is checked as a written file is: a value analysis missed is not returned."""
    from redactor import VerificationError

    assert "svc_deploy" not in Redactor(engine, key=b"k").redact_text(LEAKY).text
    with pytest.raises(VerificationError, match="verification failed: 1 value\\(s\\) of type USERNAME"):
        _MissesUsernames(engine, key=b"k").redact_text(LEAKY)
    with pytest.raises(VerificationError):
        _MissesUsernames(engine, key=b"k").conversation().redact_text(LEAKY)


def test_the_service_answers_422_and_no_text_when_verification_fails(engine):
    """A real uvicorn server (in this process, so its Redactor can miss a value) and a real client."""
    import threading
    import time

    import httpx
    import uvicorn

    from redactor.server import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(_MissesUsernames(engine, key=b"k")), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        url = f"http://127.0.0.1:{port}"
        leaked = httpx.post(f"{url}/v1/redact", json={"text": LEAKY}, timeout=30)
        assert leaked.status_code == 422
        assert "verification failed" in leaked.json()["error"] and "text" not in leaked.json()
        assert "svc_deploy" not in leaked.text
        clean = httpx.post(f"{url}/v1/redact", json={"text": "Staging on osl-srv-0042.hb.local."}, timeout=30)
        assert clean.status_code == 200 and "osl-srv-0042" not in clean.json()["text"]
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_redact_text_verifies_exactly_where_it_wrote_each_replacement(redactor):
    """The spans verification leaves alone are the replacements `apply` wrote, no more."""
    from redactor.documents.base import replacement_spans
    from redactor.findings import REPLACE
    from redactor.session import Session, apply

    text = "Tomasz Nowak (tnowak) logged on to OSL-WS-1187 from 10.14.7.88, then tnowak again."
    session = Session(redactor.engine, b"k")
    planned = session.plan(text, session.analyze(text))
    out = apply(text, planned)
    edits = [(f.start, f.end, f.replacement) for f in planned if f.decision == REPLACE and f.replacement]
    assert len(edits) >= 4
    assert [out[s:e] for s, e in replacement_spans(edits)] == [r for _, _, r in edits]
