"""How the CLI prints things: tables, CSV and JSON rows, the ``show`` view, progress bars.

Kept apart from ``cli.py`` so that the commands stay thin. Nothing here
touches the store or extraction; it turns records into text.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from .model import Figure, Period, Place, Span
from .store.base import EventHit, FigureHit, SearchHit, StoredDocument

MAX_CELL = 40


# -- small helpers -------------------------------------------------------------------------


def parse_bound(value: str, end: bool = False) -> dt.date:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` -> a date (first day, or last day when ``end``)."""
    parts = value.strip().split("-")
    if len(parts) == 3:
        return dt.date.fromisoformat(value.strip())
    year = int(parts[0])
    if len(parts) == 2:
        month = int(parts[1])
        day = calendar.monthrange(year, month)[1] if end else 1
        return dt.date(year, month, day)
    if len(parts) == 1 and len(parts[0]) == 4:
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    raise ValueError(value)


# What a document's text must not send to a terminal: C0 controls but tab and line feed (ESC starts
# every escape sequence: OSC 52 writes the clipboard, OSC 0 the title, CSI 2J clears the screen; a
# carriage return overwrites the line), DEL, C1 controls (U+009B is an 8-bit CSI), and the invisible
# format characters that reorder or hide text (U+202E right-to-left override, isolates, zero widths,
# soft hyphen, byte-order mark). Each is shown as its escape, \u202e, so the reader sees it is there.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]"
)
_JSON_UNSAFE = re.compile(_UNSAFE.pattern.replace("\x00-\x08\x0b-\x1f", ""))


def terminal_safe(text: str) -> str:
    """``text`` with every control and invisible format character shown as its escape (``\\u202e``);
    tab and line feed kept."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_safe(text: str) -> str:
    """JSON text with the same characters written as JSON escapes: the same data, safe on a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(value: Any, indent: int | None = None) -> str:
    """``json.dumps`` for output: UTF-8 kept, controls and format characters escaped."""
    return json_safe(json.dumps(value, ensure_ascii=False, indent=indent))


SEARCH_MARKS = ("\ue000", "\ue001")  # what the store marks matches with; shown by ``search_output``


def marks() -> tuple[str, str]:
    """How search snippets mark matches: bold on a terminal, brackets otherwise."""
    return ("\x1b[1m", "\x1b[0m") if sys.stdout.isatty() else ("[", "]")


def clip(value: Any, width: int = MAX_CELL) -> str:
    text = "" if value is None else terminal_safe(" ".join(str(value).split()))
    return text if len(text) <= width else text[: width - 1] + "…"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], widths: dict[str, int] | None = None) -> str:
    """A plain text table: one header line, columns padded to their widest cell (clipped)."""
    limits = [(widths or {}).get(h, MAX_CELL) for h in headers]
    cells = [[clip(v, w) for v, w in zip(row, limits)] for row in rows]
    size = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(size[i]) for i, h in enumerate(headers)).rstrip()]
    lines += ["  ".join(c.ljust(size[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    return "\n".join(lines)


def period_text(p: Period | None) -> str:
    if p is None or not (p.start or p.end):
        return p.month_day or "" if p is not None else ""
    if p.start == p.end or not p.end:
        return p.start or ""
    return f"{p.start or '?'}..{p.end or '?'}"


def place_text(p: Place | None) -> str:
    if p is None:
        return ""
    where = ", ".join(x for x in (p.admin1, p.country) if x and x != p.name)
    return f"{p.name} ({where})" if where else p.name


def bounds(f: Figure) -> str:
    if f.low is not None and f.low == f.high and (f.best is None or f.best == f.low):
        return f"{f.low:,}"
    if f.best is not None and f.low is None and f.high is None:
        return f"{f.best:,}"
    parts = [("low", f.low), ("best", f.best), ("high", f.high)]
    return " ".join(f"{k} {v:,}" for k, v in parts if v is not None)


def source_text(attributed_to: str | None, via: str | None, publisher: str | None) -> str:
    who = attributed_to or publisher or ""
    if via:
        who = f"{who} via {via}" if who else f"via {via}"
    return who


def doc_label(d: StoredDocument) -> str:
    return d.document.title or (d.document.path or "").rsplit("/", 1)[-1] or d.id[:12]


# -- figures and events --------------------------------------------------------------------


def figure_table(hits: list[FigureHit]) -> tuple[list[str], list[list[Any]]]:
    headers = ["id", "kind", "who", "count", "qualifier", "period", "place", "agg", "source", "document"]
    rows = [
        [h.id, h.figure.kind, h.figure.who, bounds(h.figure), h.figure.qualifier, period_text(h.figure.period),
         place_text(h.figure.place), "yes" if h.figure.aggregate else "",
         source_text(h.figure.attributed_to, h.figure.via, h.document.document.publisher), doc_label(h.document)]
        for h in hits
    ]
    return headers, rows


def _span_text(span: Span | None) -> str | None:
    return span.text if span else None


def _place_flat(p: Place | None) -> dict[str, Any]:
    return {
        "place": p.name if p else None, "place_text": p.text if p else None,
        "geonameid": p.geonameid if p else None, "admin1": p.admin1 if p else None,
        "country": p.country if p else None, "lat": p.lat if p else None, "lon": p.lon if p else None,
        "place_precision": p.precision if p else None,
    }


def _doc_flat(d: StoredDocument) -> dict[str, Any]:
    return {"document": d.id, "publisher": d.document.publisher, "published": d.document.published,
            "title": d.document.title}


def figure_flat(h: FigureHit) -> dict[str, Any]:
    f, p = h.figure, h.figure.period
    return {
        "id": h.id, "kind": f.kind, "who": f.who, "low": f.low, "best": f.best, "high": f.high,
        "qualifier": f.qualifier, "aggregate": f.aggregate,
        "period_start": p.start if p else None, "period_end": p.end if p else None,
        "period_precision": p.precision if p else None, **_place_flat(f.place),
        "attributed_to": f.attributed_to, "via": f.via, "evidence": _span_text(f.evidence),
        "evidence_start": f.evidence.start if f.evidence else None, **_doc_flat(h.document),
    }


def figure_json(h: FigureHit) -> dict[str, Any]:
    return {"id": h.id, **h.figure.to_dict(), "document": h.document.summary()}


def event_table(hits: list[EventHit]) -> tuple[list[str], list[list[Any]]]:
    headers = ["id", "date", "event_type", "sub_event_type", "place", "actors", "figures", "source", "document"]
    rows = [
        [h.id, period_text(h.event.date), h.event.event_type, h.event.sub_event_type, place_text(h.event.place),
         "; ".join(a.name for a in h.event.actors), " ".join(h.figure_ids),
         source_text(h.event.attributed_to, h.event.via, h.document.document.publisher), doc_label(h.document)]
        for h in hits
    ]
    return headers, rows


def event_flat(h: EventHit) -> dict[str, Any]:
    e, d = h.event, h.event.date
    roles = {a.role: a.name for a in e.actors if a.role}
    return {
        "id": h.id, "main": e.main, "event_type": e.event_type, "sub_event_type": e.sub_event_type,
        "date_start": d.start if d else None, "date_end": d.end if d else None,
        "date_precision": d.precision if d else None, **_place_flat(e.place),
        "actor1": roles.get("actor1"), "actor2": roles.get("actor2"),
        "actors": "; ".join(a.name for a in e.actors), "targets": "; ".join(e.targets),
        "figures": " ".join(h.figure_ids), "attributed_to": e.attributed_to, "via": e.via,
        "evidence": _span_text(e.evidence), "evidence_start": e.evidence.start if e.evidence else None,
        **_doc_flat(h.document),
    }


def event_json(h: EventHit) -> dict[str, Any]:
    return {"id": h.id, **h.event.to_dict(), "figure_ids": h.figure_ids, "document": h.document.summary()}


def emit(fmt: str, hits: list[Any], table_fn: Callable[[Any], tuple[list[str], list[list[Any]]]],
         flat_fn: Callable[[Any], dict[str, Any]], json_fn: Callable[[Any], dict[str, Any]]) -> None:
    """Print query results as a table (default), a JSON list, or CSV with a header row."""
    if fmt == "json":
        click.echo(dumps([json_fn(h) for h in hits], indent=2))
    elif fmt == "csv":
        flat = [flat_fn(h) for h in hits]
        buf = io.StringIO()
        if flat:
            writer = csv.DictWriter(buf, fieldnames=list(flat[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: terminal_safe(v) if isinstance(v, str) else v for k, v in row.items()} for row in flat)
        click.echo(buf.getvalue(), nl=False)
    else:
        headers, rows = table_fn(hits)
        click.echo(table(headers, rows) if rows else "(none)")


# -- show --------------------------------------------------------------------------------


def highlight(text: str, start: int, end: int, focus: tuple[int, int] | None) -> str:
    """``text[start:end]`` with ``focus`` (document offsets) in bold yellow (plain when piped)."""
    if focus is None or not (start <= focus[0] < focus[1] <= end):
        return terminal_safe(text[start:end])
    a, b = focus
    return terminal_safe(text[start:a]) + click.style(terminal_safe(text[a:b]), bold=True, fg="yellow") + terminal_safe(text[b:end])


def context_bounds(text: str, start: int, end: int, reach: int = 240) -> tuple[int, int]:
    """The paragraph around ``start:end``, at most ``reach`` characters either side."""
    left = text.rfind("\n", max(0, start - reach), start)
    right = text.find("\n", end, end + reach)
    return (left + 1 if left >= 0 else max(0, start - reach)), (right if right >= 0 else min(len(text), end + reach))


def _evidence_lines(d: StoredDocument, evidence: Span | None, sentence: Span | None) -> list[str]:
    text = d.document.text
    if evidence is None:
        return ["evidence:  (none)"]
    if sentence is not None and sentence.end <= len(text):
        a, b = sentence.start, sentence.end
    else:
        a, b = context_bounds(text, evidence.start, evidence.end)
    return [f"evidence:  [{evidence.start}:{evidence.end}] \"{terminal_safe(evidence.text)}\"",
            f"sentence:  {highlight(text, a, b, (evidence.start, evidence.end))}"]


def _doc_lines(d: StoredDocument) -> list[str]:
    doc = d.document
    return [terminal_safe(line) for line in [
        f"document:  {doc.id}" + (f"  (version {doc.version})" if doc.version > 1 else ""),
        f"  title:     {doc.title or ''}",
        f"  publisher: {doc.publisher or ''}",
        f"  published: {doc.published or ''}",
        f"  path:      {doc.path or ''}",
    ] + ([f"  url:       {doc.url}"] if doc.url else [])]


def _figure_view(h: FigureHit) -> list[str]:
    f = h.figure
    lines = [
        f"{h.id}  {f.kind}  {f.who or ''}  {bounds(f)}  ({f.qualifier})",
        f"low/best/high: {f.low} / {f.best} / {f.high}",
        f"period:    {period_text(f.period) or '(none)'}" + (f" ({f.period.precision}) \"{f.period.text}\"" if f.period and f.period.text else ""),
        f"place:     {place_text(f.place) or '(none)'}" + (f" [{f.place.precision}] \"{f.place.text}\"" if f.place and f.place.text else ""),
        f"aggregate: {'yes: a total over many incidents' if f.aggregate else 'no: one incident'}",
        f"stated by: {f.attributed_to or '(not said)'}" + (f", via {f.via}" if f.via else ""),
    ]
    return [terminal_safe(line) for line in lines] + _evidence_lines(h.document, f.evidence, f.sentence) + _doc_lines(h.document)


def _event_view(h: EventHit) -> list[str]:
    e = h.event
    lines = [
        f"{h.id}  {e.event_type} / {e.sub_event_type}" + ("  (main event)" if e.main else ""),
        f"date:      {period_text(e.date)}" + (f" ({e.date.precision})" if e.date and e.date.precision else ""),
        f"place:     {place_text(e.place)}" + (f" [{e.place.precision}]" if e.place and e.place.precision else ""),
        f"actors:    {'; '.join(f'{a.name} ({a.role})' if a.role else a.name for a in e.actors)}",
        f"targets:   {', '.join(e.targets)}",
        f"figures:   {' '.join(h.figure_ids)}",
        f"stated by: {e.attributed_to or '(not said)'}" + (f", via {e.via}" if e.via else ""),
    ]
    return [terminal_safe(line) for line in lines] + _evidence_lines(h.document, e.evidence, None) + _doc_lines(h.document)


def show_text(item: Any, rows: tuple[list[FigureHit], list[EventHit]] | None) -> str:
    if isinstance(item, FigureHit):
        return "\n".join(_figure_view(item))
    if isinstance(item, EventHit):
        return "\n".join(_event_view(item))
    figs, evs = rows or ([], [])
    doc = item.document
    lines = _doc_lines(item)[0:1] + [f"  {line.strip()}" for line in _doc_lines(item)[1:]]
    if item.error:
        lines.append(f"  status:    extraction failed: {terminal_safe(item.error)}")
    language = _language(item)
    if language:
        lines.append(f"  language:  {language}: rasd reads en, so no figures or events were extracted")
    lines += [f"  format:    {doc.format}", f"  sha256:    {doc.sha256}", f"  ingested:  {item.ingested_at}",
              f"  words:     {len(doc.text.split())}", "", f"figures ({len(figs)}):"]
    if figs:
        lines.append(table(*figure_table(figs)))
    lines += ["", f"events ({len(evs)}):"]
    if evs:
        lines.append(table(*event_table(evs)))
    return "\n".join(lines)


def _language(item: Any) -> str | None:
    """The language detected at ingest when rasd cannot read it (``DocumentInfo.language``), else None."""
    ex = getattr(item, "extraction", None)
    return ex.document.language if ex is not None and ex.document is not None else None


def item_json(item: Any, rows: tuple[list[FigureHit], list[EventHit]] | None) -> dict[str, Any]:
    if isinstance(item, FigureHit):
        return figure_json(item)
    if isinstance(item, EventHit):
        return event_json(item)
    figs, evs = rows or ([], [])
    return {**item.summary(), "format": item.document.format, "ingested_at": item.ingested_at,
            "language": _language(item), "figures": [figure_json(h) for h in figs], "events": [event_json(h) for h in evs]}


# -- search ------------------------------------------------------------------------------


def search_output(hits: list[SearchHit], fmt: str) -> str:
    if fmt == "json":
        return dumps([{**h.document.summary(), "snippet": h.snippet, "rank": h.rank} for h in hits], indent=2)
    if not hits:
        return "(no match)"
    out = []
    for h in hits:
        d = h.document.document
        out.append(f"{d.id[:16]}  {d.published or '':10}  {clip(d.publisher, 24)}  {clip(d.title or d.path, 60)}")
        opening, closing = marks()
        snippet = terminal_safe(" ".join(h.snippet.split())).replace(SEARCH_MARKS[0], opening).replace(SEARCH_MARKS[1], closing)
        out.append("    " + snippet)
    return "\n".join(out)


# -- progress ----------------------------------------------------------------------------


class ProgressBar:
    """A tqdm bar on standard error (counts and rate), or nothing when disabled."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True, mininterval=0.2)

    def update(self, report: Any) -> None:
        if self.bar is None:
            return
        done = report.read + report.failed
        self.bar.update(done - self.bar.n)
        self.bar.set_postfix(new=report.stored, unchanged=report.unchanged, failed=report.failed, refresh=False)

    def write(self, line: str) -> None:
        """A line on standard error that does not break the bar."""
        line = terminal_safe(line)
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            click.echo(line, err=True)

    def tick(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
