"""Text side of :class:`mapping.search.index.SupplierIndex`: normalisation, tokens, name/description postings.

Names, descriptions and product names are tokenised (accents, case and punctuation removed) into posting lists over
one vocabulary; a query token matches exactly, as a prefix, or with 1–2 typos (rapidfuzz OSA
distance); digits match SIRET/SIREN prefixes. Private: the public API is ``mapping.search.index``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import OSA

from mapping.reference.text import strip_accents
from mapping.search.facets import arrow_strings, csr, factorize

#: Quality of a query-token match: exact, prefix, one typo, two typos; description hits count less,
#: product names (« Crottin de Chavignol AOP ») between the name and the description.
EXACT, PREFIX, TYPO1, TYPO2 = 1.0, 0.8, 0.7, 0.6
DESCRIPTION_WEIGHT = 0.6
PRODUCTS_WEIGHT = 0.8
#: Text columns searched, with their weight (``products`` is a list column, joined per row).
TEXT_FIELDS = (("name", 1.0), ("description", DESCRIPTION_WEIGHT), ("products", PRODUCTS_WEIGHT))
STOPWORDS = frozenset(
    ["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "pour", "sur", "un", "une"]
)

_WORD_RE = re.compile(r"[a-z0-9]+")
_DOC_WORD_RE = re.compile(r"[a-z0-9]+|\x1f")


def normalize_text(text: str) -> str:
    """Lower-case, accent-free form of ``text`` (``"Biodéchets Œuvre"`` -> ``"biodechets oeuvre"``).

    Works on any length at C speed, so whole columns are normalised as one joined string.
    """
    return strip_accents(text).lower()


def tokenize(text: object) -> list[str]:
    """Normalised words (ASCII letters and digits) of ``text`` without stop-words, in order."""
    if not isinstance(text, str):
        return []
    return [w for w in _WORD_RE.findall(normalize_text(text)) if w not in STOPWORDS]


@dataclass
class TextIndex:
    """Name, description and product-name postings over one sorted vocabulary, and sorted SIRET/SIREN keys."""

    vocab: np.ndarray  # sorted unique tokens (object)
    lookup: dict[str, int]
    fields: tuple[tuple[np.ndarray, np.ndarray, float], ...]  # (indptr, postings, weight)
    ids: tuple[tuple[np.ndarray, np.ndarray], ...]  # (sorted identifiers, positions)

    @classmethod
    def build(cls, gdf: pd.DataFrame, grid_pos: np.ndarray) -> TextIndex:
        per_field, words = [], []
        for column, _weight in TEXT_FIELDS:
            codes, uniques = factorize(_text_column(gdf, column))
            joined = normalize_text("\x1f".join(u.replace("\x1f", " ") for u in uniques))
            flat = np.array([*_DOC_WORD_RE.findall(joined), "\x1f"], dtype=object)
            sep = flat == "\x1f"
            doc = np.cumsum(sep) - sep  # text number of each word
            keep = ~sep & ~pd.Series(flat, dtype=object).isin(STOPWORDS).to_numpy()
            per_field.append((codes, doc[keep]))
            words.append(flat[keep])
        token_ids, vocab = pd.factorize(np.concatenate(words), sort=True)
        fields, start = [], 0
        for (codes, doc), (_column, weight) in zip(per_field, TEXT_FIELDS, strict=True):
            tokens = token_ids[start : start + len(doc)]
            start += len(doc)
            fields.append((*_expand_docs(codes, doc, tokens, grid_pos, len(vocab)), weight))
        ids = []
        for column in ("siret", "siren"):
            values = pc.fill_null(arrow_strings(gdf[column]), "")
            order = pc.array_sort_indices(values).to_numpy()  # stable, as fast as pyarrow sorts
            ids.append((values.take(order).to_numpy(zero_copy_only=False), grid_pos[order]))
        vocab = np.asarray(vocab, dtype=object)
        return cls(vocab, {t: i for i, t in enumerate(vocab)}, tuple(fields), tuple(ids))

    def expand(self, token: str) -> list[tuple[int, float]]:
        """Vocabulary entries matching a query token, with their quality."""
        found: dict[int, float] = {}
        if len(token) >= 4:
            maxd = 1 if len(token) <= 6 else 2
            for _t, dist, i in process.extract(token, self.vocab, scorer=OSA.distance, score_cutoff=maxd, limit=None):
                found[i] = TYPO1 if dist <= 1 else TYPO2
        if len(token) >= 3:
            lo, hi = np.searchsorted(self.vocab, [token, token + "\uffff"])
            found.update(dict.fromkeys(range(int(lo), int(hi)), PREFIX))
        if token in self.lookup:
            found[self.lookup[token]] = EXACT
        return list(found.items())

    def token_scores(self, token: str, n: int) -> np.ndarray:
        """Best match quality of ``token`` per position (0 when absent)."""
        best = np.zeros(n, dtype=np.float32)
        if token.isdigit():
            if len(token) >= 5:
                for keys, positions in self.ids:
                    lo, hi = np.searchsorted(keys, [token, token + ":"])  # ':' sorts right after '9'
                    best[positions[lo:hi]] = EXACT
            return best
        for i, quality in sorted(self.expand(token), key=lambda item: item[1]):
            for indptr, postings, weight in self.fields:
                best[postings[indptr[i] : indptr[i + 1]]] = np.maximum(
                    best[postings[indptr[i] : indptr[i + 1]]], quality * weight
                )
        return best


def _text_column(gdf: pd.DataFrame, column: str) -> pd.Series:
    """A searched column as strings: list cells (product names) joined, missing column or empty list None."""
    if column not in gdf.columns:
        return pd.Series([None] * len(gdf), index=gdf.index, dtype=object)
    values = gdf[column]
    if column != "products":
        return values
    joined = {}  # equal lists are often one shared object (mapping.build.table.read_suppliers)
    out = []
    for cell in values.tolist():
        key = id(cell)
        if key not in joined:
            items = [str(v) for v in (cell if isinstance(cell, (list, tuple, np.ndarray)) else []) if v]
            joined[key] = " ; ".join(items) or None
        out.append(joined[key])
    return pd.Series(out, index=values.index, dtype=object)


def _expand_docs(
    codes: np.ndarray, doc: np.ndarray, tokens: np.ndarray, grid_pos: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Postings token -> positions from the words of each distinct text (texts shared by rows are read once)."""
    present = codes >= 0
    order = np.argsort(codes[present], kind="stable")
    rows_by_doc = grid_pos[present][order]
    per_doc = np.bincount(codes[present], minlength=int(doc.max()) + 1 if len(doc) else 0)
    doc_start = np.concatenate(([0], np.cumsum(per_doc)))[:-1]
    count = per_doc[doc]
    offsets = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    rows = rows_by_doc[np.repeat(doc_start[doc], count) + offsets]
    return csr(np.repeat(tokens, count), rows, size)
