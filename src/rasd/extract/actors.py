"""Actor names -> the normalised vocabulary (data files under ``rasd/data/actors/``).

The vocabulary is data: every ``*.json`` file in ``rasd/data/actors`` (and in the
folder named by the setting ``actors_path``) lists actors with their aliases, kind
and country (see that folder's README). One Aho-Corasick pass (pyahocorasick)
finds every alias in the text; overlapping hits keep the longest. Three kinds of
names are recognised:

* aliases ("Assad forces", "SDF", "White Helmets"): always;
* weak aliases ("regime", "army", "civilians"): only in a document that mentions
  one of the entry's ``context`` words; when several entries claim the same weak
  alias ("army" in a text about Libya and Egypt), the entry whose context words
  occur most often wins;
* demonyms before a military noun, coordinated or not ("Turkish artillery",
  "the Russian and Syrian air forces": two actors).

Actors outside the vocabulary are kept as written: an ORG or NORP entity that is
the subject (or the "by" agent) of an attack verb in a parsed sentence becomes an
``Actor`` with ``kind=None`` and its own words as name.
"""

from __future__ import annotations

import bisect

import functools
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick

from .. import settings
from ..model import Actor
from .context import BODY, HEADLINE, ActorMention, Context

LOGGER = logging.getLogger(__name__)
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"

# Nouns after which a demonym names armed forces ("Turkish artillery"); the
# police class goes to an entry marked ``"demonym_nouns": "police"``.
MILITARY_NOUNS = (
    "forces", "force", "army", "military", "troops", "soldiers", "artillery", "warplanes", "warplane", "jets", "jet",
    "aircraft", "air forces", "air force", "airforce", "drones", "drone", "helicopters", "helicopter", "gunships",
    "planes", "navy", "shelling", "bombardment", "strikes", "strike", "airstrikes", "airstrike", "air strikes",
    "air strike", "raids", "raid", "missiles", "missile", "rockets", "rocket", "tanks", "bombs", "shells", "fighter jets",
    "regime", "government forces", "special forces", "units", "enemy", "occupation", "aggression", "act of aggression",
    "attack", "attacks", "assault",
)
# a word allowed between the demonym and its noun: "Turkish occupation drone", "Turkish ground shelling"
_DEMONYM_GAP = r"(?i:occupation|occupying|ground|aerial|air|naval|military|army|enemy|regime|government)"
POLICE_NOUNS = ("police", "policemen", "security forces", "police forces", "police officers")
ATTACK_LEMMAS = frozenset(
    "attack shell bomb strike kill capture seize storm target raid ambush abduct kidnap clash fire execute shoot "
    "launch detonate recapture retake overrun control bombard hit destroy assault arrest detain besiege".split()
)


@dataclass(frozen=True)
class Entry:
    """One actor of the vocabulary."""

    name: str
    kind: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    demonym_nouns: str = "military"

    def actor(self, text: str, span: Any) -> Actor:
        return Actor(name=self.name, kind=self.kind, country=self.country, text=text, span=span)


@dataclass
class Vocabulary:
    entries: list[Entry]
    by_alias: dict[str, list[tuple[Entry, bool]]] = field(default_factory=dict)  # key -> [(entry, weak)]
    by_name: dict[str, Entry] = field(default_factory=dict)
    by_demonym: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (demonym lower, noun class) -> entry
    folded: Any = None  # automaton over lower-cased text
    exact: Any = None  # automaton for all-capital aliases (case-sensitive)
    demonym_re: re.Pattern[str] | None = None
    context_index: Any = None  # (automaton over every context word, word -> contexts), built on first use

    def lookup(self, name: str) -> Entry | None:
        """The entry with this normalised name or, failing that, this unconditional alias."""
        if name in self.by_name:
            return self.by_name[name]
        for entry, weak in self.by_alias.get(_key(name), []):
            if not weak:
                return entry
        return None


def _key(alias: str) -> str:
    return alias if _case_sensitive(alias) else alias.lower()


def _case_sensitive(alias: str) -> bool:
    """Aliases in capitals only ("IS", "SAA", "SLM/A") must match exactly: "is" is not the Islamic State."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _entry(raw: dict[str, Any]) -> Entry:
    return Entry(
        name=raw["name"],
        kind=raw.get("kind"),
        country=raw.get("country"),
        aliases=tuple(raw.get("aliases", ())),
        weak_aliases=tuple(raw.get("weak_aliases", ())),
        context=tuple(raw.get("context", ())),
        demonyms=tuple(raw.get("demonyms", ())),
        demonym_nouns=raw.get("demonym_nouns", "military"),
    )


def _vocabulary_files() -> list[Path]:
    files = sorted(DATA_DIR.glob("*.json"))
    extra = settings.get("actors_path")
    if extra:
        files += sorted(Path(extra).glob("*.json"))
    return files


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The actor vocabulary, read once from the data files."""
    entries = [_entry(raw) for f in _vocabulary_files() for raw in json.loads(f.read_text(encoding="utf-8"))]
    return build_vocabulary(entries)


def build_vocabulary(entries: list[Entry]) -> Vocabulary:
    vocab = Vocabulary(entries=entries)
    for entry in entries:
        vocab.by_name.setdefault(entry.name, entry)
        for alias, weak in [(a, False) for a in entry.aliases] + [(a, True) for a in entry.weak_aliases]:
            vocab.by_alias.setdefault(_key(alias), []).append((entry, weak))
        for dem in entry.demonyms:
            vocab.by_demonym[(dem.lower(), entry.demonym_nouns)] = entry
    vocab.folded, vocab.exact = ahocorasick.Automaton(), ahocorasick.Automaton()
    for key in vocab.by_alias:
        (vocab.exact if _case_sensitive(key) else vocab.folded).add_word(key, key)
    for automaton in (vocab.folded, vocab.exact):
        if len(automaton):
            automaton.make_automaton()
    demonyms = sorted({d for e in entries for d in e.demonyms}, key=len, reverse=True)
    if demonyms:
        dem = "|".join(re.escape(d) for d in demonyms)
        nouns = "|".join(re.escape(n) for n in sorted(MILITARY_NOUNS + POLICE_NOUNS, key=len, reverse=True))
        item = rf"(?:{dem}|[A-Z][\w'-]+)"
        vocab.demonym_re = re.compile(
            rf"\b(?:{dem})(?:\s*,\s*{item})*(?:\s*,?\s+and\s+{item})?(?:\s+{_DEMONYM_GAP})?\s+(?P<noun>{nouns})\b"
        )
    return vocab


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum() and after not in "-" and before not in "-"


def _alias_hits(text: str, vocab: Vocabulary) -> list[tuple[int, int, str]]:
    hits: list[tuple[int, int, str]] = []
    for automaton, haystack in ((vocab.folded, text.lower()), (vocab.exact, text)):
        if not len(automaton):
            continue
        for end, key in automaton.iter(haystack):
            start = end - len(key) + 1
            if _bounded(text, start, end + 1):
                hits.append((start, end + 1, key))
    return hits


def _demonym_hits(text: str, vocab: Vocabulary) -> list[tuple[int, int, Entry]]:
    out: list[tuple[int, int, Entry]] = []
    if vocab.demonym_re is None:
        return out
    dem_words = {d for (d, _cls) in vocab.by_demonym}
    for m in vocab.demonym_re.finditer(text):
        noun_class = "police" if m.group("noun").lower() in POLICE_NOUNS else "military"
        for w in re.finditer(r"[A-Z][\w.'-]*[\w.]|US", text[m.start() : m.start("noun")]):
            word = w.group().lower()
            if word not in dem_words:
                continue
            entry = vocab.by_demonym.get((word, noun_class)) or vocab.by_demonym.get((word, "military"))
            if entry is not None:
                out.append((m.start() + w.start(), m.start() + w.end(), entry))
    return out


def _context_scores(text: str, vocab: Vocabulary, countries: dict[str, int] | None = None) -> dict[tuple[str, ...], int]:
    """How strongly the document speaks of each entry's context: its context words, plus the
    places it names in the entry's country ("Banha" makes "gunmen" Egyptian as "Egypt" would).
    One Aho-Corasick pass over the text counts the words of every context (case as written, on word boundaries)."""
    automaton, contexts_of = _context_words(vocab)
    found = Counter(w for end, w in automaton.iter(text) if _bounded(text, end - len(w) + 1, end + 1)) if len(automaton) else Counter()
    words: dict[tuple[str, ...], int] = {}
    for word, n in found.items():
        for ctx in contexts_of.get(word, ()):
            words[ctx] = words.get(ctx, 0) + n
    scores = dict(words)
    if countries:
        for e in vocab.entries:
            if e.context and e.country:
                scores[e.context] = max(scores.get(e.context, 0), words.get(e.context, 0) + countries.get(e.country, 0))
    return scores


def _context_words(vocab: Vocabulary) -> tuple[Any, dict[str, list[tuple[str, ...]]]]:
    """An automaton over every context word and the contexts each word belongs to."""
    if vocab.context_index is None:
        contexts_of: dict[str, list[tuple[str, ...]]] = {}
        for ctx in {e.context for e in vocab.entries if e.context}:
            for w in set(ctx):
                contexts_of.setdefault(w, []).append(ctx)
        automaton = ahocorasick.Automaton()
        for w in contexts_of:
            automaton.add_word(w, w)
        if len(automaton):
            automaton.make_automaton()
        vocab.context_index = (automaton, contexts_of)
    return vocab.context_index


def _place_countries(ctx: Context) -> dict[str, int]:
    """Place names per country in the body and headlines (names that stand for a state excluded)."""
    counts: dict[str, int] = {}
    for p in ctx.places:
        if p.zone in (BODY, HEADLINE) and p.role != "actor" and p.place.country:
            counts[p.place.country] = counts.get(p.place.country, 0) + 1
    return counts


def resolve(key: str, vocab: Vocabulary, scores: dict[tuple[str, ...], int]) -> Entry | None:
    """The entry an alias names in a document whose context scores are ``scores``.

    An entry whose context words occur in the document beats one without context
    (in a text about Raqqa "IS" is the Islamic State in Syria); among those, the
    most-mentioned context wins. Otherwise the first unconditional entry.
    """
    claims = vocab.by_alias.get(key, [])
    in_context = [(scores.get(e.context, 0), i, e) for i, (e, _w) in enumerate(claims) if e.context]
    in_context = [c for c in in_context if c[0] > 0]
    if in_context:
        return max(in_context, key=lambda c: (c[0], -c[1]))[2]
    return next((e for e, weak in claims if not weak), None)


def _keep_longest(hits: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """The longest hits that overlap no longer one, by start. The kept hits are disjoint, so sorted by
    start their ends are sorted too: a hit overlaps one iff the last kept starting before its end ends
    after its start (one bisection, not a scan of every kept hit)."""
    starts: list[int] = []
    kept: list[tuple[int, int, Any]] = []
    for hit in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
        if hit[1] <= hit[0]:  # empty hits come last: the plain test, as before
            if not all(hit[1] <= k[0] or hit[0] >= k[1] for k in kept):
                continue
        else:
            i = bisect.bisect_left(starts, hit[1]) - 1
            if i >= 0 and kept[i][1] > hit[0]:
                continue
        j = bisect.bisect_right(starts, hit[0])
        starts.insert(j, hit[0])
        kept.insert(j, hit)
    return kept


def find_actors(ctx: Context) -> list[ActorMention]:
    """Every actor named in the body (and headlines) of the document, normalised where the vocabulary knows it."""
    vocab = vocabulary()
    text = ctx.text
    scores = _context_scores(text, vocab, _place_countries(ctx))
    hits: list[tuple[int, int, Any]] = []
    for start, end, key in _alias_hits(text, vocab):
        entry = resolve(key, vocab, scores)
        if entry is not None:
            hits.append((start, end, entry))
    hits += _demonym_hits(text, vocab)
    mentions = [
        ActorMention(ctx.span(s, e), entry.actor(text[s:e], ctx.span(s, e)))
        for s, e, entry in _keep_longest(hits)
        if ctx.zone_at(s) in (BODY, HEADLINE)
    ]
    mentions = _with_unknown_actors(ctx, mentions)
    mentions.sort(key=lambda m: m.span.start)
    return mentions


def _with_unknown_actors(ctx: Context, known: list[ActorMention]) -> list[ActorMention]:
    """Add ORG/NORP entities that act in an attack clause and that the vocabulary does not know, kept as written.

    An entity wins over a generic alias inside it ("the Free Idlib Army" over "Army")."""
    out = list(known)
    for sent in ctx.sentences:
        if sent.doc is None or sent.zone != BODY:
            continue
        for ent in sent.doc.ents:
            if ent.label_ not in ("ORG", "NORP") or not _acts_in_attack(ent.root):
                continue
            start, end = sent.start + ent.start_char, sent.start + ent.end_char
            if ctx.zone_at(start) != BODY or any(p.span.start <= start and end <= p.span.end for p in ctx.places):
                continue  # a dateline's "IDLIB", a place the parser took for a group
            inside = [m for m in out if m.span.start < end and start < m.span.end]
            if any(m.span.start < start or m.span.end > end or len(m.span.text.split()) + 2 > len(ent.text.split()) for m in inside):
                continue
            out = [m for m in out if m not in inside]
            name = re.sub(r"^(?:the|The)\s+", "", ent.text)
            out.append(ActorMention(ctx.span(start, end), Actor(name=name, text=ent.text, span=ctx.span(start, end))))
    return out


def _acts_in_attack(token: Any) -> bool:
    if token.dep_ in ("nsubj", "nsubjpass") and token.head.lemma_.lower() in ATTACK_LEMMAS:
        return token.dep_ == "nsubj"
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return token.head.head.lemma_.lower() in ATTACK_LEMMAS
    return False
