"""The entity table's finder: every occurrence of every known form, whatever the case folding,
and the same occurrences however deep the trie that finds them is factored."""
from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from recognizers import entity_types as T
from recognizers.terms import trie_alternation
from redactor.entities import EntityTable
from redactor.profile import Employee, Profile

settings.register_profile("table", max_examples=300 if os.environ.get("HYPOTHESIS_PROFILE") != "fuzz" else 3000,
                          deadline=None)


def table_with(*entries: tuple[str, str]) -> EntityTable:
    table = EntityTable(Profile())
    for entity, value in entries:
        table.register(entity, value)
    return table


def test_case_folding_across_letters_lower_keeps_apart():
    """Regression: a form matched as `jameſ_k1` or `SRV-KİRAL-01` (case folding reaches letters
    whose lower() is not the form's) raised KeyError, failing the whole file."""
    table = table_with((T.USERNAME, "james_k1"), (T.HOSTNAME, "srv-kiral-01"))
    for text, value in (("login JAMES_K1 ok", "JAMES_K1"), ("login jameſ_k1 ok", "jameſ_k1"),
                        ("host SRV-KİRAL-01 up", "SRV-KİRAL-01"), ("host srv-kıral-01 up", "srv-kıral-01"),
                        ("host SRV-\u212aIRAL-01 up", "SRV-\u212aIRAL-01")):
        ((start, end, key),) = table.find(text)
        assert text[start:end] == value
        assert key == ((T.USERNAME, "james_k1") if "_" in value else (T.HOSTNAME, "srv-kiral-01"))


def test_a_found_name_in_lower_case_is_words_but_the_rosters_is_the_person():
    """What NER took for a person in one text ("Request Forgery", "Single Sign-on") is not hunted
    where another text writes the words in lower case; a roster's name is, in any case."""
    table = table_with((T.PERSON, "Request Forgery"), (T.PERSON, "Maria Berg"))
    text = "Cross-Site Request Forgery; request forgery; MARIA BERG and Maria Berg"
    assert [text[s:e] for s, e, _ in table.find(text) if " " in text[s:e]] == \
        ["Request Forgery", "MARIA BERG", "Maria Berg"]
    roster = EntityTable(Profile(employees=[Employee(name="Maria Berg")]))
    chat = "ping maria berg"
    assert [chat[s:e] for s, e, _ in roster.find(chat)] == ["maria berg"]


def test_a_short_name_in_capitals_is_hunted_from_four_letters():
    """`Nat` of Nat Sakimura is not `NAT` (network address translation); `BERG` of Maria Berg is hers."""
    table = table_with((T.PERSON, "Nat Sakimura"), (T.PERSON, "Maria Berg"))
    text = "NAT on the firewall; TDI driver; BERG wrote; Berg and Tdi"
    table.register(T.PERSON, "Tdi Rao")
    assert [text[s:e] for s, e, _ in table.find(text)] == ["BERG", "Berg", "Tdi"]


def test_a_chat_mention_of_a_short_name_in_lower_case_is_the_person():
    """`@dana` of Dana Whitfield (the `@` stays); not inside an address, nor a decorator (`@dana.x`, `@dana(`),
    nor a longer handle (`@dana_3`), nor `dana` in lower case alone."""
    table = table_with((T.PERSON, "Dana Whitfield"))
    text = "@dana can you approve? cc @dana. Mail x@dana.example; @dana.setup; @dana(1); @dana_3; dana is a word"
    found = [(s, text[s:e]) for s, e, _ in table.find(text)]
    assert found == [(1, "dana"), (27, "dana")], found


def test_turkish_capitals_find_the_form_written_in_lower_case():
    """Regression (KeyError): `IŞIK`.lower() is `işik`, not the registered `ışık`; the dotless and
    dotted i are one letter to `re.IGNORECASE`, so every spelling finds the one entity — whole
    names, host names, and the short forms (`Işık`, `IŞIK`) too."""
    person, host = (T.PERSON, "ayşe işık"), (T.HOSTNAME, "ışık-srv-01")
    table = table_with((T.HOSTNAME, "ışık-srv-01"))
    table.register(T.PERSON, "Ayşe Işık", family="person:ayşe işık")   # a roster's: found in lower case too
    text = "AYŞE IŞIK, ayşe ışık and Ayşe Işık; hosts IŞIK-SRV-01, ışık-srv-01 and İŞİK-SRV-01"
    found = {(text[s:e], key) for s, e, key in table.find(text)}
    assert found == {("AYŞE IŞIK", person), ("ayşe ışık", person), ("Ayşe Işık", person),
                     ("AYŞE", person), ("IŞIK", person), ("Ayşe", person), ("Işık", person),
                     ("IŞIK-SRV-01", host), ("ışık-srv-01", host), ("İŞİK-SRV-01", host)}


def test_many_host_names_sharing_a_prefix():
    hosts = [f"osl-ws-{n:04d}" for n in range(3000)] + ["osl-ws-0001.hb.local", "osl-ws-00"]
    table = table_with(*((T.HOSTNAME, h) for h in hosts))
    text = "a OSL-WS-0001.hb.local b osl-ws-2999 c osl-ws-00 d osl-ws-000 e osl-ws-29999 f xosl-ws-0007"
    assert [text[s:e] for s, e, _ in table.find(text)] == ["OSL-WS-0001.hb.local", "osl-ws-2999", "osl-ws-00"]


_forms = st.lists(st.text(alphabet="ab-.1 ", min_size=1, max_size=8).map(lambda t: " ".join(t.split())).filter(bool),
                  min_size=1, max_size=40)


@settings(settings.get_profile("table"))
@given(forms=_forms, text=st.text(alphabet="abAB-.1 \n", max_size=120))
def test_trie_depth_never_changes_matches(forms, text):
    """Longest form wins at each position, non-overlapping, left to right — the same spans from a
    flat longest-first alternation and from tries factored 1, 4 or 32 levels deep."""
    def spans(body: str) -> list[tuple[int, int]]:
        return [m.span() for m in re.finditer(r"(?<![A-Za-z0-9])(?:" + body + r")(?![A-Za-z0-9])", text, re.I)]

    flat = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in sorted(set(forms), key=len, reverse=True))
    expected = spans(flat)
    for levels in (1, 4, 32):
        assert spans(trie_alternation(forms, levels=levels)) == expected


def test_what_is_not_hunted_does_not_rebuild_the_finder(monkeypatch):
    """Naming registers ARNs' resources and the like in pass 2; they are not hunted as text, so the
    compiled finder (a trie over every form, built again on every change) stays as it is."""
    import redactor.entities

    built: list[int] = []
    monkeypatch.setattr(redactor.entities, "trie_alternation",
                        lambda forms, *a, **k: built.append(len(forms)) or trie_alternation(forms, *a, **k))
    table = table_with((T.HOSTNAME, "fin-ws-042"), (T.USERNAME, "tnowak"))
    assert [k for _, _, k in table.find("tnowak on FIN-WS-042")] == [(T.USERNAME, "tnowak"), (T.HOSTNAME, "fin-ws-042")]
    assert len(built) == 1
    version = table.version
    table.register(T.AWS_ARN, "role/HBank-Prod-Admin")
    table.register(T.IP_ADDRESS, "10.14.7.88")
    assert table.version == version + 2                      # the pseudonyms' memo does see them
    assert len(table.find("tnowak on FIN-WS-042")) == 2 and len(built) == 1
    table.register(T.HOSTNAME, "fin-ws-043")                 # a hunted one does rebuild it
    assert [k for _, _, k in table.find("fin-ws-043")] == [(T.HOSTNAME, "fin-ws-043")] and len(built) == 2
