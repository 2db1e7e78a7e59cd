"""Near-exact copies: MinHash of word 3-shingles over normalised text, with LSH band keys.

Wire copy republished by another outlet differs in a by-line, a heading, a changed word here and there;
its shingles stay mostly the same. Independent translations of one report share few shingles and are
left to the story level.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import MinHash


PERMUTATIONS = 64
# 16 bands of 4 rows: two texts with Jaccard 0.7 share a band with probability 0.998, with 0.3 about 0.12.
BANDS = 16
SHINGLE_WORDS = 3
_WORD = re.compile(r"\w+")


def copy_signature(cleaned: str) -> np.ndarray:
    """MinHash of the word shingles of a text already through ``clean_text``: PERMUTATIONS uint32
    values, 256 bytes."""
    words = _WORD.findall(cleaned.lower())
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    signature = MinHash(num_perm=PERMUTATIONS, seed=1)
    signature.update_batch(sorted(shingles))
    return signature.hashvalues.astype(np.uint32)


def copy_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(a == b))


def band_keys(signature: np.ndarray) -> list[str]:
    """One key per band; texts that share a key are copy candidates."""
    rows = len(signature) // BANDS
    return [
        f"{band}:{hashlib.blake2b(signature[band * rows : (band + 1) * rows].tobytes(), digest_size=6).hexdigest()}"
        for band in range(BANDS)
    ]
