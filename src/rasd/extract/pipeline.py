"""Assemble the extraction stages over one shared parsed document.

``extract_documents`` is the batch entry point: it splits every document into
paragraphs and sentences, picks the sentences that can hold a figure or an
event, parses just those with spaCy in one ``nlp.pipe`` batch, then runs the
stages in order on each document. A large batch is split between ``n_process``
processes, each extracting whole documents (``_Workers``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Callable

from .. import nlp, settings
from ..errors import ExtractionError
from ..model import DocumentInfo, Extraction
from . import actors, binding, dates, events, figures, places, quotes, tolls, zones
from .context import BODY, DATELINE, Context, Sentence

LOGGER = logging.getLogger(__name__)


@dataclass
class Stage:
    """One step of the pipeline: what it reads from the context and what it adds."""

    name: str
    run: Callable[[Context], None]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


def _run_dates(ctx: Context) -> None:
    ctx.dates = dates.find_dates(ctx)


def _run_places(ctx: Context) -> None:
    ctx.places = places.find_places(ctx)


def _run_quotes(ctx: Context) -> None:
    ctx.attributions = quotes.find_attributions(ctx)


def _run_figures(ctx: Context) -> None:
    ctx.figures = binding.bind_figures(ctx, figures.find_figures(ctx))


def _run_actors(ctx: Context) -> None:
    ctx.actors = actors.find_actors(ctx)


def _run_events(ctx: Context) -> None:
    ctx.events = events.find_events(ctx)


STAGES: tuple[Stage, ...] = (
    Stage("dates", _run_dates, ("sentences",), ("dates", "published")),
    Stage("places", _run_places, ("sentences", "zones"), ("places",)),
    Stage("quotes", _run_quotes, ("sentences", "paragraphs"), ("attributions",)),
    Stage("figures", _run_figures, ("sentences", "dates", "places", "attributions"), ("figures",)),
    Stage("actors", _run_actors, ("sentences",), ("actors",)),
    Stage("events", _run_events, ("sentences", "figures", "places", "dates", "actors", "attributions"), ("events",)),
)

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")


@dataclass
class Input:
    """One document to extract: text plus what is known about it."""

    text: str
    published: dt.date | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    id: str | None = None
    sha256: str | None = None


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs are runs of non-blank lines; a single line break inside a paragraph
    also ends it when the text uses one line per paragraph (scraped pages do)."""
    blocks = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    out: list[tuple[int, int]] = []
    for start, end in blocks:
        pos = start
        for line in text[start:end].split("\n"):
            if line.strip():
                lead = len(line) - len(line.lstrip())
                trail = len(line.rstrip())
                out.append((pos + lead, pos + trail))
            pos += len(line) + 1
    return out


def _sentence_bounds(doc: Any) -> list[tuple[int, int]]:
    """(start_char, end_char) of each sentence the sentencizer marked, as ``doc.sents`` gives them, read from
    arrays (no Span or Token objects: this runs over every word of every document)."""
    if len(doc) == 0:
        return []
    idx, length, starts = doc.to_array(["IDX", "LENGTH", "SENT_START"]).T.tolist()
    firsts = [i for i, s in enumerate(starts) if s == 1 or i == 0]
    bounds = []
    for k, first in enumerate(firsts):
        last = (firsts[k + 1] if k + 1 < len(firsts) else len(idx)) - 1
        bounds.append((idx[first], idx[last] + length[last]))
    return bounds


def prepare(item: Input) -> Context:
    """Split into zones, paragraphs and sentences (no parsing yet)."""
    ctx = Context(
        text=_capped(item),
        published=item.published,
        published_source="given" if item.published else None,
        title=item.title,
        publisher=item.publisher,
        doc_id=item.id,
    )
    if ctx.published is None:
        found = dates.find_publication_date(ctx.text)
        if found is not None:
            ctx.published, ctx.published_source = found, "dateline"
    ctx.paragraphs = _paragraphs(ctx.text)
    ctx.zones = zones.find_zones(ctx)
    split = nlp.splitter()
    chunk, longest = int(settings.get("max_paragraph_chars")), int(settings.get("max_sentence_chars"))
    for p_index, (p_start, p_end) in enumerate(ctx.paragraphs):
        for c_start, c_end in pieces(ctx.text, p_start, p_end, chunk):
            pdoc = split(ctx.text[c_start:c_end])
            for rel_start, rel_end in _sentence_bounds(pdoc):
                for s_start, s_end in pieces(ctx.text, c_start + rel_start, c_start + rel_end, longest):
                    ctx.sentences.append(Sentence(s_start, s_end, p_index, zone=zones.sentence_zone(ctx, s_start, s_end)))
    return ctx


def _capped(item: Input) -> str:
    """The text extraction reads: all of it, or for a document over ``max_extract_chars`` its first part up
    to a paragraph end, with a warning naming the document (spans index the whole text all the same)."""
    limit = int(settings.get("max_extract_chars"))
    if limit <= 0 or len(item.text) <= limit:
        return item.text
    cut = item.text.rfind("\n", 0, limit)
    cut = cut if cut > limit // 2 else limit
    LOGGER.warning("%s: %d characters; only the first %d extracted (setting max_extract_chars)",
                   item.id or "document", len(item.text), cut)
    return item.text[:cut]


def pieces(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in non-empty pieces of at most ``limit`` characters, cut at the last white space
    of each window (mid-word only when the window's second half has none), white space between pieces
    dropped: a 1,000,000-character paragraph or a 5 MB word reaches spaCy in pieces it accepts, and every
    offset stays an offset into ``text``."""
    if end - start <= limit:  # every sentence of ordinary text: kept exactly as the splitter gave it
        if end > start:
            yield start, end
        return
    pos = start
    while pos < end:
        while pos < end and text[pos].isspace():
            pos += 1
        if end - pos <= limit:
            if end > pos:
                yield pos, end
            return
        cut = max(text.rfind(" ", pos + limit // 2, pos + limit), text.rfind("\n", pos + limit // 2, pos + limit))
        stop = cut if cut > pos else pos + limit
        if stop > pos:
            yield pos, stop
        pos = stop


def _wants_parse(ctx: Context, sent: Sentence) -> bool:
    if sent.zone != BODY:
        return False
    chunk = ctx.text[sent.start : sent.end]
    return figures.might_hold_figure(chunk) or events.might_hold_event(chunk)


def _parse_text(ctx: Context, sent: Sentence) -> str:
    """The sentence as the parser reads it: a dateline fused to its first word ("Aleppo, SANA-Ten civilians
    were killed") blanked with spaces of the same length, so that offsets hold and the number stands alone."""
    text = ctx.text[sent.start : sent.end]
    for z in ctx.zones:
        if z.kind == DATELINE and z.start <= sent.start < z.end < sent.end:
            cut = z.end - sent.start
            return " " * cut + text[cut:]
    return text


def parse(contexts: list[Context], n_process: int = 1) -> None:
    """Parse the candidate sentences of every context in one spaCy batch.

    Both cores are used one level up (``extract_inputs`` splits large batches of
    documents between processes), so this parses in the calling process unless
    ``n_process`` says otherwise.
    """
    todo = [(ctx, s) for ctx in contexts for s in ctx.sentences if _wants_parse(ctx, s)]
    if not todo:
        return
    model = nlp.parser()
    batch_size = settings.get("sentence_batch_size")
    texts = (nlp.reading_doc(model, _parse_text(ctx, s)) for ctx, s in todo)
    # The entity recogniser has its own embedding layer and costs as much as the tagger,
    # parser and lemmatizer together; only the figures stage needs its labels on every
    # sentence it reads (DATE, TIME, MONEY, PERCENT... numbers are not figures), so it
    # runs on the sentences that can hold a figure, and elsewhere ``doc.ents`` is empty.
    with model.select_pipes(disable=["ner"]):
        docs = list(model.pipe(texts, batch_size=batch_size, n_process=n_process))
    for (ctx, sent), doc in zip(todo, docs):
        sent.set_doc(doc)
    if settings.get("ner_everywhere"):
        wanted = docs
    else:
        wanted = [doc for (ctx, s), doc in zip(todo, docs) if figures.might_hold_figure(doc.text)]
    recogniser: Any = model.get_pipe("ner")
    for _ in recogniser.pipe(wanted, batch_size=batch_size):
        pass  # the recogniser sets doc.ents in place


def run_stages(ctx: Context) -> Context:
    for stage in STAGES:
        stage.run(ctx)
    return ctx


def to_extraction(ctx: Context, item: Input) -> Extraction:
    info = DocumentInfo(
        title=item.title,
        published=ctx.published.isoformat() if ctx.published else None,
        publisher=item.publisher,
        sha256=item.sha256,
        url=item.url,
        published_source=ctx.published_source,
        days=dates.days_named(ctx.dates),
    )
    doc_id = item.id or item.sha256 or ""
    extraction = Extraction(id=doc_id, document=info, events=list(ctx.events), figures=list(ctx.figures))
    return tolls.attach_tolls(extraction)


@dataclass(frozen=True)
class Failure:
    """In place of an Extraction: why one document's extraction failed (the others go on)."""

    reason: str


Result = tuple[Context | None, Extraction | Failure]


def extract_inputs(items: Iterable[Input], batch: int = 256) -> Iterator[tuple[Context, Extraction]]:
    """Extract a stream of inputs, parsing them in batches; yields in input order.

    A batch of ``parallel_min_docs`` documents or more is split between
    ``n_process`` processes (see ``_Workers``); the contexts that come back from a
    worker process carry no spaCy parses (``Sentence.doc`` is None). An error in
    any document is raised (``extract_isolated`` keeps going instead).
    """
    for ctx, extraction in _stream(items, batch, isolate=False):
        assert ctx is not None and isinstance(extraction, Extraction)
        yield ctx, extraction


def extract_isolated(items: Iterable[Input], batch: int = 256) -> Iterator[Extraction | Failure]:
    """Like ``extract_inputs``, but a document whose extraction fails yields a ``Failure`` naming the
    reason, and the batch goes on (its other documents are extracted one by one)."""
    for _ctx, extraction in _stream(items, batch, isolate=True):
        yield extraction


def _stream(items: Iterable[Input], batch: int, isolate: bool) -> Iterator[Result]:
    n_process = int(settings.get("n_process"))
    workers = _Workers(n_process) if n_process > 1 else None
    try:
        pending: list[Input] = []
        for item in items:
            pending.append(item)
            if len(pending) >= batch:
                yield from _extract_batch(pending, workers, isolate)
                pending = []
        if pending:
            yield from _extract_batch(pending, workers, isolate)
    finally:
        if workers is not None:
            workers.close()


# -- profiling (off unless ``start_profile`` is called; the benchmark uses it) ---------

_PROFILE: dict[str, float] | None = None


def start_profile() -> None:
    """Start adding up the time spent per step (prepare, parse, each stage), workers included."""
    global _PROFILE
    _PROFILE = {}


def profile_totals() -> dict[str, float]:
    """Seconds per step since ``start_profile`` (summed over processes: CPU time, not wall time)."""
    return dict(_PROFILE or {})


def _add_time(name: str, since: float) -> None:
    if _PROFILE is not None:
        _PROFILE[name] = _PROFILE.get(name, 0.0) + time.perf_counter() - since


def _extract_serial(items: list[Input], isolate: bool = False) -> list[Result]:
    """The batch at once; when ``isolate`` and it fails, each document alone, a failing one as a Failure."""
    if not isolate:
        return list(_extract_all(items))
    try:
        return list(_extract_all(items))
    except Exception as exc:  # noqa: BLE001 - one document's content must not stop the others
        if len(items) > 1:
            return [result for item in items for result in _extract_serial([item], isolate=True)]
        LOGGER.debug("extraction of %s failed", items[0].id, exc_info=True)
        return [(None, Failure(_reason(exc)))]


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    text = text if len(text) <= 200 else text[:200] + "…"
    return f"extraction failed ({type(exc).__name__}: {text})" if text else f"extraction failed ({type(exc).__name__})"


def _extract_all(items: list[Input]) -> list[tuple[Context, Extraction]]:
    t0 = time.perf_counter()
    contexts = [prepare(item) for item in items]
    _add_time("prepare (split, zones)", t0)
    t0 = time.perf_counter()
    parse(contexts)
    _add_time("parse (spaCy)", t0)
    out: list[tuple[Context, Extraction]] = []
    for ctx, item in zip(contexts, items):
        for stage in STAGES:
            t0 = time.perf_counter()
            stage.run(ctx)
            _add_time(stage.name, t0)
        out.append((ctx, to_extraction(ctx, item)))
    return out


def _extract_batch(items: list[Input], workers: _Workers | None, isolate: bool) -> Iterator[Result]:
    if workers is not None and len(items) >= int(settings.get("parallel_min_docs")):
        done = workers.extract(items, isolate)
        if done is not None:
            yield from done
            return
    yield from _extract_serial(items, isolate)


# -- both cores -------------------------------------------------------------------------
#
# The whole extraction of a document (split, parse, every stage) runs in one process;
# a large batch is cut into ``n_process`` chunks of about equal length, this process
# extracts the first while forked workers extract the others. Forking after the models are
# loaded shares them copy-on-write (no second load); only the inputs go out and
# only the results (contexts without their spaCy parses, extractions) come back,
# which is far cheaper than spaCy's ``nlp.pipe(n_process=...)``, whose workers
# send every parsed Doc back and leave the stages on one core. Where ``fork`` is
# not available, or a worker fails or runs far past its time, the chunk is
# extracted here instead, so a batch always completes.

_WORKER_SECONDS_PER_DOC = 5.0  # a worker slower than this (plus a minute) is given up on


_WARMED: list[bool] = []


def _warm() -> None:
    """Load what every stage loads lazily, once, before forking (workers inherit it)."""
    if _WARMED:
        return
    _WARMED.append(True)
    _extract_serial([Input(text="Warplanes struck Aleppo on 3 May 2016, killing 12 civilians, the White Helmets said.")])


def _worker(items: list[Input], profile: bool, isolate: bool = False) -> tuple[list[Result], dict[str, float]]:
    global _PROFILE
    _PROFILE = {} if profile else None
    out = _extract_serial(items, isolate)
    for ctx, _ in out:
        for sent in ctx.sentences if ctx is not None else ():
            sent.set_doc(None)  # a parse is large to send back and no caller needs it
    return out, profile_totals()


class _Workers:
    """``n - 1`` forked worker processes kept for one ``extract_inputs`` stream.

    They are forked at the first large batch (after ``_warm``) and live until the
    stream ends, so what they learn as they go (spaCy's lexemes, the memoised token
    attributes of ``rasd.token_attributes``) serves every later batch too. A worker
    that fails or hangs has its chunk extracted here, and the pool is not used again.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.pool: Any = None
        self.broken = False

    def extract(self, items: list[Input], isolate: bool = False) -> list[Result] | None:
        import multiprocessing

        if self.broken or "fork" not in multiprocessing.get_all_start_methods():
            return None
        groups = _balanced_groups([len(item.text) for item in items], self.n)
        if len(groups) < 2:
            return None
        if self.pool is None:
            _warm()
            self.pool = multiprocessing.get_context("fork").Pool(self.n - 1)
        chunks = [[items[i] for i in group] for group in groups]
        pending = [self.pool.apply_async(_worker, (chunk, _PROFILE is not None, isolate)) for chunk in chunks[1:]]
        results = _extract_serial(chunks[0], isolate)
        for chunk, job in zip(chunks[1:], pending):
            try:
                got, times = job.get(timeout=60 + _WORKER_SECONDS_PER_DOC * len(chunk))
            except Exception:  # a worker that failed or hung: extract its chunk here, and fork no more
                LOGGER.warning("extraction worker failed; extracting its %d documents in this process", len(chunk), exc_info=True)
                self.broken = True
                got, times = _extract_serial(chunk, isolate), {}
            for name, secs in times.items():
                if _PROFILE is not None:
                    _PROFILE[name] = _PROFILE.get(name, 0.0) + secs
            results += got
        if self.broken:
            self.close()
        # back to input order
        placed: list[Result | None] = [None] * len(items)
        for index, result in zip((i for group in groups for i in group), results):
            placed[index] = result
        return [r for r in placed if r is not None]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _balanced_groups(sizes: list[int], n: int) -> list[list[int]]:
    """Split item indexes into ``n`` groups of about equal total size (longest first,
    each to the lightest group), each group in input order; empty groups dropped."""
    loads = [0] * n
    groups: list[list[int]] = [[] for _ in range(n)]
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        k = loads.index(min(loads))
        groups[k].append(i)
        loads[k] += sizes[i] + 200  # + a fixed per-document cost
    return [sorted(g) for g in groups if g]


def extract_text(
    text: str,
    published: dt.date | str | None = None,
    *,
    title: str | None = None,
    publisher: str | None = None,
    url: str | None = None,
    id: str | None = None,
) -> Extraction:
    """Extract one document's figures and events (the record ``rasd extract`` prints)."""
    import hashlib

    if not isinstance(text, str):
        raise ExtractionError(f"text must be a string, not {type(text).__name__}")
    if isinstance(published, str):
        try:
            published = dt.date.fromisoformat(published[:10])
        except ValueError:
            raise ExtractionError(f"published is not an ISO date (YYYY-MM-DD): {published!r}") from None
    elif published is not None and not isinstance(published, dt.date):
        raise ExtractionError(f"published must be a date or an ISO string, not {type(published).__name__}")
    try:
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    except UnicodeEncodeError as exc:
        raise ExtractionError(f"invalid Unicode in the text at character {exc.start} (a lone surrogate)") from None
    item = Input(text=text, published=published, title=title, publisher=publisher, url=url, id=id or sha, sha256=sha)
    result = next(extract_isolated([item]))
    if isinstance(result, Failure):
        raise ExtractionError(result.reason)
    return result

