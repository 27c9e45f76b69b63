"""Documents' events -> incidents: linking, estimates, source independence, exports.

``link_documents(docs)`` links in memory; ``repository.update_incidents`` /
``repository.relink`` keep the store's incidents; ``export`` writes them out.
"""

from __future__ import annotations

from .linker import IncidentIndex, LinkDocument, Linker, MemoryIndex, link_documents
from .rules import Match, compare

__all__ = ["IncidentIndex", "LinkDocument", "Linker", "Match", "MemoryIndex", "compare", "link_documents"]
