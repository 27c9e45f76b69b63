"""Checks on raw bytes before they become text: size, binary content, UTF-8."""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

from .. import settings
from ..errors import InputError
from ..model import Document

# Magic numbers of files people drop into folders by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\x7fELF", "ELF executable"),
    (b"RIFF", "RIFF media"),
)
_HTML_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class Loaded(NamedTuple):
    """A document read from its source, with the raw bytes it came from."""

    document: Document
    raw: bytes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def max_bytes() -> int:
    return int(settings.get("max_file_bytes"))


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return f"{n} bytes"


def too_big(source: str, size: int, line: int | None = None) -> InputError:
    limit = max_bytes()
    return InputError(
        source,
        f"too large: {human_size(size)} ({size} bytes) is above the limit of {human_size(limit)}"
        " (setting max_file_bytes, env RASD_MAX_FILE_BYTES)",
        line,
    )


def sniff_binary(data: bytes) -> str | None:
    """Why the bytes look binary ("looks like PNG"), or None when they may be text."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return f"looks like {name}"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "looks like UTF-16 text; save it as UTF-8"
    if b"\x00" in data:
        return "contains NUL bytes"
    return None


def decode(source: str, data: bytes, line: int | None = None, html: bool = False) -> str:
    """Bytes -> text: refuse empty, binary and non-UTF-8 input with a reason naming the problem.

    HTML that declares another charset in a ``<meta>`` tag is decoded with it.
    Line ends become ``\\n``; a UTF-8 byte-order mark is dropped.
    """
    if not data.strip():
        raise InputError(source, "empty file" if line is None else "empty line", line)
    kind = sniff_binary(data)
    if kind is not None:
        raise InputError(source, f"binary file ({kind})", line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        charset = _declared_charset(data) if html else None
        if charset is None:
            raise InputError(
                source, f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); save it as UTF-8", line
            ) from None
        try:
            text = data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            raise InputError(source, f"cannot decode as its declared charset {charset!r}", line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "empty file" if line is None else "empty line", line)
    return text


def _declared_charset(data: bytes) -> str | None:
    m = _HTML_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    return None if name.replace("-", "") in ("utf8",) else name
