"""spaCy's attribute ruler and lemmatizer, memoised per token: same output, a fraction of the time.

In ``en_core_web_sm`` the ``attribute_ruler`` (179 Matcher patterns mapping the
fine tag, and a few words, to POS and morphology) and the rule ``lemmatizer``
together cost about 60 % as much as the tagger and parser on the sentences rasd
parses, because both walk every token in Python. Yet almost everything they set
is a function of the token alone: its text, its fine tag and its dependency
label (every single-token pattern tests only ``TAG``, ``LOWER``, ``DEP`` and
``IS_SPACE``; the lemmatizer reads the text, POS and morphology those give).

``TokenAttributes`` runs the two real components on a document the first time it
sees one of its (text, tag, dep) triples and remembers what they assigned; a
document whose every triple is known gets POS, morphology and lemma in one
``Doc.from_array`` call. Documents that one of the ruler's multi-token patterns
matches ("gon na", "y' all", "there were") always take the real components and
teach nothing, since there a token's attributes depend on its neighbours. So
the output is the real components' output, token for token (tested against
them in ``tests/test_token_attributes.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

# a cache this large (about 40 MB) stops learning; the triples of news text repeat long before
MAX_ENTRIES = 400_000

_KEY_ATTRS = [ORTH, TAG, DEP]
_OUT_ATTRS = [POS, MORPH, LEMMA]


class TokenAttributes:
    """A pipeline component standing in for ``attribute_ruler`` + ``lemmatizer`` (which it calls)."""

    def __init__(self, nlp: Language, ruler: Any, lemmatizer: Any, max_entries: int = MAX_ENTRIES) -> None:
        self.vocab = nlp.vocab
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.max_entries = max_entries
        self.cache: dict[tuple[int, int, int], tuple[int, ...]] = {}
        self.learned = self.whole = 0  # triples learned; documents given to the real components whole
        # the ruler's patterns over more than one token: where they match, a token's attributes depend on context
        self.context_matcher = Matcher(nlp.vocab)
        # for each such pattern, the words and labels a document must hold for it to match at all
        self.context_needs: list[list[frozenset[int]]] = []
        for rule in ruler.patterns:
            long_ones = [p for p in rule["patterns"] if len(p) > 1]
            if long_ones:
                self.context_matcher.add(f"context-{len(self.context_matcher)}", long_ones)
                self.context_needs += [_needs(p, nlp.vocab.strings) for p in long_ones]

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            return doc
        array = doc.to_array(_KEY_ATTRS + [IS_SPACE, LOWER])
        # whitespace tokens get their tag and label changed by the ruler; multi-token patterns read neighbours
        if array[:, 3].any() or self._in_context(doc, array):
            self.whole += 1
            return self.lemmatizer(self.ruler(doc))
        keys = list(map(tuple, array[:, :3].tolist()))
        cache = self.cache
        missing = {k for k in keys if k not in cache}
        if not missing:
            values = [cache[k] for k in keys]
        else:
            new = self._learn(missing)
            values = [cache.get(k) or new[k] for k in keys]
        doc.from_array(_OUT_ATTRS, numpy.array(values, dtype="uint64"))  # type: ignore[arg-type]
        return doc

    def _in_context(self, doc: Doc, array: numpy.ndarray) -> bool:
        """Whether a multi-token pattern of the ruler matches the document (cheap test first)."""
        present = set(array[:, 4].tolist()) | set(array[:, 2].tolist())
        if not any(all(need & present for need in needs) for needs in self.context_needs):
            return False
        return bool(self.context_matcher(doc, allow_missing=True))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def _learn(self, missing: set[tuple[int, int, int]]) -> dict[tuple[int, int, int], tuple[int, ...]]:
        """Run the real components once over the unseen triples, as a document of isolated tokens.

        Each token is its own head; should a multi-token pattern match across two
        neighbours, the probe is made again with a comma between every two tokens, so
        each token gets what it would get anywhere.
        Returns what it learned, also kept in the cache while the cache has room."""
        strings = self.vocab.strings
        order = sorted(missing)
        words = [strings[orth] for orth, _, _ in order]
        tags = [strings[tag] for _, tag, _ in order]
        deps = [strings[dep] for _, _, dep in order]
        step = 1
        probe = self._probe(words, tags, deps)
        if self._in_context(probe, probe.to_array(_KEY_ATTRS + [IS_SPACE, LOWER])):
            step = 2
            probe = self._probe(
                [x for w in words for x in (w, ",")], [x for t in tags for x in (t, ",")], [x for d in deps for x in (d, "punct")]
            )
        probe = self.lemmatizer(self.ruler(probe))
        values = probe.to_array(_OUT_ATTRS)[0::step].tolist()
        self.learned += len(order)
        new = {key: tuple(value) for key, value in zip(order, values)}
        if len(self.cache) < self.max_entries:
            self.cache.update(new)
        return new

    def _probe(self, words: list[str], tags: list[str], deps: list[str]) -> Doc:
        n = len(words)
        return Doc(self.vocab, words=words, spaces=[True] * n, tags=tags, deps=deps, heads=list(range(n)))


def _needs(pattern: list[dict[str, Any]], strings: Any) -> list[frozenset[int]]:
    """Per token of a pattern that names its words ("LOWER") or label ("DEP") outright, the hashes it accepts."""
    out = []
    for token in pattern:
        for attr in ("LOWER", "DEP"):
            value = token.get(attr)
            if isinstance(value, str):
                out.append(frozenset({strings.add(value)}))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                out.append(frozenset(strings.add(v) for v in value["IN"]))
    return out


def install(nlp: Language) -> Language:
    """Put ``TokenAttributes`` in place of ``attribute_ruler`` and ``lemmatizer`` (both disabled, kept).

    A pipeline without both components is returned unchanged."""
    if "attribute_ruler" not in nlp.pipe_names or "lemmatizer" not in nlp.pipe_names:
        return nlp
    nlp.add_pipe("rasd_token_attributes", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")
    nlp.disable_pipe("lemmatizer")
    return nlp


@Language.factory("rasd_token_attributes")
def _make(nlp: Language, name: str) -> TokenAttributes:
    return TokenAttributes(nlp, nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))
