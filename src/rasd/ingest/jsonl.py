"""JSON Lines -> Documents, one per line, per the input contract (CONTRACT.md).

Fields: ``id`` (optional; default the sha256 of the document's text, as the
contract says; ``sha256`` is always that of the line's bytes), ``text`` or
``html`` (one is required), ``title``, ``published`` (ISO date), ``publisher``,
``url``. Blank lines are skipped. A bad line is reported with its number and
the rest of the file is still read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import InputError
from ..model import Document
from .html import extract_page
from .raw import Loaded, decode, max_bytes, sha256, too_big

_OPTIONAL_TEXT = ("title", "publisher", "url")


def read_lines(source: str, path: str, lines: Iterable[bytes]) -> Iterator[Loaded | InputError]:
    """Each non-blank line -> a Loaded document or an InputError naming the line."""
    limit = max_bytes()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if len(line) > limit:
            yield too_big(source, len(line), number)
            continue
        try:
            yield load_line(source, f"{path}:{number}", line, number)
        except InputError as exc:
            yield exc


def load_line(source: str, path: str, line: bytes, number: int) -> Loaded:
    text = decode(source, line, number)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not JSON ({exc.msg} at column {exc.colno})", number) from None
    if not isinstance(obj, dict):
        raise InputError(source, f"not a JSON object (got {type(obj).__name__})", number)
    raw = line.rstrip(b"\r\n")
    digest = sha256(raw)
    fields = {k: _string(source, obj, k, number) for k in ("id", *_OPTIONAL_TEXT)}
    published = parse_published(source, obj.get("published"), number)
    body, html = obj.get("text"), obj.get("html")
    if isinstance(body, str) and body.strip():
        text, fmt, given = body.replace("\r\n", "\n").replace("\r", "\n"), "jsonl", body
    elif isinstance(html, str) and html.strip():
        given = html
        page = extract_page(source, html, number, url=fields["url"])
        text, fmt = page.text, "html"
        fields["title"] = fields["title"] or page.title
        fields["publisher"] = fields["publisher"] or page.publisher
        fields["url"] = fields["url"] or page.url
        published = published or page.published
    else:
        raise InputError(source, 'no document: the line needs a non-empty "text" or "html" field', number)
    try:
        given.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(source, f"invalid Unicode in the document at character {exc.start} (a lone surrogate)",
                         number) from None
    doc = Document(
        id=fields["id"] or sha256(given.encode("utf-8")), sha256=digest, text=text, title=fields["title"],
        published=published, publisher=fields["publisher"], url=fields["url"], path=path, format=fmt,
    )
    return Loaded(doc, raw)


def parse_published(source: str, value: Any, line: int | None = None) -> str | None:
    """An ISO date or date-time -> ``YYYY-MM-DD``; anything else is an InputError."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
        try:
            return dt.datetime.fromisoformat(value.strip()).date().isoformat()
        except ValueError:
            pass
    raise InputError(source, f'"published" is not an ISO date (YYYY-MM-DD): {value!r}', line)


def _string(source: str, obj: dict[str, Any], key: str, line: int) -> str | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(source, f'"{key}" must be a string, not {type(value).__name__}', line)
    return str(value).strip() or None
