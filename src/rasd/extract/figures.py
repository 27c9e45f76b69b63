"""Numbers in the grammar of their sentence -> Figure kind, who and bounds.

``numbers.find_numbers`` finds the number phrases and their bounds; this module
decides, from spaCy's dependency parse, what each one counts. A number is a
figure only when its grammar says killed, injured, displaced, attacks, detained,
missing or affected (a wrong number is worse than none):

1. the counted noun is itself the kind ("6,600 attacks", "12 deaths", "12 dead");
2. a modifier of the counted noun says it ("22 people killed", "people who fled",
   "30 wounded civilians");
3. the clause does: the counted noun (or the bare number) is the victim argument
   of a trigger verb ("killed 208 civilians", "208 civilians were killed",
   "12 people died", "forced 110,000 people from their homes"), the subject of a
   predicate ("15 are missing", "left 12 dead"), the number a "toll" rises to
   ("the death toll rose to 12"), or the member of a list or apposition whose head
   has a kind ("more than 70 on medical facilities" under "raids"; "six civilians
   were among 22 people killed").

A figure whose verb is joined to a second trigger of another kind with no
object of its own ("14 killed and wounded", "killed or injured") counts both:
its kind is ``affected``, because the split is not said.

The trigger words are data (``rasd/data/figures/triggers.json``, read by ``figure_words``); a part of a
total ("including six children") takes the total's kind (``parts``).

Hints for ``binding``: ``ctx.notes["figures"]`` is a list parallel to the
returned figures, each a dict ``{"trigger": int | None, "trigger_lemma": str,
"noun": int | None}`` giving document offsets of the word that gave the kind
(the verb, noun or predicate) and of the counted noun.
"""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

from ..model import Figure
from . import elided, numbers, parts, singular
from .context import BODY, Context, Sentence
from .figure_words import figure_cue as _figure_cue
from .figure_words import might_hold_figure, triggers
from .parts import of_them

if TYPE_CHECKING:
    from spacy.tokens import Token

LOGGER = logging.getLogger(__name__)

_SKIP_ENTS = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"})
_OBJECT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "oprd"})
_QUANTITY_HEADS = frozenset({"total", "number", "tally", "count", "sum"})
_PERSON_KINDS = frozenset({"killed", "injured", "displaced", "detained", "missing", "affected"})
_HARM = frozenset({"killed", "injured"})
_MAX_EVIDENCE = 160  # characters; a longer evidence span shrinks to the number phrase
_MAX_TRIGGER_GAP = 6  # tokens; a trigger further before the number stays out of the evidence


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _is_passive(verb: Token) -> bool:
    """Passive, or a bare participle as in headlines ("14 killed"), not a perfect ("have killed"); a headline
    participle the tagger read as a past tense ("One rioter shot dead by stray bullets", "Soldier killed by
    gunmen"): a transitive verb of harm with no object but an agent ("by") or its result ("dead") is passive."""
    if any(c.dep_ == "auxpass" for c in verb.children):
        return True
    if verb.tag_ == "VBD" and not any(c.dep_ in ("dobj", "obj", "aux", "ccomp", "xcomp") for c in verb.children):
        return any(c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by") or c.lower_ == "dead" for c in verb.children)
    return verb.tag_ == "VBN" and not any(c.dep_ == "aux" and _lemma(c) == "have" for c in verb.children)


def _noun_kind(tok: Token) -> str | None:
    """Kind of a counted noun that names it ("attacks", "deaths", "dead"), compounds included."""
    t = triggers()
    kind = t["nouns"].get(_lemma(tok)) or t["nouns"].get(tok.lower_)
    if kind is None:
        comp = [c for c in tok.children if c.dep_ == "compound"]
        if comp:
            kind = t["nouns"].get(f"{_lemma(comp[-1])} {_lemma(tok)}")
    return kind


def _verb_kind(verb: Token, role: str, arg_i: int | None = None) -> str | None:
    """Kind given by ``verb`` to its argument in ``role`` ('object' or 'subject')."""
    rule = triggers()["verbs"].get(_lemma(verb))
    if rule is None:
        return None
    victim = rule["victim"]
    if role == "subject" and _is_passive(verb):
        role = "object"
    if role == "object" and rule.get("object_persons") and arg_i is not None and _lemma(verb.doc[arg_i]) in triggers()["persons"]:
        return _shared(verb, rule["kind"], arg_i)  # a side's losses: "the Kurds lost three fighters"
    if role != victim:
        return None
    needs = rule.get("needs")
    if needs and not _has_needed(verb, needs):
        return None
    needs_object = rule.get("needs_object")
    if needs_object and not any(c.dep_ in ("dobj", "obj") and c.lower_ in needs_object for c in verb.children):
        return None
    kind: str = rule["kind"]
    return _shared(verb, kind, arg_i)


def _has_needed(verb: Token, needs: list[str]) -> bool:
    """Whether the verb or its object carries the word its rule needs ("forced out", "shot dead", "shot them dead")."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj", "nsubjpass")]
    near = [*verb.children, *(g for o in objects for g in o.children)]
    if any(c.lower_ in needs and c.dep_ in _NEEDED_DEPS for c in near):
        return True
    # the object of its preposition: "beaten to death", "burnt 2 people to death"
    return any(g.lower_ in needs and g.dep_ == "pobj" for c in near if c.dep_ == "prep" for g in c.children)


# how the word a rule needs may hang on the verb ("shot dead a police officer": the parser leaves "dead" a bare dep)
_NEEDED_DEPS = frozenset({"prep", "prt", "advmod", "oprd", "acomp", "xcomp", "ccomp", "advcl", "dep", "npadvmod"})


def _shared(verb: Token, kind: str, arg_i: int | None = None) -> str:
    """'killed and wounded' with one set of arguments counts both: ``affected``.

    Not when the argument stands between the two ("killed 44 people and wounded ...").
    """
    t = triggers()
    for other in list(verb.conjuncts):
        if arg_i is not None and verb.i < arg_i < other.i:
            continue
        rule = t["verbs"].get(_lemma(other)) or {}
        if rule.get("needs") and not _has_needed(other, rule["needs"]):
            rule = {}  # "shot and wounded": "shot" kills only with "dead"
        other_kind = rule.get("kind") or t["predicates"].get(other.lower_)
        if other_kind and other_kind != kind:
            own_args = [
                c
                for c in other.children
                if c.dep_ in ("dobj", "obj", "nsubjpass", "attr")
                or (c.dep_ == "nsubj" and other.i > verb.i)
                or c.like_num or any(g.like_num for g in c.children)
            ]
            if not own_args:
                return "affected"
    return kind


def _predicate_kind(tok: Token) -> str | None:
    t = triggers()["predicates"]
    kind = t.get(tok.lower_) or (t.get(_lemma(tok)) if tok.pos_ in ("ADJ", "VERB") else None)
    return _shared(tok, kind) if kind else None


def _modifier_kind(noun: Token) -> tuple[str | None, Token | None]:
    """Kind from a modifier of the counted noun: "people killed", "people who fled", "wounded people"."""
    for child in noun.children:
        if child.dep_ == "acl":
            role = "object" if child.tag_ == "VBN" else "subject"
            kind = _verb_kind(child, role) or (_predicate_kind(child) if child.tag_ == "VBN" else None)
            if kind:
                return kind, child
        elif child.dep_ == "relcl":
            rel = [c for c in child.children if c.lower_ in ("who", "that", "which", "whom")]
            role = "subject" if rel and rel[0].dep_ == "nsubj" else "object"
            kind = _verb_kind(child, role)
            if kind:
                return kind, child
            acomp = [c for c in child.children if c.dep_ in ("acomp", "attr") and _predicate_kind(c)]
            if acomp:
                return _predicate_kind(acomp[0]), acomp[0]
        elif child.dep_ == "amod" and (child.i < noun.i) == (noun.pos_ != "NUM") and (child.i < noun.i or child.i == noun.i + 1):
            # "dead 20 wounded": "dead" is not the 20's; "Three dead and two injured": the word after the number is
            kind = _predicate_kind(child)
            if kind:
                return kind, child
    return None, None


def _toll_kind(tok: Token) -> str | None:
    t = triggers()
    if _lemma(tok) in _QUANTITY_HEADS:
        # "the number of civilian deaths rose to three", "the tally of displaced reached 50,000"
        counted = _of_pobj(tok)
        # "the number of injured civilians has risen to ten": the kind may come from the counted noun's modifier
        kind = (_noun_kind(counted) or _modifier_kind(counted)[0]) if counted is not None else None
        return kind if kind in _PERSON_KINDS else None
    if _lemma(tok) not in t["toll_nouns"]:
        return None
    mods = [_lemma(c) for c in tok.children if c.dep_ in ("compound", "amod")]
    for m in mods:
        if m in t["tolls"]:
            return str(t["tolls"][m])
    return str(t["tolls"][""])


def _of_pobj(tok: Token) -> Token | None:
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def _conjunct_kind(verb: Token, role: str) -> tuple[str | None, Token | None]:
    """"was shot and killed", "shot and killed two men": a later verb with no argument of its own shares the
    argument of the first, which gave no kind itself."""
    for other in verb.conjuncts:
        if other.i > verb.i and not any(c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj") for c in other.children):
            kind = _verb_kind(other, role)
            if kind:
                return kind, other
        elif other.i < verb.i and role == "object" and not any(c.dep_ in ("dobj", "obj") for c in other.children):
            # "executed and crucified nine men": an earlier verb with no object of its own shares the later one's
            kind = _verb_kind(other, role)
            if kind:
                return kind, other
    return None, None


def _role_kind(arg: Token) -> tuple[str | None, Token | None]:
    """Kind from the clause the argument stands in."""
    if arg.dep_ == "conj" and arg.head.pos_ == "VERB" and arg.pos_ == "NOUN" and any(
        c.dep_ in _OBJECT_DEPS and c.i < arg.i for c in arg.head.children
    ):
        # "killed 17 militants and a child", the parser joining "child" to the verb: a second object
        kind = _verb_kind(arg.head, "object")
        if kind:
            return kind, arg.head
    r = arg
    while r.dep_ in ("conj", "appos") and r.head.i != r.i:
        r = r.head
        kind = _noun_kind(r) or (_noun_kind(_of_pobj(r)) if _of_pobj(r) is not None else None)  # type: ignore[arg-type]
        if kind:
            return kind, r
    v, dep = r.head, r.dep_
    if dep in _OBJECT_DEPS:
        kind = _verb_kind(v, "object", r.i)
        if kind:
            return kind, v
        pred = [c for c in v.children if c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") and _predicate_kind(c)]
        if pred:
            return _predicate_kind(pred[0]), pred[0]
    if dep in ("nsubj", "nsubjpass"):
        kind = _verb_kind(v, "subject") or (_predicate_kind(v) if v.pos_ == "ADJ" else None)  # "Eight Boko Haram dead"
        if kind:
            return kind, v
        if dep == "nsubj":
            kind, trig = _reflexive_kind(v)
            if kind:
                return kind, trig
        for c in v.children:
            if c.dep_ in ("acomp", "attr", "xcomp", "oprd"):
                kind = _predicate_kind(c) or _verb_kind(c, "object") or (_noun_kind(c) if c.dep_ == "attr" else None)
                if kind is None and c.dep_ == "xcomp" and _lemma(v) in triggers()["reporting_verbs"]:
                    kind = _verb_kind(c, "subject")  # raised: "130 people are reported to have died" (or "been killed")
                if kind:
                    return kind, c
            if c.dep_ == "prep" and c.lower_ == "among":
                pobj = next((p for p in c.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    kind, trig = _modifier_kind(pobj)
                    if kind:
                        return kind, trig
                    if _noun_kind(pobj) in _PERSON_KINDS:  # "three children were among the dead"
                        return _noun_kind(pobj), pobj
    if dep in _OBJECT_DEPS or dep in ("nsubj", "nsubjpass"):
        kind, other = _conjunct_kind(v, "subject" if dep == "nsubj" else "object")
        if kind:
            return kind, other
    if dep == "pobj" and v.lower_ in ("including", "among") and v.head.pos_ in ("NOUN", "PROPN", "NUM"):
        return _kind(v.head, v.head)
    if dep == "pobj" and v.lower_ == "with" and v.head.lower_ in ("along", "together") and v.head.head.pos_ == "VERB":
        # "three soldiers were killed along with three civilians": the companions share the victims' fate when the
        # phrase follows the verb (never "troops along with militias killed ...")
        verb = v.head.head
        if verb.i < v.i:
            kind = _verb_kind(verb, "subject") or _verb_kind(verb, "object")
            if kind:
                return kind, verb
    if dep == "pobj" and v.lower_ == "of":
        # "documented the injury of six civilians", "announced the killing of 29 militants"; and where the parser
        # hung the "of" on the wrong conjunct ("the death of a civilian and injury of three others"), the noun
        # right before it
        for head in (v.head, v.doc[v.i - 1] if v.i > 0 else v.head):
            if head.pos_ == "NOUN" and (kind := _noun_kind(head)) in _PERSON_KINDS:
                return kind, head
        if v.head.lower_ in ("lives", "life") and _lemma(v.head.head) in ("claim", "take", "cost"):
            return "killed", v.head.head  # "claimed the lives of 18 civilians", "cost the lives of 30 soldiers"
    if dep == "pobj" and v.lower_ in ("to", "on") and v.head.pos_ in ("VERB", "AUX"):
        # "caused injuries to two civilians", "inflicted injuries on five people": the harm is the verb's object
        for c in v.head.children:
            if c.dep_ in ("dobj", "obj") and c.i < v.i and c.tag_ == "NNS" and (kind := _noun_kind(c)) in ("killed", "injured"):
                return kind, c
    if dep == "pobj" and v.lower_ in ("to", "at", "of"):
        for c in [v.head, *v.head.children]:
            kind = _toll_kind(c)
            if kind:
                return kind, c
    if dep == "attr":
        for c in v.children:
            kind = _toll_kind(c) if c.dep_ == "nsubj" else None
            if kind:
                return kind, c
    return None, None


_REFLEXIVES = frozenset({"themselves"})  # "himself" counts one by itself (``singular``)


def _reflexive_kind(verb: Token) -> tuple[str | None, Token | None]:
    """"Two suicide bombers killed themselves", "..., killing only themselves": a plural reflexive object makes
    the subject's number the count of victims, of the verb or of a clause hung on it."""
    for v in (verb, *(c for c in verb.children if c.dep_ in ("advcl", "conj", "xcomp"))):
        if any(c.dep_ in ("dobj", "obj") and c.lower_ in _REFLEXIVES for c in v.children):
            kind = _verb_kind(v, "object")
            if kind:
                return kind, v
    return None, None


def _subject_of_harm(root: Token, toks: list[Token]) -> bool:
    """A bare number the recogniser labelled a date or time that is the subject of its clause ("21 reported dead",
    "Eighteen are dead"): a date never dies, so the grammar decides (``_figure`` then keeps killed or injured alone)."""
    return root.dep_ in ("nsubj", "nsubjpass") and all(t.ent_type_ in ("DATE", "TIME", "CARDINAL", "") for t in toks)


def _anchor(root: Token, toks: set[int]) -> tuple[Token | None, Token]:
    """(counted noun, clause argument) for the number whose root token is ``root``."""
    head = root.head
    if root.dep_ in ("nummod", "quantmod", "amod", "compound", "npadvmod") and head.i not in toks:
        if head.pos_ in ("NOUN", "PROPN", "ADJ"):
            return head, head
        return None, root
    pobj = _of_pobj(root)
    if pobj is not None and pobj.i not in toks and pobj.pos_ in ("NOUN", "PROPN", "PRON"):
        return pobj, root
    return None, root


@functools.lru_cache(maxsize=1)
def _verb_forms() -> dict[str, str]:
    """Inflected forms of the trigger verbs whose victim is their object and that need no particle
    ("kill", "kills", "killed", "wounds"), with their kind."""
    out: dict[str, str] = {}
    for lemma, rule in triggers()["verbs"].items():
        if rule["victim"] != "object" or rule.get("needs") or rule.get("needs_object") or " " in lemma:
            continue
        stem = lemma[:-1] if lemma.endswith("e") else lemma
        for form in (lemma, lemma + "s", stem + "ed", stem + "ing"):
            out.setdefault(form, rule["kind"])
    return out


def _adjacent_verb(
    prev: Token | None, kind: str | None, trigger: Token | None, noun: Token | None
) -> tuple[str | None, Token | None, Token | None]:
    """A trigger verb right before the number governs it where the parse is tangled (headlines: "kill 5 injure
    50", "Kills 3 Wounds 20"): when the counted noun is missing or is itself a trigger verb's form, or when the
    parse gave another kind ("killed 5 injured soldiers"; "wounds 50 State media" counts no outlet)."""
    forms = _verb_forms()
    if prev is None or prev.lower_ not in forms:
        return kind, trigger, noun
    said = forms[prev.lower_]
    if noun is None or noun.lower_ in forms:
        return said, prev, None
    if kind is not None and kind != said and kind != "affected":  # "killed and wounded 30 people" stays both
        return said, prev, noun if _lemma(noun) in triggers()["persons"] else None
    if kind is None and _lemma(noun) in triggers()["persons"]:
        # a count of persons right after a harm verb is its object, wherever the parser hung it: comma-less wire
        # copy makes "a car bomb wounded at least 37 people ... state television reported" the subject of "reported"
        return said, prev, noun
    return kind, trigger, noun


def _counted_head(word: Token) -> bool:
    """Whether a compound's head is what a number before the compound counts: a common noun of persons or of a
    kind ("police conscript", "mortar attacks"), never a name ("State media AFP")."""
    head = word.head
    if head.i <= word.i or word.tag_ not in ("NN", "NNS") or head.tag_ not in ("NN", "NNS"):
        return False
    return _lemma(head) in triggers()["persons"] or _noun_kind(head) is not None


def _counts_people(noun: Token | None, toks: list[Token]) -> bool:
    """Whether the number counts persons: its noun is a person noun of the tables and the entity recogniser's
    label is a date or time, never money, a percentage or a measure."""
    if noun is None or any(t.ent_type_ not in ("", "DATE", "TIME", "CARDINAL") for t in toks):
        return False
    persons = triggers()["persons"]
    return _lemma(noun) in persons or noun.lower_ in persons


def _kind(noun: Token | None, arg: Token) -> tuple[str | None, Token | None]:
    if noun is not None:
        kind = _noun_kind(noun) or _toll_kind(noun)
        if kind and _lemma(noun) in triggers()["status_nouns"]:
            # "12 prisoners were killed": what the clause says happened to them wins over what they are
            said = _modifier_kind(noun) if noun is arg else (None, None)
            said = said if said[0] else _role_kind(arg)
            if said[0] and said[0] != "attacks":
                return said
            return kind, noun
        if kind and not _toll_kind(noun):
            return kind, noun
        kind, trig = _modifier_kind(noun)
        if kind and trig is not None and trig.dep_ == "amod" and kind not in _HARM:
            # "a displaced woman ... was killed": harm the clause states wins over the status an adjective gives
            said = _role_kind(arg)
            if said[0] in _HARM:
                return said
        if kind:
            return kind, trig
    kind, trig = _modifier_kind(arg) if arg is not noun else (None, None)
    if kind:
        return kind, trig
    return _role_kind(arg)


def _phrase(tok: Token) -> str:
    mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.pos_ != "NUM"]
    return " ".join([*(m.lower_ for m in mods), tok.lower_])


def _target(noun: Token | None, arg: Token) -> Token | None:
    """What an attack hit: the object of 'on' / 'against' ("attacks on medical facilities")."""
    for tok in (noun, arg):
        if tok is None:
            continue
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("on", "against"):
                pobj = next((p for p in prep.children if p.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return None


def _who(noun: Token | None, kind: str, target: Token | None, trigger: Token | None) -> str | None:
    t = triggers()
    if kind == "attacks":
        if target is None:
            return None
        return str(t["who"].get(_lemma(target))) if _lemma(target) in t["who"] and not target.lefts else _phrase(target)
    if noun is not None and noun is not trigger and _lemma(noun) in t["status_nouns"] and _noun_kind(noun) != kind:
        return str(t["who"].get(_lemma(noun), noun.lower_))  # "12 prisoners were killed": prisoners
    if noun is None or noun is trigger or _noun_kind(noun):
        base = noun if noun is not None else (trigger if trigger is not None and trigger.pos_ == "NOUN" else None)
        mods = [c for c in base.children if c.dep_ in ("amod", "compound")] if base is not None else []
        # "the death toll among the soldiers", "the toll of civilians"
        mods += [g for c in (base.children if base is not None else ()) if c.dep_ == "prep" and c.lower_ in ("among", "of")
                 for g in c.children if g.dep_ == "pobj"]
        for m in mods:
            if _lemma(m) in t["who"]:
                return str(t["who"][_lemma(m)])
        return None
    lemma = _lemma(noun)
    if lemma in t["who"]:
        return str(t["who"][lemma])
    title = next((c for c in noun.children if c.dep_ == "compound" and singular.person(c)), None) if noun.pos_ == "PROPN" else None
    if title is not None:  # "commander Jian Tolhildan": the title says who
        return str(t["who"].get(_lemma(title), title.lower_))
    if noun.ent_type_ in ("NORP", "GPE") or noun.pos_ == "PROPN":
        return "people"
    if noun.pos_ == "PRON":
        return None
    comp = [c.lower_ for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN"]
    return " ".join([*comp, noun.lower_])


def _elided(root: Token, noun: Token | None) -> tuple[str | None, Token | None]:
    """The kind a telegraphic clause gives with its verb elided (rasd.extract.elided)."""
    t = triggers()
    kind, trigger = elided.count_reached(root, t["nouns"])
    doc = root.doc
    if kind is None and root.i >= 3 and doc[root.i - 1].lower_ in ("them", "whom") and doc[root.i - 2].lower_ in ("among", "of"):
        head = doc[root.i - 3]  # "killed 52 people among them 48 students": the part shares the whole's kind
        kind, trigger = _kind(head, head) if head.pos_ == "NOUN" else (None, None)
        return (kind, trigger) if kind in _PERSON_KINDS else (None, None)
    if kind or noun is None or noun.i < root.i or not (_lemma(noun) in t["persons"] or _lemma(noun) in t["who"] or noun.lower_ == "others"):
        return kind, trigger  # a bare number's predicate is the word right after it, read before
    return elided.predicate_after(root.doc, noun, t["predicates"])


def _evidence_bounds(sent: Sentence, ph: numbers.NumberPhrase, parts: list[Token]) -> tuple[int, int]:
    start, end = ph.start, ph.end
    for tok in parts:
        start, end = min(start, tok.idx), max(end, tok.idx + len(tok.text))
    if end - start > _MAX_EVIDENCE:
        return sent.start + ph.start, sent.start + ph.end
    return sent.start + start, sent.start + end


def _figure(
    ctx: Context, sent: Sentence, ph: numbers.NumberPhrase, article: bool = False, bare: bool = False, whole: str | None = None
) -> tuple[Figure, dict[str, Any]] | None:
    doc = sent.doc
    assert doc is not None
    covering = doc.char_span(ph.num_start, ph.num_end, alignment_mode="expand")
    if covering is not None:
        toks = list(covering)
    else:  # an edge in whitespace
        toks = [t for t in doc if t.idx < ph.num_end and t.idx + len(t.text) > ph.num_start]
    if not toks:
        return None
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
    root = roots[-1] if roots else toks[-1]
    noun: Token | None
    if article:
        # the marker's noun; a pronoun or a bare singular noun is its own
        own = (root.pos_ == "PRON" and root.dep_ != "poss") or (root.tag_ == "NN" and root.dep_ != "compound")
        noun = arg = root if own else root.head
    elif bare:
        noun = arg = root
    else:
        noun, arg = _anchor(root, ids)
    if noun is not None and noun.dep_ == "compound" and _counted_head(noun) and not any(
        c.dep_ == "nummod" and c.i not in ids for c in noun.head.children
    ):
        noun = arg = noun.head  # "one police conscript": the number hangs on the first word of the compound
    dated = any(t.ent_type_ in _SKIP_ENTS for t in toks) and not _counts_people(noun, toks)
    if dated and not _subject_of_harm(root, toks):
        return None  # a date, sum or measure; but "Between 10 and 15 civilians" stays a count whatever the NER says
    # "a total of 14 people were killed": the clause's argument is "total", the counted noun stays "people"
    if arg.dep_ == "pobj" and arg.head.lower_ == "of" and _lemma(arg.head.head) in _QUANTITY_HEADS and arg.head.head.i != arg.head.i:
        arg = arg.head.head
    kind, trigger = _kind(noun, arg)
    if kind is None and noun is not None and noun.dep_ in ("nmod", "compound") and noun.head.i != noun.i and any(
        c.dep_ == "nummod" and c.i not in ids for c in noun.head.children
    ):
        # a list without "and" ("kill 10 children 5 women"): the counted noun the parser hung on the next one
        kind, trigger = _kind(noun.head, noun.head)
    if kind is None and not article and noun is None:
        # headline style with the parse tangled: "Seven dead 20 wounded": the word right after the number
        nxt = doc[root.i + 1] if root.i + 1 < len(doc) else None
        if nxt is not None and nxt.pos_ in ("ADJ", "VERB") and nxt.i not in ids:
            kind = _predicate_kind(nxt) or (_verb_kind(nxt, "object") if nxt.tag_ == "VBN" else None)
            trigger = nxt if kind else None
    if kind is None and not article and noun is not None and noun.i > root.i and noun.i + 1 < len(doc):
        # an elliptical coordinate: "two civilians lost their lives and two others injured", where the participle
        # right after the counted noun is its predicate though the parser hung it elsewhere
        nxt = doc[noun.i + 1]
        # ... or the predicate adjective after it ("there are dozens of people missing")
        verbal = nxt.tag_ in ("VBN", "VBD") or (nxt.tag_ in ("JJ", "VBG") and triggers()["predicates"].get(nxt.lower_))
        if verbal and not any(c.dep_ in ("dobj", "obj", "nsubjpass") or (c.dep_ == "nsubj" and c.i != noun.i) for c in nxt.children):
            kind = _predicate_kind(nxt)
            trigger = nxt if kind else None
    if not article and root.i > 0:
        # the word before the phrase, its qualifier included ("wounded at least 37 people")
        lead = doc.char_span(ph.start, ph.num_end, alignment_mode="expand") if ph.start < ph.num_start else None
        first = lead[0].i if lead is not None and len(lead) else toks[0].i
        kind, trigger, noun = _adjacent_verb(doc[first - 1] if first > 0 else None, kind, trigger, noun)
    if kind is None:
        kind, trigger = _elided(root, noun)
    if whole is not None and not article and (them := of_them(doc, toks[0], toks[-1])) is not None:
        noun = them if _lemma(them) in triggers()["persons"] else None  # "three of them women": women, else nobody named
        kind = whole
    elif whole is not None and (article or _counts_people(noun, toks)):
        kind = whole  # a part of the total before it ("six people dead, including three women"): ``parts``
    if kind is None or ((article or bare) and kind not in triggers()["article_kinds"]) or (dated and kind not in _HARM):
        return None
    t = triggers()
    if noun is not None and kind in _PERSON_KINDS and _lemma(noun) in t["not_who"] and noun is not trigger:
        return None
    target = _target(noun, arg) if kind == "attacks" else None
    who = _who(noun, kind, target, trigger)
    far = trigger is not None and trigger.i < root.i - _MAX_TRIGGER_GAP
    parts = [p for p in (noun, None if far else trigger, target) if p is not None]
    if trigger is not None and not far:
        parts += [c for c in trigger.children if c.dep_ == "compound"]
    if target is not None:
        parts += list(target.lefts)
    start, end = _evidence_bounds(sent, ph, parts)
    fig = Figure(
        kind=kind,
        who=who,
        low=ph.low,
        best=ph.best,
        high=ph.high,
        qualifier=ph.qualifier,
        evidence=ctx.span(start, end),
        sentence=ctx.span(sent.start, sent.end),
        number=ctx.span(sent.start + ph.num_start, sent.start + ph.num_end),
    )
    hint = {
        "trigger": sent.offset(trigger) if trigger is not None else None,
        "trigger_lemma": _lemma(trigger) if trigger is not None else None,
        "noun": sent.offset(noun) if noun is not None else None,
    }
    return fig, hint


def find_figures(ctx: Context) -> list[Figure]:
    """Every figure in the parsed body sentences of ``ctx`` (period, place and source unbound), then those of its
    headlines ("Woman and two children killed, ten injured"), parsed here, flagged ``headline``: ``binding`` keeps a
    headline figure as a mention of the body figure it restates, else as a claim of its own that no toll counts."""
    found: list[Figure] = []
    hints: list[dict[str, Any]] = []
    for sent in ctx.sentences:
        if sent.zone == BODY and sent.doc is not None:
            _sentence_figures(ctx, sent, found, hints)
    taken = {f.number.start for f in found if f.number is not None}
    for sent in elided.headlines(ctx, _figure_cue()):
        mine: list[Figure] = []
        _sentence_figures(ctx, sent, mine, hints)
        for fig in mine:
            if fig.number is None or fig.number.start not in taken:
                fig.headline = True
                found.append(fig)
    ctx.notes["figures"] = hints
    return found


def _sentence_figures(ctx: Context, sent: Sentence, found: list[Figure], hints: list[dict[str, Any]]) -> None:
    assert sent.doc is not None
    text = sent.doc.text  # the sentence as parsed: a fused dateline blanked ("SANA-Ten civilians")
    folded: Sentence | None = None
    phrases = [(ph, "") for ph in numbers.find_numbers(text)]
    taken = {ph.num_start for ph, _ in phrases}
    phrases += [(ph, "article") for ph in singular.markers(sent) if ph.num_start not in taken]
    taken |= {ph.num_start for ph, _ in phrases}
    t = triggers()
    phrases += [(ph, "bare") for ph in elided.bare_nouns(sent.doc, t["persons"], t["predicates"]) if ph.num_start not in taken]
    mine: list[tuple[Figure, bool]] = []
    for ph, how in sorted(phrases, key=lambda p: p[0].num_start):
        whole = parts.whole_kind(text, ph, mine, sent.start)
        got = _figure(ctx, sent, ph, how == "article", how == "bare", whole)
        if got is None and not how and elided.title_case(text):
            folded = folded or elided.folded(sent, text)
            got = _figure(ctx, folded, ph, whole=whole) if folded is not None else None
        if got is None:
            LOGGER.debug("not a figure: %r", ctx.text[sent.start + ph.start : sent.start + ph.end])
            continue
        mine.append((got[0], whole is not None))
        found.append(got[0])
        hints.append(got[1])
