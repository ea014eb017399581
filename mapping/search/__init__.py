"""Search: the supplier index (criteria, place and radius, text with typos), built once per table.

Public names: :class:`SupplierIndex` (``index.search(...)``) and :func:`search` (one-shot). Modules:
``index`` (the index and its result rows), ``criteria`` (what a search asks, projection), ``facets``
(code-list columns as compressed sparse rows), ``text`` (names and descriptions, typo-tolerant).
"""

from mapping.search.index import SupplierIndex, normalize_text, project, search

__all__ = ["SupplierIndex", "normalize_text", "project", "search"]
