"""Which reports are really independent sources.

Two reports count as one source when their documents are near-duplicates (the
same wire copy republished: MinHash over word shingles, Jaccard at or above the
``near_duplicate_jaccard`` setting, as trafilatura's deduplication does with
SimHash), when they carry the same ``attributed_to`` claim ("the White Helmets
said"), or when one publisher reports the same incident twice (an update or a
correction of its own earlier story).
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SHINGLE = 3  # words per shingle
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=4)
def _template(num_perm: int) -> MinHash:
    """A MinHash whose (seeded, fixed) permutations are shared: MinHash() would redraw them per document."""
    return MinHash(num_perm=num_perm)


def signature(text: str, num_perm: int = NUM_PERM) -> bytes:
    """The MinHash signature of a text's word 3-shingles, as bytes (to store and compare)."""
    words = _WORD.findall(text.casefold())
    if len(words) < SHINGLE:
        shingles = [" ".join(words).encode("utf-8")] if words else [b""]
    else:
        shingles = [" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)]
    base = _template(num_perm)
    mh = MinHash(num_perm=num_perm, permutations=base.permutations, scheme=base.scheme)
    mh.update_batch(shingles)
    return mh.hashvalues.astype(np.uint64).tobytes()


def jaccard(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures made by ``signature``.

    The share of equal hash values: ``datasketch.MinHash.jaccard``'s estimator,
    without rebuilding MinHash objects (and their permutations) from bytes.
    """
    ha, hb = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    if ha.shape != hb.shape or not len(ha):
        return 0.0
    return float(np.count_nonzero(ha == hb)) / len(ha)


def _norm(value: str | None) -> str | None:
    text = (value or "").strip().casefold()
    return text or None


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)


def source_groups(
    publishers: Sequence[str | None],
    claims: Sequence[str | None],
    signatures: Sequence[bytes | None],
    threshold: float,
) -> list[int]:
    """For each report, the index of the first report of its source group.

    Reports are grouped when they share a publisher, an ``attributed_to`` claim,
    or near-duplicate text. The pairwise comparison is over one incident's
    reports only, never the store.
    """
    n = len(publishers)
    uf = _UnionFind(n)
    first: dict[tuple[str, str], int] = {}
    for i in range(n):
        for kind, value in (("publisher", _norm(publishers[i])), ("claim", _norm(claims[i]))):
            if value is None:
                continue
            key = (kind, value)
            if key in first:
                uf.union(first[key], i)
            else:
                first[key] = i
    for i in range(n):
        sig_i = signatures[i]
        if sig_i is None:
            continue
        for j in range(i):
            sig_j = signatures[j]
            if sig_j is not None and uf.find(i) != uf.find(j) and jaccard(sig_i, sig_j) >= threshold:
                uf.union(i, j)
    return [uf.find(i) for i in range(n)]
