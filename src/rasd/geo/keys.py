"""Normalised keys that fold the ways reporters transliterate Arabic place names.

``key("Ma'arat al-Nu'man") == key("Ma‘arrat an Nu‘mān") == "marat numan"``.
The same folding runs over gazetteer names and over document tokens, so a
name matches whenever both fold to the same key. Folding steps, per word:
diacritics and ʿ ʾ ' ` marks dropped; the article (al-, el-, an-, ash-, ez-, ...)
dropped; dj->j, ch->sh, q->k, ou/oo->u, ee->i, ei/ey/ai->ay, aw->u before a
consonant, final -eh/-ah->a, e->i, o->u; doubled letters collapsed; an
assimilated article glued to a later word ("Ezzor") loses its vowel.
"""

from __future__ import annotations

import functools
import re
import unicodedata

ARTICLES = frozenset(
    "al el il ul an ar as ash ad adh az ez es esh ed er en et at ath ad-".split()
)
_MARKS = "'’‘ʿʾ`´ʻʼ′"
_MARK_TABLE = str.maketrans("", "", _MARKS)
# letters that do not decompose into a base letter and a diacritic (Turkish dotless ı, ł, ø, ...)
_LETTER_TABLE = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "ß": "ss"})
# a word of letters/digits, possibly with inner apostrophes (Ma'arat, Nu‘man)
TOKEN = re.compile(r"[^\W_]+(?:[" + _MARKS + r"][^\W_]+)*")
_AW = re.compile(r"[ao]w(?=[^aeiouy]|$)")
_DOUBLE = re.compile(r"(.)\1+")
_GLUED_ARTICLE = re.compile(r"^[ae]([tdrzsnl])\1")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1 << 16)
def fold_word(word: str, first: bool = True) -> str:
    """Fold one word; returns "" for an article (memoised: a document's words repeat)."""
    w = strip_accents(word).translate(_MARK_TABLE).translate(_LETTER_TABLE).lower()
    if not w or w in ARTICLES:
        return ""
    if not first:
        w = _GLUED_ARTICLE.sub(r"\1", w)
    w = w.replace("dj", "j").replace("ch", "sh").replace("q", "k")
    w = w.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    w = w.replace("ei", "ay").replace("ey", "ay").replace("ai", "ay")
    w = _AW.sub("u", w)
    if len(w) > 3 and w.endswith(("eh", "ah")):
        w = w[:-2] + "a"
    w = w.replace("e", "i").replace("o", "u")
    return _DOUBLE.sub(r"\1", w)


def tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of ``text``, a possessive 's left out."""
    out = []
    for m in TOKEN.finditer(text):
        start, end = m.span()
        if end - start > 2 and text[end - 2] in "'’" and text[end - 1] in "sS":  # "Idlib's" -> "Idlib"
            end -= 2
        out.append((start, end))
    return out


def key(name: str) -> str:
    """The folded key of a whole name ("Deir ez-Zor" -> "dayr zur")."""
    words = [name[s:e] for s, e in tokens(name)]
    folded = [fold_word(w, i == 0) for i, w in enumerate(words)]
    return " ".join(f for f in folded if f)


def is_latin(k: str) -> bool:
    """True for keys in the basic Latin alphabet (the automaton indexes only those)."""
    return bool(k) and all(c == " " or ("a" <= c <= "z") or c.isdigit() for c in k)
