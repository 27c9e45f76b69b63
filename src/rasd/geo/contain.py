"""Places the text puts inside others: "the Gombe area of Kinshasa", "Suweeto neighbourhood (Bosasso)",
"Juba's Gudele area", "Metu, Ilubabor region". A reading of the part that does not lie in the whole contradicts
the text: the part takes one of its readings that does, or stays unresolved (the whole then stands for it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from .rank import haversine_km

if TYPE_CHECKING:
    from .gazetteer import Entry
    from .resolve import Toponym

LOGGER = logging.getLogger(__name__)

CONTAIN_KM = 30.0  # a neighbourhood, suburb or village "of" a town lies this close to it
UNIT_KM = 150.0  # and a place within a district (a region entry with a point) this close to that point
_PART_NOUNS = (r"area|neighbou?rhood|district|suburb|township|quarter|section|village|market|settlement|locality|ward"
               r"|sub-?county|commune|camp|town")
# between a part and the place it lies in: "Gombe area of Kinshasa", "Suweeto neighbourhood (Bosasso)", "Sabon Gari of Kano"
_PART_OF = re.compile(rf"^\s*(?:(?:{_PART_NOUNS})\s+)?(?:\(|(?:of|in)\s+(?:the\s+)?)\s*$", re.I)
_OWNS = re.compile(r"^[’']s\s+$")  # "Mogadishu's Waberi district": the second lies in the first
_UNIT_AFTER_COMMA = re.compile(r"^\s*,\s*$")  # "Metu, Ilubabor region": a town, then the unit it lies in


def _inside_of(part: Entry, whole: Entry) -> bool:
    """Whether reading ``part`` can lie in reading ``whole`` (a town: within ``CONTAIN_KM``; a unit: its country and admin1)."""
    if whole.kind == "C":
        return part.country == whole.ref
    if part.country != whole.country:
        return False
    if whole.kind == "A":
        return part.admin1 == whole.admin1
    if whole.lat is None or whole.lon is None or part.lat is None or part.lon is None:
        return part.admin1 == whole.admin1
    km = CONTAIN_KM if whole.kind == "P" else UNIT_KM
    return haversine_km(part.lat, part.lon, whole.lat, whole.lon) <= km


def contained(kept: list[Toponym], text: str, precision: Callable[[Toponym], str]) -> list[Toponym]:
    """A place the text puts inside another ("the Gombe area of Kinshasa", "Suweeto neighbourhood (Bosasso)",
    "Juba's Gudele area", "Metu, Ilubabor region") takes a reading that lies there; with none among its best
    readings, its reading contradicts the text and it stays unresolved (the place it lies in stands)."""
    drop: set[int] = set()
    for i, (a, b) in enumerate(zip(kept, kept[1:])):
        between = text[a.end : b.start]
        if _PART_OF.match(between) or (_UNIT_AFTER_COMMA.match(between) and b.precision in ("admin1", "admin2")
                                      and a.precision in ("point", "near")):
            part, whole, at = a, b, i
        elif _OWNS.match(between):
            part, whole, at = b, a, i + 1
        else:
            continue
        assert part.entry is not None and whole.entry is not None
        if part.entry.kind == "C" or _inside_of(part.entry, whole.entry):
            continue
        fits = [(c, p) for c, p in part.scores if _inside_of(c, whole.entry)]
        if fits:
            part.entry = fits[0][0]
            part.precision = precision(part)
            part.scores = [fits[0], *[cs for cs in part.scores if cs is not fits[0]]]
        else:
            LOGGER.debug("unresolved %r: its reading does not lie in %r", part.text, whole.text)
            part.entry, part.precision = None, None
            drop.add(at)
    return [t for i, t in enumerate(kept) if i not in drop]
