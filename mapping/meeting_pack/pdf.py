"""The PDF meeting pack (A4), drawn with fpdf2: no network, no HTML, text written as plain text.

Page 1: title, date, author, supplier count and a map drawn from the reference geography — the
département outlines of the région and one numbered point per supplier, in Lambert-93 — so it needs no
tile server. Then one card per supplier (:mod:`mapping.meeting_pack.content`), never split over two
pages when it fits on one.

Text is never interpreted: fpdf2's ``markdown`` is off, so a name like ``<img src=x onerror=…>`` or
``**x**`` is printed as typed. A Unicode TrueType font (DejaVu Sans, Debian's ``fonts-dejavu-core``) is
embedded when found; otherwise the PDF core font Helvetica is used and characters outside Latin-1 are
replaced.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import geopandas as gpd
from fpdf import FPDF
from pyproj import Transformer
from shapely.geometry import MultiPolygon, Polygon

from mapping.meeting_pack import texts
from mapping.meeting_pack.content import Card
from mapping.reference import geography
from mapping.reference.schema import CRS_LAMBERT93, CRS_WGS84

log = logging.getLogger(__name__)

#: Unicode fonts tried in order (regular, bold); Debian: fonts-dejavu-core, fonts-liberation.
FONT_CANDIDATES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
        Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
    ),
)
MARGIN = 15.0
MAP_HEIGHT = 150.0
_ACCENT = (31, 95, 139)
_GREY = (110, 110, 110)


class _Pack(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.pack_title = title
        self.family = "helvetica"
        self.unicode = False
        for regular, bold in FONT_CANDIDATES:
            if regular.exists() and bold.exists():
                self.add_font("pack", "", str(regular))
                self.add_font("pack", "B", str(bold))
                self.family, self.unicode = "pack", True
                break
        else:
            log.warning("Aucune police Unicode trouvée (fonts-dejavu-core) : Helvetica, caractères Latin-1 seulement")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        self.alias_nb_pages()

    def clean(self, text: str) -> str:
        text = str(text)
        if self.unicode:
            return text
        text = text.replace("’", "'").replace("–", "-").replace("·", "-").replace("œ", "oe").replace("Œ", "OE")
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False, color: Sequence[int] = (0, 0, 0)) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def write_line(self, text: str, height: float, *, width: float = 0) -> None:
        self.multi_cell(width, height, self.clean(text), markdown=False, new_x="LMARGIN", new_y="NEXT", align="L")

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.font(8, color=_GREY)
        page = texts.FOOTER.format(title=self.pack_title, page=self.page_no(), pages="{nb}")
        self.cell(0, 5, self.clean(page), align="C")


def _rings(geom) -> list:
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom] if isinstance(geom, Polygon) else []
    return [list(p.exterior.coords) for p in polygons]


def _draw_map(pdf: _Pack, cards: list[Card], top: float) -> float:
    """Département outlines and numbered points in a box under ``top``; returns the box's bottom."""
    width = pdf.w - 2 * MARGIN
    try:
        outlines = geography.departement_polygons().to_crs(CRS_LAMBERT93)
    except (OSError, ValueError) as exc:
        log.warning("Contours des départements indisponibles : %s", exc)
        outlines = gpd.GeoDataFrame(geometry=[], crs=CRS_LAMBERT93)
    to_l93 = Transformer.from_crs(CRS_WGS84, CRS_LAMBERT93, always_xy=True)
    located = [c for c in cards if c.lon is not None and c.lat is not None]
    points = [to_l93.transform(c.lon, c.lat) for c in located]
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    if len(outlines):
        minx, miny, maxx, maxy = outlines.total_bounds
        xs, ys = [*xs, minx, maxx], [*ys, miny, maxy]
    if not xs:
        return top
    minx, maxx, miny, maxy = min(xs), max(xs), min(ys), max(ys)
    span = max(maxx - minx, maxy - miny, 1000.0)
    scale = min(width / max(maxx - minx, span * 0.2), MAP_HEIGHT / max(maxy - miny, span * 0.2)) * 0.95
    left = MARGIN + (width - (maxx - minx) * scale) / 2
    bottom = top + MAP_HEIGHT - (MAP_HEIGHT - (maxy - miny) * scale) / 2

    def at(x: float, y: float) -> tuple[float, float]:
        return left + (x - minx) * scale, bottom - (y - miny) * scale

    pdf.set_draw_color(140, 140, 140)
    pdf.set_line_width(0.3)
    for geom in outlines.geometry:
        for ring in _rings(geom):
            pdf.polygon([at(x, y) for x, y, *_ in ring], style="D")
    pdf.set_fill_color(*_ACCENT)
    pdf.font(7, bold=True, color=_ACCENT)
    for card, (x, y) in zip(located, points, strict=True):
        px, py = at(x, y)
        pdf.circle(px, py, 1.3, style="F")
        pdf.text(px + 1.8, py + 1.0, str(card.number))
    pdf.set_draw_color(200, 200, 200)
    pdf.rect(MARGIN, top, width, MAP_HEIGHT)
    return top + MAP_HEIGHT


def _card_height(pdf: _Pack, card: Card, width: float) -> float:
    lines = pdf.multi_cell(width, 5, pdf.clean(f"{card.number}. {card.name}"), dry_run=True, output="LINES")
    height = 7 * len(lines) + 3
    for label, value in card.fields():
        height += 4.6 * len(pdf.multi_cell(width, 4.6, pdf.clean(f"{label} : {value}"), dry_run=True, output="LINES"))
    return height + (9 if not card.present else 0)


def _draw_card(pdf: _Pack, card: Card) -> None:
    width = pdf.w - 2 * MARGIN
    pdf.font(9.5)
    if pdf.get_y() + _card_height(pdf, card, width) > pdf.h - MARGIN - 5 and pdf.get_y() > MARGIN + 20:
        pdf.add_page()
    pdf.set_draw_color(*_ACCENT)
    pdf.set_line_width(0.4)
    pdf.line(MARGIN, pdf.get_y(), MARGIN + width, pdf.get_y())
    pdf.ln(1.5)
    pdf.font(12, bold=True, color=_ACCENT)
    pdf.write_line(f"{card.number}. {card.name}", 7)
    if not card.present:
        pdf.font(9.5, bold=True, color=(160, 40, 40))
        pdf.write_line(f"« {texts.GONE} »", 5)
        pdf.font(9, color=_GREY)
        pdf.write_line(texts.GONE_DETAIL, 4.6)
    for label, value in card.fields():
        pdf.font(9.5, bold=True)
        pdf.set_x(MARGIN)
        label_text = pdf.clean(f"{label} : ")
        pdf.cell(pdf.get_string_width(label_text), 4.6, label_text)
        pdf.font(9.5)
        pdf.multi_cell(0, 4.6, pdf.clean(value), markdown=False, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(3)


def render_pdf(cards: list[Card], *, title: str, author: str | None = None, day: date | None = None) -> bytes:
    """The meeting pack of ``cards`` (see the module docstring)."""
    day = day or date.today()
    pdf = _Pack(title)
    pdf.set_title(pdf.clean(title))
    pdf.set_author(pdf.clean(author or "Sourcier"))
    pdf.set_creator("Sourcier")
    pdf.add_page()
    pdf.font(20, bold=True, color=_ACCENT)
    pdf.write_line(title, 10)
    pdf.font(10.5, color=_GREY)
    when = texts.french_date(day)
    pdf.write_line(
        texts.PREPARED_BY.format(author=author, date=when) if author else texts.PREPARED_ON.format(date=when), 6
    )
    n = len(cards)
    pdf.write_line(texts.SUPPLIERS_COUNT.format(n=n, s="s" if n > 1 else ""), 6)
    pdf.ln(3)
    pdf.font(11, bold=True)
    pdf.write_line(texts.MAP_TITLE, 6)
    bottom = _draw_map(pdf, cards, pdf.get_y() + 1)
    pdf.set_y(bottom + 2)
    pdf.font(8.5, color=_GREY)
    pdf.write_line(texts.MAP_CAPTION, 4.5)
    unlocated = [c.name for c in cards if c.present and c.lon is None]
    if unlocated:
        pdf.write_line(texts.NO_LOCATION.format(names=", ".join(unlocated)), 4.5)
    if not cards:
        pdf.font(11)
        pdf.write_line(texts.EMPTY, 6)
    else:
        pdf.add_page()
    for card in cards:
        _draw_card(pdf, card)
    return bytes(pdf.output())
