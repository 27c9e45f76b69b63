"""Which language a document is in, and whether rasd can read it.

Detected with ``py3langid`` (a fork of langid.py: a small naive Bayes model
shipped inside the package, nothing fetched at run time). rasd's extraction
reads the languages of the ``languages`` setting (English); a document in
another language is still stored, with its ``language`` recorded, and gets no
figures or events, with one line saying so instead of silently nothing.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from . import settings

# ISO 639-1 -> English name, for the languages reporting on conflicts most often comes in.
NAMES = {
    "ar": "Arabic", "fa": "Persian", "ku": "Kurdish", "tr": "Turkish", "fr": "French", "es": "Spanish",
    "de": "German", "ru": "Russian", "uk": "Ukrainian", "he": "Hebrew", "ur": "Urdu", "ps": "Pashto",
    "am": "Amharic", "so": "Somali", "sw": "Swahili", "ha": "Hausa", "pt": "Portuguese", "it": "Italian",
    "zh": "Chinese", "en": "English", "nl": "Dutch", "id": "Indonesian", "hi": "Hindi", "bn": "Bengali",
}
_LOCK = threading.Lock()
SAMPLE_CHARS = 4000  # enough to tell; long documents are not read whole


MAX_READABLE = 0.1  # readable languages scoring this much together: read the document as usual
MIN_PROBABILITY = 0.5  # below this the document is read as usual: a wrong "unreadable" would lose its figures


@lru_cache(maxsize=1)
def _identifier() -> Any:
    """py3langid's identifier with normalised probabilities (its model is loaded on first use)."""
    with _LOCK:
        from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

        return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def name(code: str | None) -> str:
    return NAMES.get(code or "", code or "unknown")


def readable_languages() -> tuple[str, ...]:
    return tuple(c.strip().lower() for c in str(settings.get("languages")).split(",") if c.strip())


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language; None when the text is too short to tell."""
    sample = text[:SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < int(settings.get("language_min_chars")):
        return None
    code, probability = _identifier().classify(sample)
    return str(code) if probability >= MIN_PROBABILITY else None


def unreadable(text: str) -> str | None:
    """The language code when rasd cannot read ``text`` (None when it can, or cannot tell).

    Only when the top language is not readable AND the readable ones together score below
    ``MAX_READABLE``: a short English note that also looks like Nigerian Pidgin is read."""
    code = detect(text)
    readable = readable_languages()
    if code is None or code in readable:
        return None
    scores = dict(_identifier().rank(text[:SAMPLE_CHARS]))
    if sum(float(scores.get(c, 0.0)) for c in readable) >= MAX_READABLE:
        return None
    return code


def message(source: str, code: str, stored: bool = True) -> str:
    """The one line a user reads about a document rasd could not read."""
    return (f"{source}: written in {name(code)} ({code}); rasd reads {', '.join(readable_languages())}:"
            f" {'stored, but ' if stored else ''}no figures or events were extracted")
