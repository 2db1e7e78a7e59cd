"""Event similarity of two articles, and the cheap signals that pick which stored articles to compare.

Different outlets' reports of one event share the topic, not the sentences: document-level similarity
carries over between data sets where sentence-alignment thresholds do not (SemEval-2022 Task 8). The
event similarity is one logistic model for every language pair over language-independent signals
(``EVENT_SIGNALS``), fitted on the SemEval dev pairs of all languages (``event_model``, shipped in
``data/event_model.json``):

- ``document``: cosine of the document vectors (mean of sentences and whole text, ``sentence_embedder``);
- ``lead``: cosine of the two first sentences (title or lead: what the report is about);
- ``names``: log(1 + the rarity of the shared names): capitalised words, most of which keep their
  spelling across languages, each weighted by how rare it is in general German and English text
  (``name_rarity``), so that "Bocelli" or "Pell" says more than "Trump" or "Regierung";
- ``numbers``: Jaccard of the number sets, digits only so that 11.000 (de) and 11,000 (en) meet;
- ``places``: Jaccard of the places named (``place_gazetteer``: one name per place in any language);
- ``same_lang`` and ``cross_de``: the language pair, so that one model can hold the lower cosines of a
  translation gap, and those of a German text against another language in particular.

Candidate signals must hold across languages too: numbers, names, and coarse buckets of the
multilingual document vector, so that a pair with neither figures nor names in common can still meet.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from wordfreq import zipf_frequency

from processors.place_gazetteer import find_places
from processors.sentences import sentences

EVENT_SIGNALS = ("document", "lead", "names", "numbers", "places", "same_lang", "cross_de")
MAX_NUMBER_SIGNALS = 16
# Distinct places kept per article, in order of first mention: news texts rarely name more.
MAX_PLACES = 16
# Names kept per article for the names signal (the texts' distinct capitalised words rarely exceed it);
# the most repeated MAX_NAME_KEYS of them also pick candidates, which bounds the store's work.
MAX_NAMES = 48
MAX_NAME_KEYS = 24
# Zipf frequency (log10 of occurrences per billion words) at and above which a name weighs nothing:
# words more common than 1 in 10,000, such as "Trump" or "Regierung", name no particular event.
# 5 was the best of 5, 6 and 7 out of fold (0.774, 0.768, 0.762 de-en F1 over 50 shuffles).
COMMON_ZIPF = 5.0
# Whose frequency lists judge rarity: the languages tallywire groups. wordfreq's "small" lists
# (about 8 MiB in memory) score the dev set as well as its "large" ones (about 100 MiB).
RARITY_LANGUAGES = ("de", "en")
# 8 buckets of 6 random-hyperplane bits: documents at cosine 0.7 share one with probability ~0.85.
VECTOR_BANDS = 8
VECTOR_BITS = 6
_NUMBER = re.compile(r"\d[\d.,']*\d|\d")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_HYPERPLANES = np.random.default_rng(2022).standard_normal((VECTOR_BANDS * VECTOR_BITS, 1024)).astype(np.float32)


@dataclass(frozen=True)
class EventView:
    """What the event signals read of one article."""

    lang: str
    document: np.ndarray  # unit-scale document vector
    lead: np.ndarray  # the first sentence's row
    names: tuple[str, ...]
    numbers: tuple[str, ...]
    places: tuple[str, ...]


def event_signals(a: EventView, b: EventView) -> np.ndarray:
    """The EVENT_SIGNALS of a pair, in that order; symmetric in a and b."""
    return np.array([
        float(a.document @ b.document),
        float(a.lead @ b.lead),
        math.log1p(sum(name_rarity(name) for name in set(a.names) & set(b.names))),
        jaccard(a.numbers, b.numbers),
        jaccard(a.places, b.places),
        float(a.lang == b.lang),
        float(a.lang != b.lang and "de" in (a.lang, b.lang)),
    ])


def jaccard(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    union = len(set(a) | set(b))
    return len(set(a) & set(b)) / union if union else 0.0


def event_similarity(signals: np.ndarray, weights: tuple[float, ...]) -> float:
    """Logistic score of the signals: ``weights`` is the intercept, then one weight per signal."""
    z = weights[0] + float(np.dot(weights[1:], signals))
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def numbers(cleaned_text: str) -> list[str]:
    """Digits only, so that 11.000 (de) and 11,000 (en) meet; single digits say nothing."""
    digits = Counter(re.sub(r"\D", "", n) for n in _NUMBER.findall(cleaned_text))
    return [d for d, _ in digits.most_common() if len(d) >= 2][:MAX_NUMBER_SIGNALS]


def names(cleaned_text: str) -> list[str]:
    """Capitalised words not opening a sentence, the most repeated first: names in English; in German
    nouns too, which still say what the text is about. Lower-cased and folded to ASCII, so that
    Erdoğan (en) and Erdogan (de) meet."""
    found: Counter[str] = Counter()
    for sentence in sentences(cleaned_text):
        for word in _WORD.findall(sentence.text)[1:]:
            if len(word) >= 4 and word[0].isupper():
                found[_ascii_fold(word.lower())] += 1
    return [w for w, _ in sorted(found.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))][:MAX_NAMES]


def places(cleaned_text: str, lang: str) -> list[str]:
    """The distinct places the text names, by their gazetteer name (the same in every language), in
    order of first mention."""
    return list(dict.fromkeys(m.name for m in find_places(cleaned_text, lang)))[:MAX_PLACES]


def _ascii_fold(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii") or word


@lru_cache(maxsize=1 << 16)
def name_rarity(name: str) -> float:
    """How far below COMMON_ZIPF the name's frequency lies in the commonest of RARITY_LANGUAGES: 0 for
    everyday words, about 5 for a name no frequency list holds."""
    return max(0.0, COMMON_ZIPF - max(zipf_frequency(name, lang, wordlist="small") for lang in RARITY_LANGUAGES))


def vector_buckets(document: np.ndarray) -> list[str]:
    bits = (_HYPERPLANES @ document > 0).reshape(VECTOR_BANDS, VECTOR_BITS)
    return [f"v:{band}:{int(''.join('1' if b else '0' for b in row), 2)}" for band, row in enumerate(bits)]
