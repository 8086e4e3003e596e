"""The one place Presidio and spaCy objects are built (STYLE.md §4).

`build_engine(profile)` loads the NLP engine from a YAML in `models/` (Presidio's format plus a
`redactor:` section), refuses to download a model that is not installed, and registers our
recognizers — not Presidio's default US-centric registry — plus what the profile adds.
The engine is safe to share between threads: spaCy runs under a lock, recognizers are pure.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine

import recognizers
from recognizers import entity_types as T
from recognizers import prefilter as hyperscan_prefilter
from recognizers.base import RegexRecognizer, Rule, Span
from recognizers.hostnames import ALNUM, WORD
from recognizers.terms import TermsRecognizer

from .cores import usable_cores
from .errors import ModelError, ProfileError
from .policy import org_spellings
from .profile import Profile

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
CHUNK_CHARS = 100_000     # spaCy's limit is 1,000,000; smaller chunks keep memory flat
CHUNK_OVERLAP = 4_000     # line-aligned overlap so nothing crossing a chunk edge is missed
NLP_RECOGNIZERS = frozenset({"NerPersonRecognizer"})   # need spaCy's artifacts
# An engine that has scanned this many chars in all (analysis and verification both count: a bot's
# or the service's many short texts) builds the prefilters too. That costs ~0.75 s of wall time on 2
# cores; then `redact_text` on the samples' 1-2 KB reports takes ~10 % less: 80 rounds of them in one
# process (867,000 chars; built in round ~23), rounds 41-80 took 10.3-13.8 s instead of 12.2-14.8 s.
PREFILTERS_AFTER_CHARS = 500_000


class _NoContext(ContextAwareEnhancer):  # type: ignore[misc]
    """Our recognizers weigh their own context; Presidio's lemma enhancer is not used."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0,
                         context_prefix_count=0, context_suffix_count=0)

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], *a: Any,
                              **k: Any) -> list[RecognizerResult]:
        return raw_results


class LeanSpacyNlpEngine(SpacyNlpEngine):  # type: ignore[misc]
    """spaCy with only the components NER needs; never downloads a missing model."""

    def __init__(self, models: list[dict[str, str]], ner: NerModelConfiguration,
                 exclude: list[str]) -> None:
        super().__init__(models=models, ner_model_configuration=ner)
        self.exclude = exclude

    def load(self) -> None:
        import spacy

        self.nlp = {}
        for model in self.models:
            name = model["model_name"]
            if not (spacy.util.is_package(name) or Path(name).exists()):
                raise ModelError(
                    f"spaCy model '{name}' is not installed; redactor never downloads models at run "
                    f"time. Install its wheel (see models/MODELS.md) or choose another nlp.config.")
            nlp = spacy.load(name, exclude=list(self.exclude))
            _drop_unheard_tok2vec(nlp)
            nlp.max_length = CHUNK_CHARS + CHUNK_OVERLAP + 10
            self.nlp[model["lang_code"]] = nlp


def _drop_unheard_tok2vec(nlp: Any) -> None:
    """Remove shared embedding components that no loaded component listens to.

    In the sm/md/lg pipelines NER embeds with its own tok2vec; the shared `tok2vec` only feeds the
    tagger and parser, which are excluded. Left in, it ran on every text for nothing (a fifth of
    our time on the samples). A pipeline whose NER does listen (trf) keeps it.
    """
    for name in list(nlp.pipe_names):
        pipe = nlp.get_pipe(name)
        if hasattr(pipe, "listening_components") and not pipe.listening_components:
            nlp.remove_pipe(name)


def nlp_config_path(name: str, profile: Profile) -> Path:
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml"):
        base = profile.path.parent if profile.path else Path.cwd()
        path = candidate if candidate.is_absolute() else base / candidate
    else:
        path = MODELS_DIR / f"{name}.yaml"
    if not path.is_file():
        raise ProfileError(f"nlp.config: no NLP engine configuration at {path}")
    return path


def load_nlp_engine(path: Path) -> LeanSpacyNlpEngine:
    conf = yaml.safe_load(path.read_text(encoding="utf-8"))
    if conf.get("nlp_engine_name") != "spacy":
        raise ProfileError(f"{path}: only nlp_engine_name: spacy is supported")
    ner = NerModelConfiguration.from_dict(conf.get("ner_model_configuration", {}))
    exclude = (conf.get("redactor") or {}).get("exclude_components", [])
    engine = LeanSpacyNlpEngine(conf["models"], ner, exclude)
    engine.load()
    return engine


class _NoNlp(SpacyNlpEngine):  # type: ignore[misc]
    """Patterns-only mode: no spaCy model at all."""

    def __init__(self) -> None:
        super().__init__(models=[{"lang_code": "en", "model_name": "none"}])
        self.nlp = {"en": None}

    def load(self) -> None:
        pass

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return _EMPTY_ARTIFACTS


_EMPTY_ARTIFACTS = NlpArtifacts(entities=[], tokens=[], tokens_indices=[], lemmas=[], nlp_engine=None,
                                language="en")


def profile_recognizers(profile: Profile) -> list[Any]:
    recs: list[Any] = []
    people = [e.name for e in profile.employees if e.name]
    people += [f"{n.split()[-1]}, {' '.join(n.split()[:-1])}" for n in people if len(n.split()) > 1]
    lists = (
        (T.ORGANIZATION, profile.org_names + org_spellings(profile), "ProfileOrganizationRecognizer"),
        (T.CUSTOMER, profile.customer_names, "ProfileCustomerRecognizer"),
        (T.PERSON, people, "RosterNameRecognizer"),
        (T.USERNAME, [e.username for e in profile.employees if e.username], "RosterUsernameRecognizer"),
        (T.EMAIL_ADDRESS, [e.email for e in profile.employees if e.email], "RosterEmailRecognizer"),
        (T.AD_DOMAIN, profile.ad_domains, "ProfileAdDomainRecognizer"),
    )
    for entity, terms, name in lists:
        if terms:
            recs.append(TermsRecognizer(entity, terms, name=name))
    if profile.ad_domains:
        alt = "|".join(sorted((d for d in profile.ad_domains), key=len, reverse=True))
        rule = Rule("profile ad domain\\user", rf"(?i)(?<![\w])(?:{alt})\\{{1,2}}(?P<u>{ALNUM}[{WORD}.$-]{{0,63}})",
                    0.95, (("u", T.USERNAME),), engine="regex")
        recs.append(_ProfileAccounts((rule,), name="ProfileAdAccountRecognizer"))
    if profile.customer_id_patterns:
        rules = tuple(Rule(f"customer id pattern {i + 1}", p, 0.95, ((0, T.CUSTOMER_ID),), untrusted=True)
                      for i, p in enumerate(profile.customer_id_patterns))
        recs.append(RegexRecognizer(rules, name="ProfileCustomerIdRecognizer"))
    return recs


class _ProfileAccounts(RegexRecognizer):
    def check(self, cand: Any) -> float | None:
        from recognizers.accounts import is_builtin
        return None if is_builtin(cand.value) else cand.score


@dataclass
class Engine:
    """A built analyzer plus what it was built from. Build once, share everywhere."""

    analyzer: AnalyzerEngine
    profile: Profile
    use_ner: bool

    def __post_init__(self) -> None:
        self._nlp_lock = threading.Lock()
        self.recognizers = list(self.analyzer.registry.recognizers)
        self.whole_text = [r for r in self.recognizers if getattr(r, "WHOLE_TEXT", False)]
        self.chunked = [r for r in self.recognizers if not getattr(r, "WHOLE_TEXT", False)]
        self.entities = sorted({e for rec in self.recognizers for e in rec.supported_entities})
        self._prefilters_built = False
        self._chars_seen = 0
        # the built-in patterns' databases from the disk cache, if a run before stored them (~10 ms):
        # short texts are prefiltered from the first one; the profile's are still built when needed
        hyperscan_prefilter.load_cached(self._prefilters())

    def _prefilters(self) -> list[Any]:
        return [prefilter for rec in self.recognizers if (prefilter := getattr(rec, "prefilter", None)) is not None]

    def build_prefilters(self) -> None:
        """Build every recognizer's Hyperscan prefilter now, on every core. Done by `spans` on the
        first text of `prefilter.COMPILE_FROM_CHARS` chars or once `PREFILTERS_AFTER_CHARS` have been
        scanned, and by `run_batch` before a big batch; a short pre-commit check never pays it."""
        hyperscan_prefilter.warm_all(self._prefilters(), threads=usable_cores())
        self._prefilters_built = True

    def spans(self, text: str, *, ner: bool = True, preamble: str = "") -> list[Span]:
        """(entity, start, end, score, recognizer name) of every recognizer hit on `text`.

        Our own dispatch over the registry instead of `AnalyzerEngine.analyze`: the same
        recognizers and NLP artifacts, without Presidio's per-result bookkeeping (measured: a
        third of the time on a dense log went to its list comprehensions and context step).
        `ner=False` skips spaCy entirely (verification, file names). `preamble`: the table header
        line a streamed window continues (`stream.Window.header`).
        """
        if not self._prefilters_built:
            self._chars_seen += len(text)
            if len(text) >= hyperscan_prefilter.COMPILE_FROM_CHARS or \
                    self._chars_seen >= PREFILTERS_AFTER_CHARS:
                self.build_prefilters()   # all at once, in parallel, not each on its first long chunk
        results: list[Span] = []
        seen: set[tuple[str, int, int]] = set()
        entities = self.entities
        for rec in self.whole_text:   # a table's header and its rows are read together
            for entity, start, end, score, _ in rec.spans(text, preamble=preamble):
                seen.add((entity, start, end))
                results.append((entity, start, end, score, rec.name))
        for offset, chunk in chunks(text):
            artifacts = None
            if ner and self.use_ner:
                view = ner_view(chunk)
                with self._nlp_lock:
                    artifacts = self.analyzer.nlp_engine.process_text(view, "en")
            lower = chunk.lower()
            for rec in self.chunked:
                spans_of = getattr(rec, "spans", None)
                if spans_of is not None:
                    found = spans_of(chunk, lower)
                    name = rec.name
                elif artifacts is None and rec.name in NLP_RECOGNIZERS:
                    continue
                else:
                    name = rec.name
                    found = [(r.entity_type, r.start, r.end, r.score, "") for r in
                             rec.analyze(chunk, entities, artifacts or _EMPTY_ARTIFACTS)]
                for entity, start, end, score, _ in found:
                    key = (entity, start + offset, end + offset)
                    if key not in seen:
                        seen.add(key)
                        results.append((entity, key[1], key[2], score, name))
        return results


_LINE = re.compile(r"[^\n]+")
_KEY_VALUE = re.compile(r'(?:^|[\s,{;|])(?:[\w.@$-]{1,64}=|"[\w.@$ -]{1,64}"\s*:)')
# two words side by side, in any script (`Jürgen Weiß`), but not `k=v k2=`; in decomposed text
# (NFD) a part of a word between combining marks is enough (`rgen Mu` of `Ju\u0308rgen Mu\u0308ller`)
_TWO_WORDS = re.compile(r"(?<![\w=/\\.@-])[^\W\d_][^\W\d_A-Z]+ [^\W\d_][^\W\d_A-Z]+(?![\w=])")


def ner_view(text: str) -> str:
    """What NER reads: `text` with machine-formatted lines blanked out, offsets unchanged.

    A line is machine-formatted when it has no two words side by side (`logged on`, `Tomasz
    Nowak`) and is made of `key=value` fields (two or more), a JSON member, or no letters at
    all. The patterns, the roster and the entity table still read those lines; NER on them
    costs time and finds nothing (the sm model takes `LogonType` and `svchost` for people).
    """
    def blank(m: re.Match[str]) -> str:
        line = m.group(0)
        if _TWO_WORDS.search(line):
            return line
        fields = len(_KEY_VALUE.findall(line))
        if fields >= 2 or (fields == 1 and line.lstrip().startswith('"')) or \
                not any(c.isalpha() for c in line):
            return " " * len(line)
        return line

    return _LINE.sub(blank, text)


def chunks(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> list[tuple[int, str]]:
    """Line-aligned windows of at most ~`size` chars that overlap by ~`overlap` chars."""
    if len(text) <= size:
        return [(0, text)]
    out = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut == -1:
                cut = max(text.rfind(" ", start + size // 2, end), -1)
            end = cut + 1 if cut != -1 else end
        out.append((start, text[start:end]))
        if end >= len(text):
            break
        nxt = end - overlap
        line = text.rfind("\n", start + 1, nxt)
        start = line + 1 if line > start else max(nxt, start + 1)
    return out


def build_engine(profile: Profile, *, use_ner: bool | None = None) -> Engine:
    ner = profile.nlp_enabled if use_ner is None else use_ner
    nlp = load_nlp_engine(nlp_config_path(profile.nlp_config, profile)) if ner else _NoNlp()
    registry = RecognizerRegistry(supported_languages=["en"])
    for rec in recognizers.standard_recognizers(internal_domains=profile.internal_domains,
                                                 hostname_patterns=profile.hostname_patterns,
                                                 use_ner=ner):
        registry.add_recognizer(rec)
    for rec in profile_recognizers(profile):
        registry.add_recognizer(rec)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"],
                              context_aware_enhancer=_NoContext())
    return Engine(analyzer=analyzer, profile=profile, use_ner=ner)
