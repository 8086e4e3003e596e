"""Accuracy floors on the labelled set (tests/data/labeled.jsonl) and the eval command."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_cli
from redactor import evaluate as ev

DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def scores():
    from redactor.engine import build_engine
    from redactor.profile import Profile

    engine = build_engine(Profile.load(DATA / "eval_profile.yaml"))
    return ev.evaluate_ours(engine, ev.load(DATA / "labeled.jsonl"))


def test_set_is_large_enough():
    docs = ev.load(DATA / "labeled.jsonl")
    assert len(docs) >= 30 and all(d["spans"] and d["keep"] for d in docs)


def test_floors(scores):
    assert scores.structured_recall() >= 0.99, scores.missed
    assert scores.recall("PERSON") >= 0.95, scores.missed
    assert scores.keep_rate >= 0.99, scores.lost


def test_eval_command_compares_with_stock_presidio(tmp_path):
    res = run_cli("eval", str(DATA / "labeled.jsonl"), "--config", str(DATA / "eval_profile.yaml"),
                  "--compare-stock", "--json")
    assert res.returncode == 0, res.stderr
    ours, stock = json.loads(res.stdout)
    assert ours["name"] == "redactor" and stock["name"] == "stock Presidio"
    assert ours["structured_recall"] > stock["structured_recall"]
    assert ours["keep_intact"] > stock["keep_intact"]
