"""Pseudonym numbers depend on the batch's entities, not on the order files are read in or on
`--jobs`: with enough hosts, two names' numbers collide and one probes onward; which one must
not depend on which was seen first."""
from __future__ import annotations

import random

import pytest

from redactor import stream
from redactor.batch import STATUS_WRITTEN, BatchOptions, collect, run_batch
from redactor.engine import build_engine
from redactor.naming import PseudonymBook
from redactor.profile import Profile
from redactor.pseudonyms import Pseudonymizer

KEY = b"numbering-key"
HOSTS = 1500


@pytest.fixture(scope="module")
def engine():
    return build_engine(Profile.load("samples/redactor.yaml"), use_ner=False)


def write_batch(folder, seed=1):
    rng = random.Random(seed)
    hosts = [f"OSL-WS-{n}" for n in rng.sample(range(1000, 9999), HOSTS)]
    fqdns = [f"srv-{n}.ops.hb.local" for n in rng.sample(range(1000, 9999), 300)]
    folder.mkdir()
    for part in range(3):
        lines = [f"2024-05-11T10:00:{i % 60:02d}Z host={rng.choice(hosts)} dst={rng.choice(fqdns)} "
                 f"src_ip=10.14.{rng.randrange(256)}.{rng.randrange(256)} user=tnowak\n" for i in range(900)]
        (folder / f"part{part}.log").write_text("".join(lines))
    return hosts


def outputs(engine, src, out, *, jobs=1, reverse=False):
    files, _ = collect([src], out)
    if reverse:
        files = files[::-1]
    result = run_batch(engine, KEY, files, out, BatchOptions(jobs=jobs))
    assert [o.status for o in result] == [STATUS_WRITTEN] * len(files)
    return {o.relative.name: o.output.read_text() for o in result}


def test_numbers_do_not_depend_on_reading_order_or_jobs(engine, tmp_path):
    hosts = write_batch(tmp_path / "in")
    # the batch is big enough that first tries collide (else this test could not fail)
    p = Pseudonymizer(KEY)
    tag = PseudonymBook._tag("HOSTNAME")
    first_tries = [p.number(tag, f"HOSTNAME:{h.lower()}") for h in hosts]
    assert len(set(first_tries)) < len(first_tries)
    in_order = outputs(engine, tmp_path / "in", tmp_path / "a")
    assert outputs(engine, tmp_path / "in", tmp_path / "b", reverse=True) == in_order
    assert outputs(engine, tmp_path / "in", tmp_path / "c", jobs=2) == in_order
    text = "".join(in_order.values())
    assert "OSL-WS-" not in text and "hb.local" not in text


def test_a_streamed_file_in_workers_is_named_as_in_one_process(engine, tmp_path, monkeypatch):
    write_batch(tmp_path / "in", seed=2)
    monkeypatch.setattr(stream, "STREAM_BYTES", 0)
    monkeypatch.setattr(stream, "WINDOW_CHARS", 20_000)
    monkeypatch.setattr(stream, "CONTEXT_CHARS", 500)
    one = outputs(engine, tmp_path / "in", tmp_path / "a")
    assert outputs(engine, tmp_path / "in", tmp_path / "b", jobs=2) == one


def test_a_remembered_replacement_follows_the_table(engine):
    """Replacements are remembered (a log names the same user and host on every line), but a
    registration can change what a name stands for: `Brattbakk` found alone is a person of its own,
    and is Eirik Brattbakk's surname once he is registered. Host names are replaced alike in any case."""
    from redactor.session import Session
    from recognizers import entity_types as T

    session = Session(engine, KEY)
    book = session.book
    session.register(T.PERSON, "Brattbakk")
    alone = book.replacement(T.PERSON, "Brattbakk")
    assert book.replacement(T.PERSON, "Brattbakk") == alone
    session.register(T.PERSON, "Eirik Brattbakk")
    assert book.replacement(T.PERSON, "Brattbakk") == book.replacement(T.PERSON, "Eirik Brattbakk") != alone
    session.register(T.HOSTNAME, "FINWS042")
    assert book.replacement(T.HOSTNAME, "finws042") == book.replacement(T.HOSTNAME, "FINWS042")
    assert book.replacement(T.HOSTNAME, "FinWS042").startswith("HOST-")
