"""Plain text and Markdown files -> Document (the text as it is; markup is text too)."""

from __future__ import annotations

import re

from ..model import Document
from .html import extract_page
from .raw import Loaded, decode, sha256

_MD_TITLE = re.compile(r"\A\s*#\s+(.+?)\s*#*\s*$", re.MULTILINE)

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


def load_file(source: str, path: str, data: bytes, fmt: str) -> Loaded:
    """One whole file's bytes -> a Document (``fmt``: text, markdown or html)."""
    digest = sha256(data)
    text = decode(source, data, html=fmt == "html")
    title = published = publisher = url = None
    if fmt == "html":
        page = extract_page(source, text)
        text, title, published, publisher, url = page.text, page.title, page.published, page.publisher, page.url
    elif fmt == "markdown":
        m = _MD_TITLE.match(text)
        title = m.group(1) if m else None
    doc = Document(
        id=digest, sha256=digest, text=text, title=title, published=published,
        publisher=publisher, url=url, path=path, format=fmt,
    )
    return Loaded(doc, data)
