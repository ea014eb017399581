"""The « Acheteurs » screen without Streamlit: purchase family (with its CPV codes), structure kinds, reserved
contracts, and how many suppliers of the result each kind of reservation could go to.

Criteria are ``SupplierIndex.search`` keywords; the page's URL parameters are :data:`BUYER_PARAMS`
(``familles``, ``types``, ``marches``, ``lieu``, ``rayon``, ``fournisseur``; see :mod:`mapping.screens.links`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mapping.coverage import load_thresholds
from mapping.coverage.potential import potential_of
from mapping.reference import taxonomy
from mapping.screens import buyer_texts, texts
from mapping.search.index import SupplierIndex

#: Criteria of the page, in the order of the widgets.
FACETS = ("purchase_families", "actor_kinds", "reserved_contracts")
#: URL parameters of ``/acheteurs``.
BUYER_PARAMS = ("lieu", "rayon", "familles", "types", "marches", "fournisseur")

#: Structure kinds a buyer chooses from, grouped as a buyer thinks of them (codes of ``actor_kinds``).
KIND_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("insertion", ("ei", "aci", "ai", "etti", "eiti", "geiq")),
    ("handicap", ("esat", "ea")),
    ("cooperative", ("scop", "scic", "cae")),
    ("ess", ("association", "esus", "fondation", "mutuelle")),
)


def cpv_display(prefix: str) -> str:
    """A CPV prefix as a buyer reads it: ``"909"`` -> ``"909…"`` (every code starting with 909)."""
    return f"{prefix}…" if len(prefix) < 8 else prefix


def family_cpv(code: str) -> list[str]:
    """CPV prefixes of a purchase family (``purchase_families.json``)."""
    entry = next((e for e in taxonomy.entries("purchase_families") if e["code"] == code), {})
    return [str(p) for p in entry.get("cpv", [])]


def family_options(counts: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """Purchase family code -> « Nettoyage et propreté des locaux · CPV 909…, 3983… (42) »."""
    per_code = counts.get("purchase_families", {})
    out = {}
    for entry in taxonomy.entries("purchase_families"):
        cpv = ", ".join(cpv_display(str(p)) for p in entry.get("cpv", []))
        count = texts.format_count(int(per_code.get(entry["code"], 0)))
        out[entry["code"]] = f"{entry['label']} · CPV {cpv} ({count})" if cpv else f"{entry['label']} ({count})"
    return out


def cpv_lines(families: Sequence[str]) -> list[str]:
    """One Markdown line per chosen family with its CPV prefixes (taxonomy text, no source text)."""
    return [
        buyer_texts.CPV_FAMILY.format(
            label=texts.markdown_text(taxonomy.label("purchase_families", code)),
            codes=", ".join(cpv_display(p) for p in family_cpv(code)),
        )
        for code in families
        if family_cpv(code)
    ]


def kind_options(counts: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """Structure kind code -> « Insertion (SIAE) · Entreprise d'insertion (EI) (12) », in :data:`KIND_CHOICES` order."""
    per_code = counts.get("actor_kinds", {})
    return {
        code: (
            f"{buyer_texts.KIND_GROUPS[group]} · {taxonomy.label('actor_kinds', code)} "
            f"({texts.format_count(int(per_code.get(code, 0)))})"
        )
        for group, codes in KIND_CHOICES
        for code in codes
    }


def article_options(counts: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """Reserved-contract article -> « L2113-13 · structures d'insertion (SIAE) (57) »."""
    per_code = counts.get("reserved_contracts", {})
    return {
        e["code"]: f"{e['code']} · {e.get('short', e['label'])} ({texts.format_count(int(per_code.get(e['code'], 0)))})"
        for e in taxonomy.entries("reserved_contracts")
    }


def article_summaries() -> list[tuple[str, str]]:
    """(article, one French sentence) for every reserved-contract article, in code order."""
    return [(e["code"], e.get("summary", e["label"])) for e in taxonomy.entries("reserved_contracts")]


def articles_help() -> str:
    """Help of the « Marché réservé visé » widget: the criterion, then each article in one line."""
    lines = [buyer_texts.ARTICLES_HELP, *(f"**{code}** — {summary}" for code, summary in article_summaries())]
    return "\n\n".join(lines)


def article_applies(article: str, families: Sequence[str]) -> bool:
    """Whether ``article`` can be used for one of ``families`` (True when no family is chosen).

    Articles with ``cpv_prefixes`` in ``reserved_contracts.json`` (L2113-15) apply only to the services
    listed there: a family applies when one of its CPV prefixes and one of the article's overlap.
    """
    entry = next((e for e in taxonomy.entries("reserved_contracts") if e["code"] == article), {})
    allowed = [str(p) for p in entry.get("cpv_prefixes", [])]
    if not allowed or not families:
        return True
    return any(a.startswith(f) or f.startswith(a) for family in families for f in family_cpv(family) for a in allowed)


@dataclass(frozen=True)
class Reservation:
    """How many suppliers of a result one kind of reserved contract could go to."""

    article: str
    short: str
    count: int
    applies: bool
    potential: str  # "contract", "lot" or "clause" (thresholds of data/reference/coverage_thresholds.json)


def reservation_counts(index: SupplierIndex, criteria: Mapping[str, object]) -> list[Reservation]:
    """Per reserved-contract article, the suppliers of the whole result (``criteria`` of the search, any
    ``reserved_contracts`` filter replaced by the article) that it may be reserved to."""
    base = {k: v for k, v in criteria.items() if k != "reserved_contracts"}
    chosen = [str(f) for f in base.get("purchase_families", []) or []]
    limits = load_thresholds()
    out = []
    for entry in taxonomy.entries("reserved_contracts"):
        article = entry["code"]
        count = int(index.search(**base, reserved_contracts=[article], limit=0).attrs["total"])
        applies = article_applies(article, chosen)
        out.append(
            Reservation(
                article=article,
                short=entry.get("short", entry["label"]),
                count=count,
                applies=applies,
                potential=potential_of(count, limits) if applies else "clause",
            )
        )
    return out


def reservation_lines(reservations: Sequence[Reservation], families: Sequence[str]) -> list[tuple[str, str]]:
    """Per article, a Markdown line « **12** L2113-13 — structures d'insertion (SIAE) » and its explanation in
    one sentence (for L2113-15, why it does not apply to the chosen families when it does not)."""
    summaries = dict(article_summaries())
    lines = []
    for r in reservations:
        line = buyer_texts.RESERVATION_LINE.format(
            count=texts.format_count(r.count), article=r.article, short=r.short, advice=buyer_texts.ADVICE[r.potential]
        )
        explanation = summaries.get(r.article, "")
        if not r.applies:
            labels = [texts.markdown_text(taxonomy.label("purchase_families", f)) for f in families]
            explanation = buyer_texts.RESERVATION_NOT_APPLICABLE.format(families=buyer_texts.families_text(labels))
        lines.append((line, explanation))
    return lines


__all__ = [
    "BUYER_PARAMS",
    "FACETS",
    "KIND_CHOICES",
    "Reservation",
    "article_applies",
    "article_options",
    "article_summaries",
    "articles_help",
    "cpv_lines",
    "family_options",
    "kind_options",
    "reservation_counts",
    "reservation_lines",
]
