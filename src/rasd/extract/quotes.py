"""Who says what: quoted blocks, "according to", "X said", "X estimates".

``find_attributions(ctx)`` returns regions of ``ctx.text`` whose claims belong
to a source; ``ctx.source_at(offset)`` picks the innermost one. Two kinds:

**Blocks** (several paragraphs): a paragraph that ends with a colon and names
an outlet ("Foreign Policy:") or a speaker ("The statement ... reads as
follows:"), or a sentence that says someone writes in an outlet without
stating the claim itself ("X writes ... in the New York Times about the
situation."), introduces the paragraphs that follow. The block runs

- to the paragraph that closes the quotation mark, when it opens with one;
- else to the first paragraph boundary wider than the document's usual one
  (scrapes of block quotes leave an extra blank line where the quotation
  ends), to the next introduction, or to non-body text;
- when the document has no such wider boundary, to the paragraph before the
  first short one (an author's aside), at most ``_MAX_BLOCK`` paragraphs.

Inside a block with no speaker of its own, a claim belongs to the block's
author: ``attributed_to`` is the quoted writer or outlet ("Waad al Kateab",
"Foreign Policy") and ``via`` the outlet ("The New York Times", "Foreign
Policy").

**Reported speech** (one clause or sentence): with the spaCy parse, a verb
whose lemma is a speech verb (data/quotes/speech.json) and its subject ("the
White Helmets ... documented", "a monitor said", "X told AFP"), or the object
of "according to". The region is the verb's clause when it carries the claim
(ccomp/dobj), else the whole sentence ("..., a monitor said."). Without a
parse a few surface patterns stand in. A speaker inside a block keeps the
block's outlet as ``via``.

Names are normalised: determiners and appositions go ("The White Helmets, the
civil defense group," -> "White Helmets"); a role before a proper name goes
("Syrian filmmaker Waad al Kateab" -> "Waad al Kateab"); staff after an
organisation goes ("SOHR activists" -> "SOHR", then the canonical "Syrian
Observatory for Human Rights" from data/quotes/outlets.txt or the document's own
"Full Name (ACRONYM)"); unnamed sources stay as written, in lower case ("a
monitor", "relief agencies"); "it said" takes the nearest named source of the
previous sentences, or yields no region. A claim outside every region has no
source of its own: the document's publisher stands behind it.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import statistics
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from . import carry
from .context import BODY, Attribution, Context, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LOGGER = logging.getLogger(__name__)

_MAX_BLOCK = 8
_SHORT_PARAGRAPH = 14  # words: a paragraph this short after a block is the author's aside
_QUOTE_OPEN = "“\"«‘"
_QUOTE_CLOSE = "”\"»’"
_DROP_DEPS = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "cc", "advmod"}
_NAME_GLUE = {"for", "of", "the", "and", "al", "el", "de", "on", "&", "-"}
# a number or the victims themselves are never the speaker ("48 people", "18 people including 11 children state
# media", "Civilians" of a title-case headline read as a subject)
_NOT_SPEAKERS = re.compile(r"\d|(?:civilians|children|women|people|persons|victims)$", re.I)
_NOT_NAMES = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|June|July|August|September|October|November|December|[\w]+-based",
    re.I,
)


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Speech verbs, staff nouns and pronouns (data/quotes/speech.json), loaded once."""
    data: dict[str, Any] = json.loads(
        resources.files("rasd").joinpath("data/quotes/speech.json").read_text(encoding="utf-8")
    )
    for key in ("verbs", "verb_forms", "clause_verbs", "intro_verbs", "staff_nouns", "pronouns", "self_pronouns"):
        data[key] = frozenset(data[key])
    return data


@functools.lru_cache(maxsize=1)
def outlets() -> dict[str, str]:
    """Lower-case name (without a leading 'the') -> canonical name, from data/quotes/outlets.txt."""
    table: dict[str, str] = {}
    raw = resources.files("rasd").joinpath("data/quotes/outlets.txt").read_text(encoding="utf-8")
    for line in raw.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        alias, _, canon = line.partition("=")
        canon = (canon or alias).strip()
        for name in (alias.strip(), canon):
            table[_key(name)] = canon
    return table


def _key(name: str) -> str:
    return re.sub(r"^the\s+", "", re.sub(r"\s+", " ", name.strip().lower()))


# -- names ---------------------------------------------------------------------


@dataclass
class Names:
    """The sources a document has named so far: for acronyms, short forms and pronouns."""

    full: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    last_named: str | None = None

    def learn(self, text: str) -> None:
        for m in re.finditer(r"((?:[A-Z][\w'’.-]*\s+)(?:(?:for|of|and|the|[A-Z][\w'’.-]*)\s+){0,6}[A-Z][\w'’.-]*)\s*\(([A-Z]{2,8})\)", text):
            full = re.sub(r"^(?:The|the)\s+", "", m.group(1).strip())
            self.acronyms[m.group(2)] = outlets().get(_key(full), full)
            if self.acronyms[m.group(2)] not in self.full:
                self.full.append(self.acronyms[m.group(2)])

    def canonical(self, name: str) -> str:
        if name in self.acronyms:
            return self.acronyms[name]
        known = outlets().get(_key(name))
        if known:
            return known
        if re.fullmatch(r"[A-Z][a-z]+", name):  # "the Observatory" after "the Syrian Observatory for ..."
            for full in reversed(self.full):
                if name in full.split():
                    return full
        return name

    def note(self, name: str) -> None:
        if is_named(name):
            self.last_named = name
            if len(name.split()) > 1 and name not in self.full:
                self.full.append(name)


def is_named(name: str | None) -> bool:
    return bool(name) and any(w[:1].isupper() for w in name.split())  # type: ignore[union-attr]


def clean_name(words: list[str], proper: list[bool] | None = None) -> str | None:
    """Normalise a source phrase given as words (and, from the parse, which are proper nouns)."""
    lex = lexicon()
    if proper is None:
        proper = [w[:1].isupper() for w in words]
    # punctuation and list bullets ("- Rescue workers", "The White Helmets, ...") are no part of a name
    keep = [i for i, w in enumerate(words) if any(ch.isalnum() for ch in w)]
    words, proper = [words[i] for i in keep], [proper[i] for i in keep]
    if words and words[-1][-1:] in ".,;:" and "." not in words[-1][:-1]:
        words[-1] = words[-1][:-1]  # the sentence's full stop the tokenizer left on the name ("Rights."), not "U.S."
    while words and words[-1].lower() in lex["staff_nouns"] and len(words) > 1 and _org_like(words[:-1]):
        words, proper = words[:-1], proper[:-1]
    if not words:
        return None
    if words[0].lower() in lex["pronouns"] | lex["self_pronouns"] and len(words) == 1:
        return words[0].lower()
    run = _proper_run(words, proper)
    if run is not None:
        return " ".join(words[run:])
    text = " ".join(words)
    if not proper[0] and not re.search(r"[A-Z]", words[0][1:]):
        text = text[:1].lower() + text[1:]
    return text


def _org_like(words: list[str]) -> bool:
    name = " ".join(words)
    return bool(re.fullmatch(r"[A-Z]{3,8}", name)) or _key(name) in outlets()


def _proper_run(words: list[str], proper: list[bool]) -> int | None:
    """Index where a trailing run of proper-noun words starts, when something else precedes it
    ("Syrian filmmaker Waad al Kateab", "the White Helmets", "state news agency SANA")."""
    i = len(words)
    while i > 0 and not _NOT_NAMES.fullmatch(words[i - 1]) and (proper[i - 1] or (words[i - 1].lower() in _NAME_GLUE and i < len(words))):
        i -= 1
    while i < len(words) and words[i].lower() in _NAME_GLUE:
        i += 1
    if i >= len(words) or not proper[-1]:
        return None
    return i


# -- the parse ---------------------------------------------------------------


def _phrase(tok: Token) -> tuple[list[str], list[bool]]:
    """The words of a subject or object: its subtree minus appositions, clauses and punctuation."""
    drop: set[int] = set()
    for child in tok.subtree:
        if child.dep_ in _DROP_DEPS and child.i != tok.i and not (child.dep_ == "punct" and child.text in "-–'’"):
            drop.update(t.i for t in child.subtree)
    keep = [t for t in tok.subtree if t.i not in drop]
    # stop at the first gap after the head (a parenthesis, a dropped clause)
    out: list[Token] = []
    for t in keep:
        if out and t.i != out[-1].i + 1 and t.i > tok.i:
            break
        out.append(t)
    while out and (out[0].tag_ in ("WDT", "WP") or out[0].lower_ in ("which", "who", "that")):
        out = out[1:]
    between = tok.doc[tok.i : tok.head.i] if tok.head.i > tok.i else tok.doc[0:0]
    colons = [t.i for t in between if t.text == ":"]
    if colons:  # "Al-Hasakah province: SOHR activists reported": a label, then the speaker
        out = [t for t in tok.doc[colons[-1] + 1 : tok.head.i] if t.pos_ in ("PROPN", "NOUN", "ADJ", "DET")]
    words: list[str] = []
    proper: list[bool] = []
    for t in out:
        is_proper = t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != t.sent.start and t.pos_ != "PRON")
        if words and t.i > 0 and not t.doc[t.i - 1].whitespace_ and t.doc[t.i - 1] in out:
            words[-1] += t.text  # "Syria-based", "al-Nu'man": one word
            proper[-1] = proper[-1] or is_proper
        else:
            words.append(t.text)
            proper.append(is_proper)
    return words, proper


def _told(tok: Token) -> str:
    """The outlet told ("told Stars and Stripes", "told state news agency SANA")."""
    words, proper = _phrase(tok)
    conj = [c for c in tok.children if c.dep_ == "conj"]
    if conj and tok.pos_ == "PROPN":
        words = [t.text for t in tok.subtree if t.dep_ != "punct"]
        return " ".join(words)
    return clean_name(words, proper) or tok.text


def _quoted(tok: Token) -> bool:
    """Does the token stand inside quotation marks opened earlier in its sentence?"""
    before = tok.doc.text[: tok.idx]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _speech_tokens(doc: Doc) -> list[tuple[Token, Token, Token | None]]:
    """(cue token, source head token, outlet token for 'told X') for every speech cue of a parsed sentence."""
    lex = lexicon()
    found: list[tuple[Token, Token, Token | None]] = []
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = [c for c in doc[tok.i + 1].children if c.dep_ == "pobj"]
            if pobj:
                found.append((tok, pobj[0], None))
            continue
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in lex["verbs"]:
            continue
        if tok.lemma_.lower() in lex["clause_verbs"] and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children):
            continue  # "claimed the lives of", "accused X of": no reported claim
        # a quotation before the verb is sometimes read as a second subject ("“The occupation bombed two shells ...”,
        # SANA reporter said"): the speaker stands outside the quotation marks
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        subj = [c for c in subj if not _quoted(c) or _quoted(tok)] or subj
        if not subj and tok.lemma_.lower() == "quote":  # "the official was quoted as saying": the one quoted speaks
            subj = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if not subj:
            agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            subj = agent
        if not subj:  # "SANA, citing a military official, said" with "SANA" misread: the cited speaker still speaks
            subj = [g for c in tok.children if c.dep_ == "advcl" and c.lemma_.lower() in ("cite", "quote")
                    for g in c.children if g.dep_ in ("dobj", "obj")]
        if tok.tag_ == "VBG" and tok.dep_ in ("ccomp", "xcomp", "advcl") and tok.head.lemma_.lower() in lex["verbs"]:
            # "state TV reported the blast, saying four were killed": the one who reported says it
            subj = [c for c in tok.head.children if c.dep_ == "nsubj"] or subj
        if not subj:
            continue
        told = None
        if tok.lemma_.lower() == "tell":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "dative", "iobj") and c.pos_ == "PROPN"]
            told = objs[0] if objs else None
        found.append((tok, subj[0], told))
    return found


def _clause_span(sent: Sentence, cue: Token) -> tuple[int, int]:
    """The region a speech cue covers: its clause when that clause holds the claim, else the sentence."""
    doc = cue.doc
    if cue.lower_ == "according" or cue.dep_ == "ROOT":
        return sent.start, sent.end
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in cue.children) and cue.dep_ in ("advcl", "conj", "relcl"):
        toks = list(cue.subtree)
        return sent.offset(toks[0]), sent.offset(toks[-1]) + len(toks[-1].text)
    del doc
    return sent.start, sent.end


# -- surface patterns (sentences without a parse) ------------------------------

_NP = (
    r"((?:(?:the|a|an)\s+)?(?:[A-Z][\w'’.-]*\s+(?:(?:for|of|and)\s+)?){0,5}[A-Z][\w'’.-]*"
    r"|(?:[Aa]|[Tt]he|[Ll]ocal|[Tt]wo|[Ss]everal|[Ss]ome)\s+(?:[a-z-]+\s+){0,2}"
    r"(?:monitor|source|sources|activists|officials?|group|residents|witnesses|media|agency|ministry|army|observatory)"
    r"|(?:[Ss]tate|[Oo]fficial)\s+(?:media|television|TV|news agency))"  # wire copy names these without an article
)


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    forms = "|".join(sorted(lexicon()["verb_forms"], key=len, reverse=True))
    according = re.compile(r"\baccording to ((?:the |a |an )?[\w'’.-]+(?: (?!on\b|in\b|at\b|who\b|which\b)[\w'’.-]+){0,6}?)(?=[,.;:]|$| on | in | at | who | which )")
    before = re.compile(rf"(?:^|[,;:—–-]\s*|\b(?:as|while|and|but|that)\s+){_NP}\s+(?:has |have |had |also )*(?:{forms})\b")
    after = re.compile(rf",[”\"’]?\s+(?:{forms})\s+{_NP}(?=[,.;]|$| on | in )")
    return according, before, after


def _surface_sources(text: str) -> list[tuple[int, int, str]]:
    """(cue start, cue end, source words) found by pattern in one sentence's text."""
    according, before, after = _patterns()
    out = []
    for rx in (according, before, after):
        for m in rx.finditer(text):
            out.append((m.start(), m.end(), m.group(1)))
    return out


# -- sentence regions ----------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _tail_pattern() -> re.Pattern[str]:
    verbs = "said|says|reported|reports|added|adds|noted|stated|announced|confirmed|documented"
    when = r"(?:\s+(?:late |early )?on\s+\w+|\s+today|\s+yesterday|\s+in a statement)?"
    staff = r"(?:\s+(?:monitor|group|organi[sz]ation|activists|watchdog))?"  # "the Syrian Observatory ... monitor said"
    return re.compile(rf"(?:^|\s){_NP}{staff}\s+(?:has |have |had |also )?(?P<verb>{verbs}){when}\s*[.!]?[\"”’]?\s*$")


def _tail_source(text: str) -> tuple[int, int, int, str] | None:
    """(name start, name end, verb start, name) of a sentence that ends "... the Syrian Observatory said."
    Without commas (scraped wire copy) the parse often takes the clause's subject for the speaker."""
    m = _tail_pattern().search(text)
    if m is None:
        return None
    words = m.group(1).split()
    if len(words) > 1 and re.fullmatch(r"[A-Z]{3,8}", words[-1]) and all(w[:1].isupper() for w in words):
        words = words[-1:]  # "Damascus SANA said": the agency
    name = clean_name(words)
    return (m.start(1), m.end(1), m.start("verb"), name) if name else None


def _nested(cue: Token) -> tuple[Token | None, Token | None]:
    """(inner speaker, carrier) when a speech cue carries another's words: "SANA, citing a military official,
    said ...", "SANA quoted a police source as saying ..." (the official speaks, via SANA), "Speaking to AFP,
    the director said ..." (via AFP)."""
    if cue.lemma_.lower() == "quote":
        obj = next((c for c in cue.children if c.dep_ in ("dobj", "obj")), None)
        return obj, None
    for child in cue.children:
        if child.dep_ != "advcl":
            continue
        if child.lemma_.lower() in ("cite", "quote"):
            return next((c for c in child.children if c.dep_ in ("dobj", "obj")), None), None
        if child.lemma_.lower() == "speak":
            to = next((g for c in child.children if c.dep_ == "prep" and c.lower_ == "to" for g in c.children if g.dep_ == "pobj"), None)
            return None, to if to is not None and to.pos_ == "PROPN" else None
    return None, None


def _speaker(cue: Token, head: Token, tail: tuple[int, int, int, str] | None) -> tuple[str | None, str | None]:
    """(speaker, the outlet that carried the words) of one speech cue."""
    words, proper = _phrase(head)
    for t in head.doc[head.i + 1 : head.i + 4]:  # a name the parse split at its hyphen: "Talal al-Barazi"
        if t.dep_ != head.dep_ or t.head.i != head.head.i or head.doc[t.i - 1].whitespace_ or not words:
            break
        words[-1] += t.text
    name = clean_name(words, proper)
    if tail is not None and cue.idx == tail[2] and not tail[0] <= head.idx < tail[1]:
        name = tail[3]
    inner, carrier = _nested(cue)
    if inner is not None:
        return clean_name(*_phrase(inner)), (name if inner.i != head.i else None)
    return name, (_told(carrier) if carrier is not None else None)


def _sentence_regions(ctx: Context, sent: Sentence, names: Names) -> list[Attribution]:
    regions: list[Attribution] = []
    if sent.doc is not None:
        tail = _tail_source(sent.doc.text)
        according: str | None = None
        for cue, head, told in _speech_tokens(sent.doc):
            name, carrier = _speaker(cue, head, tail)
            start, end = _clause_span(sent, cue)
            cue_start = sent.offset(cue)
            via = names.canonical(_told(told)) if told is not None else (names.canonical(carrier) if carrier else None)
            got = _region(ctx, names, name, start, end, cue_start, via)
            if cue.lower_ == "according" and got:
                according = got[0].attributed_to
            elif according and got and got[0].attributed_to != according and is_named(according):
                got[0].via = got[0].via or according  # "According to Reuters, Turkish officials said ..."
            regions.extend(got)
            misread = tail is not None and cue.idx == tail[2] and not tail[0] <= head.idx < tail[1]
            if got and not misread:  # (a misread subject, "strikes killed 42 ... the Observatory said", is no speaker)
                regions.extend(_speaker_words(sent, head) + _setting_words(sent, cue))
        if not regions and tail is not None:
            regions.extend(_region(ctx, names, tail[3], sent.start, sent.end, sent.start + tail[2], None))
    else:
        chunk = ctx.text[sent.start : sent.end]
        for c_start, c_end, phrase in _surface_sources(chunk):
            name = clean_name(phrase.split())
            regions.extend(_region(ctx, names, name, sent.start, sent.end, sent.start + c_start, None, sent.start + c_end))
    return regions


def _speaker_words(sent: Sentence, head: Token) -> list[Attribution]:
    """The words that describe a speaker are the writer's, not the speaker's claim: "said a militant wearing the
    outfit of the man who beheaded two journalists" -- a region with no source over the words after the speaker's
    head, when they hold a number."""
    toks = list(head.subtree)
    if not any(t.like_num and t.i > head.i for t in toks) or any(t.i == head.head.i for t in toks):
        return []  # a number before the head ("18 people including 11 children state media said") is a misparse
    toks = [t for t in toks if t.i >= head.i]
    return [Attribution(sent.offset(toks[0]), sent.offset(toks[-1]) + len(toks[-1].text), None, None, None)]


_SETTING = frozenset({"after", "before", "following", "amid", "since"})


def _setting_words(sent: Sentence, cue: Token) -> list[Attribution]:
    """Words that set the act of saying in time are the writer's, not the claim: "as Ankara announced an operation
    after the deaths of 33 soldiers" -- a region with no source over such a phrase of the speech verb, when it holds
    a number."""
    out = []
    for child in cue.children:
        if child.dep_ in ("prep", "advcl") and child.lower_ in _SETTING:
            toks = list(child.subtree)
            if any(t.like_num for t in toks) and not any(t.pos_ in ("VERB", "AUX") for t in toks):  # no claim in it
                out.append(Attribution(sent.offset(toks[0]), sent.offset(toks[-1]) + len(toks[-1].text), None, None, None))
    return out


def _region(
    ctx: Context, names: Names, name: str | None, start: int, end: int, cue_start: int, via: str | None, cue_end: int | None = None
) -> list[Attribution]:
    lex = lexicon()
    if not name or name in lex["self_pronouns"] or _NOT_SPEAKERS.match(name):
        return []
    if name in lex["pronouns"]:
        if names.last_named is None:
            return []
        name = names.last_named
    name = names.canonical(name)
    names.note(name)
    cue_end = cue_end if cue_end is not None else cue_start + len(ctx.text[cue_start:].split(" ", 1)[0])
    return [Attribution(start, end, name, via, ctx.span(cue_start, cue_end))]


# -- blocks --------------------------------------------------------------------

_WRITER_INTRO = re.compile(
    r"\b(?:writes|wrote|writing|reports|reported|explains|explained|notes|noted|argues|argued|recounts|recounted|"
    r"describes|described|says|said|tells|told)\b[^.;:]*?\b(?:in|for|to)\s+(?:an? [a-z-]+ (?:in|for) )?"
    r"((?:[Tt]he\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})"
)


def _intro(ctx: Context, start: int, end: int, names: Names) -> tuple[str | None, str | None, int] | None:
    """(attributed_to, via, cue offset) when the paragraph introduces a quotation that follows it."""
    text = ctx.text[start:end].strip()
    words = text.split()
    if text.endswith(":") and len(words) <= 25:
        label = text[:-1].strip()
        if any(start <= p.span.start < start + len(ctx.text[start:end]) for p in ctx.places):
            if len(label.split()) <= 5:
                return None  # "Afrin:", "Al-Hasakah province:": a place heads what follows, no outlet
        if len(label.split()) <= 5 and label[:1].isupper() and not _has_verb_form(label):
            name = names.canonical(clean_name(label.split()) or label)
            return name, name, start
        said = _surface_sources(label[:1].lower() + label[1:])
        if said:  # "According to SOHR statistics, drone attacks left 40 dead and wounded:"
            name = names.canonical(clean_name(said[0][2].split()) or said[0][2])
            return name, None, start
        if not _has_verb_form(label):
            return None  # "Here are further details of these attacks:" names nobody
        writer, outlet = _writer(ctx, label)
        return (writer or outlet), outlet, start
    last = re.split(r"(?<=[.!?])\s+", text)[-1]
    m = _WRITER_INTRO.search(last)
    if m and last.rstrip().endswith((".", ":")) and not re.search(r"\bthat\b|\d", last[m.start() :]):
        outlet = names.canonical(m.group(1))
        writer, _ = _writer(ctx, last)
        return (writer or outlet), outlet, start + text.rfind(last)
    return None


def _has_verb_form(label: str) -> bool:
    return any(w.lower() in lexicon()["verb_forms"] or w.lower() in ("reads", "read", "follows") for w in label.split())


def _writer(ctx: Context, sentence: str) -> tuple[str | None, str | None]:
    """The writer and outlet of an introduction sentence, from its parse (intros are rare: parsed here)."""
    from .. import nlp

    doc = nlp.parser()(sentence, disable=["ner"])  # the grammar is all it reads
    writer: str | None = None
    outlet: str | None = None
    author: str | None = None
    for tok in doc:
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ in ("ROOT", "conj"):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and writer is None:
                words, proper = _phrase(subj[0])
                writer = clean_name(words, proper)
            for prep in (c for c in tok.subtree if c.dep_ in ("prep", "agent") and c.lower_ in ("in", "for", "by")):
                objs = [g for g in prep.children if g.dep_ == "pobj" and (g.pos_ == "PROPN" or g.text[:1].isupper())]
                if not objs:
                    continue
                if prep.lower_ == "by" and author is None:
                    author = clean_name(*_phrase(objs[0]))
                elif prep.lower_ != "by" and outlet is None:
                    outlet = clean_name(*_phrase(objs[0]))
    names = Names()
    if outlet:
        outlet = names.canonical(outlet)
    if writer in lexicon()["pronouns"] | lexicon()["self_pronouns"]:
        writer = None
    if writer and not is_named(writer):
        # "the statement released by the PYD" names no writer: its author, else the carrier, speaks
        writer = names.canonical(author) if author else outlet or writer
    return writer, outlet


def _gaps(ctx: Context) -> list[int]:
    """Blank lines between each paragraph and the next."""
    paras = ctx.paragraphs
    return [ctx.text[paras[i][1] : paras[i + 1][0]].count("\n") for i in range(len(paras) - 1)]


def _blocks(ctx: Context, names: Names) -> list[Attribution]:
    paras = ctx.paragraphs
    if not paras:
        return []
    gaps = _gaps(ctx)
    usual = statistics.median(gaps) if gaps else 1
    structured = any(g > usual for g in gaps)
    blocks: list[Attribution] = []
    i = 0
    while i < len(paras) - 1:
        if ctx.zone_at(paras[i][0]) != BODY:
            i += 1
            continue
        intro = _intro(ctx, *paras[i], names)
        if intro is None:
            i += 1
            continue
        members = _members(ctx, i, gaps, usual, structured, names)
        if members:
            who, via, cue = intro
            first, last = members[0], members[-1]
            blocks.append(Attribution(paras[first][0], paras[last][1], who, via, ctx.span(cue, paras[i][1])))
            LOGGER.debug("quoted block %r via %r: paragraphs %d-%d", who, via, first, last)
            i = last + 1
        else:
            i += 1
    return blocks


def _members(ctx: Context, i: int, gaps: list[int], usual: float, structured: bool, names: Names) -> list[int]:
    paras = ctx.paragraphs
    members: list[int] = []
    quoted = ctx.text[paras[i + 1][0] : paras[i + 1][1]].lstrip()[:1] in _QUOTE_OPEN
    depth = 0
    for k in range(i + 1, min(len(paras), i + 1 + _MAX_BLOCK * (3 if quoted else 1))):
        text = ctx.text[paras[k][0] : paras[k][1]]
        if ctx.zone_at(paras[k][0]) != BODY or (members and _intro(ctx, *paras[k], names) is not None):
            break
        if not quoted and not structured and members and len(text.split()) < _SHORT_PARAGRAPH:
            break
        members.append(k)
        if quoted:
            depth += sum(text.count(c) for c in "“«") - sum(text.count(c) for c in "”»")
            if depth <= 0 and text.count('"') % 2 == 0:
                break
        elif structured and k < len(gaps) and gaps[k] > usual:
            break
    return members


# -- entry point ---------------------------------------------------------------


def find_attributions(ctx: Context) -> list[Attribution]:
    names = Names()
    names.learn(ctx.text)
    blocks = _blocks(ctx, names)
    for b in blocks:
        if b.attributed_to:
            names.note(b.attributed_to)
    regions: list[Attribution] = []
    for sent in ctx.sentences:
        if sent.zone != BODY:
            continue
        block = _innermost(blocks, sent.start)
        for r in _sentence_regions(ctx, sent, names):
            if r.attributed_to is None:
                pass  # a speaker's own description: the writer's words
            elif block is not None and r.attributed_to != block.attributed_to:
                r.via = r.via or block.via or block.attributed_to
            elif block is not None:
                continue  # the block's own author: the block already says so
            regions.append(r)
    regions += carry.carried(ctx, regions)
    return blocks + regions + carry.headlines(ctx, regions)


def _innermost(blocks: list[Attribution], offset: int) -> Attribution | None:
    inside = [b for b in blocks if b.start <= offset < b.end]
    return min(inside, key=lambda b: b.end - b.start) if inside else None
