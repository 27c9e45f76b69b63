"""The memoised attribute ruler + lemmatizer gives exactly what spaCy's own components give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from rasd import nlp, settings
from rasd.token_attributes import TokenAttributes

ROOT = Path(__file__).resolve().parent.parent

# sentences chosen to reach every kind of ruler pattern: tag-only, word-specific ("been",
# "n't", "its"), label-specific ("I" as subject or object, "did" as ROOT or aux, "that"
# as pronoun or determiner) and the multi-token ones ("gon na", "got ta", "let's",
# "y'all", "there were"), plus whitespace tokens
SENTENCES = [
    "Warplanes struck Saraqib on Tuesday, killing 14 civilians, the White Helmets said.",
    "I think they were gon na shell the town again, and I did not see it, he told me.",
    "Y'all know there were at least 20 people who had been wounded, and you have got ta leave.",
    "Let's say that it was the regime's artillery; that is what its commanders did.",
    "It's been a long night:  doctors    say the hospital isn't working and ain't safe.",
    "The strikes, which hit a market in Ma'arrat al-Nu'man, killed more than 6,600 people.",
    "Being there, she once said, is well worth it; then she did it.",
    "Those who fled said there is nothing left, as thousands were displaced since last April.",
]


def _example_sentences() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "examples" / "reports").glob("*")):
        if path.suffix == ".jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    out.append(json.loads(line)["text"])
        elif path.suffix in (".txt", ".md"):
            out.append(path.read_text(encoding="utf-8"))
    splitter = nlp.splitter()
    lines = [line.strip() for text in out for line in text.splitlines() if line.strip()]
    return [s.text for line in lines for s in splitter(line).sents if s.text.strip()]


@pytest.fixture(scope="module")
def reference() -> Language:
    """spaCy's pipeline exactly as the package ships it."""
    return spacy.load(settings.get("spacy_model"))


def _attributes(docs: list[Doc]) -> list[list[tuple[str, str, str, str, str]]]:
    return [[(t.text, t.tag_, t.dep_, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in docs]  # type: ignore[misc]


def test_the_installed_component_replaces_ruler_and_lemmatizer() -> None:
    model = nlp.parser()
    assert "rasd_token_attributes" in model.pipe_names
    assert {"attribute_ruler", "lemmatizer"} <= set(model.disabled)
    assert model.pipe_names.index("rasd_token_attributes") > model.pipe_names.index("parser")


def test_same_pos_morph_and_lemma_as_spacys_components(reference: Language) -> None:
    texts = SENTENCES + _example_sentences()
    assert len(texts) > 50
    model = nlp.parser()
    fresh = TokenAttributes(model, model.get_pipe("attribute_ruler"), model.get_pipe("lemmatizer"))
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        parsed = list(model.pipe(texts))
    ours = [fresh(doc) for doc in parsed]
    theirs = list(reference.pipe(texts, disable=["ner"]))
    assert _attributes(ours) == _attributes(theirs)
    # it did learn, and did not send every document through the real components
    assert fresh.learned > 0 and fresh.whole < len(texts) / 2
    # the multi-token patterns took the real components
    assert fresh.whole >= 3


def test_a_second_pass_learns_nothing_and_changes_nothing(reference: Language) -> None:
    model = nlp.parser()
    fresh = TokenAttributes(model, model.get_pipe("attribute_ruler"), model.get_pipe("lemmatizer"))
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        first = [fresh(doc) for doc in model.pipe(SENTENCES)]
        learned = fresh.learned
        second = [fresh(doc) for doc in model.pipe(SENTENCES)]
    assert fresh.learned == learned
    assert _attributes(first) == _attributes(second)


def test_a_full_cache_still_answers_right(reference: Language) -> None:
    model = nlp.parser()
    fresh = TokenAttributes(model, model.get_pipe("attribute_ruler"), model.get_pipe("lemmatizer"), max_entries=5)
    with model.select_pipes(enable=["tok2vec", "tagger", "parser"]):
        ours = [fresh(doc) for doc in model.pipe(SENTENCES)]
    assert len(fresh.cache) < 60
    assert _attributes(ours) == _attributes(list(reference.pipe(SENTENCES, disable=["ner"])))
