"""Web pages -> main text and metadata, through trafilatura.

Only the article's main text becomes the document text: navigation, cookie
banners, footers, comments and "related posts" are left out, so site chrome
is never evidence. Metadata (title, publication date, site name, canonical
URL) comes from the page's own markup; the date only from structured
metadata (``extensive_search`` off), never guessed from dates in the body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..errors import InputError

LOGGER = logging.getLogger(__name__)

_DATE_PARAMS = {"original_date": True, "extensive_search": False}


@dataclass
class Page:
    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    url: str | None = None


def extract_page(source: str, html: str, line: int | None = None, url: str | None = None) -> Page:
    """The main text and metadata of one HTML page; InputError when it holds no text."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=dict(_DATE_PARAMS),
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        LOGGER.debug("trafilatura failed on %s: %r", source, exc)
        raise InputError(source, f"malformed HTML: no main text could be extracted ({type(exc).__name__})", line) from None
    text = (getattr(result, "text", None) or "").strip() if result is not None else ""
    if not text:
        raise InputError(source, "malformed HTML or no article in the page: no main text could be extracted", line)
    published = getattr(result, "date", None)
    return Page(
        text=text,
        title=getattr(result, "title", None) or None,
        published=published[:10] if published else None,
        publisher=getattr(result, "sitename", None) or getattr(result, "hostname", None) or None,
        url=getattr(result, "url", None) or url,
    )
