"""What the map's page carries about the actors: escaped strings, compact marker rows, popup JS.

:func:`escape_text` and :func:`escape_series` make data safe inside folium/Leaflet HTML and JS template
literals; :func:`marker_rows` turns the actor table into one short JSON list per actor plus the tables its
indices refer to (labels, code lists, places, domains), and :data:`POPUP_CALLBACK` is the JS that builds the
circle markers, tooltips and popups from those rows. Private: the public API is ``mapping.maps.builder``.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable

import geopandas as gpd
import pandas as pd

import connectors
from mapping.maps import texts
from mapping.reference import taxonomy
from mapping.reference.schema import as_list

_OTHER = len(texts.KIND_GROUPS)
GROUP_COLORS = [color for _, _, color in texts.KIND_GROUPS] + [texts.OTHER_GROUP[1]]
GROUP_NAMES = [name for _, name, _ in texts.KIND_GROUPS] + [texts.OTHER_GROUP[0]]
_EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
#: What :func:`escape_text` replaces, ``&`` first (same entities as ``html.escape(quote=True)``).
_ENTITIES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("'", "&#x27;"),
    ("`", "&#96;"),
    ("$", "&#36;"),
    ("\\", "&#92;"),
)
_FR_PHONE_RE = re.compile(r"^0\d(?: \d\d){4}$")


def escape_text(value: object) -> str:
    """Make any value safe to show inside folium/Leaflet HTML and JS template literals.

    ``html.escape(quote=True)`` plus backtick, dollar and backslash as HTML entities, so that the text
    can neither open a tag, close a ``<script>``, nor run ``${...}`` in a template literal.
    Missing values (None, NaN, NA) give ``""``.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def escape_series(values: pd.Series) -> pd.Series:
    """Vectorised :func:`escape_text` of a column (missing values give ``""``)."""
    out = values.astype("string").fillna("")
    for char, entity in _ENTITIES:
        out = out.str.replace(char, entity, regex=False)
    return out


def script_json(value: object) -> str:
    """Compact JSON that can sit in a ``<script>`` (no ``<``/``>``; U+2028/2029 escaped), UTF-8 kept.

    The strings in it are already HTML-escaped (:func:`escape_text`), so ``&`` is left as is: it means
    nothing inside a script element and ``&#x27;`` stays 6 bytes instead of 11 with ``\\u0026``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def _website(value: object) -> str:
    """An escaped http(s) URL, or "" (never a ``javascript:`` or other scheme)."""
    url = str(value).strip() if isinstance(value, str) else ""
    if url.lower().startswith("www."):
        url = f"https://{url}"
    return escape_text(url) if re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) else ""


def _email(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    return escape_text(text) if _EMAIL_RE.match(text) else ""


def _label(name: str, code: str) -> str:
    return taxonomy.label(name, code)


@functools.lru_cache(maxsize=1)
def _group_of_kind() -> dict[str, int]:
    """``actor_kinds`` code -> index of its colour group in :data:`texts.KIND_GROUPS`."""
    order = {group: i for i, (group, _, _) in enumerate(texts.KIND_GROUPS)}
    return {e["code"]: order.get(e.get("group"), _OTHER) for e in taxonomy.entries("actor_kinds")}


def _source_title(name: str) -> str:
    return connectors.title(name)


class _Lookup:
    """Codes -> small integers, with the escaped labels as a JS array (keeps the data compact)."""

    def __init__(self, labeller: Callable[[str], str]) -> None:
        self._labeller = labeller
        self.index: dict[str, int] = {}
        self.labels: list[str] = []

    def __call__(self, codes: object) -> list[int]:
        out = []
        for code in as_list(codes):
            if code not in self.index:
                self.index[code] = len(self.labels)
                self.labels.append(escape_text(self._labeller(code)))
            out.append(self.index[code])
        return out


class _Combos:
    """Code lists -> index of the distinct list (a few dozen to a few thousand per table), each list as
    indices into the labels of a :class:`_Lookup`: ``[3]`` instead of ``[0, 4, 7]`` in every row."""

    def __init__(self, lookup: _Lookup) -> None:
        self.lookup = lookup
        self.index: dict[tuple, int] = {}
        self.combos: list[list[int]] = []

    def codes(self, values: pd.Series) -> list[int]:
        out = []
        for value in values:
            key = tuple(as_list(value))
            i = self.index.get(key)
            if i is None:
                i = self.index[key] = len(self.combos)
                self.combos.append(self.lookup(key))
            out.append(i)
        return out


def _interned(values: pd.Series, table: dict[str, int]) -> list[int]:
    """Index of each string in ``table`` (insertion order), adding the new ones."""
    return [table.setdefault(v, len(table)) for v in values.tolist()]


def _compact_phone(phone: str) -> int | str:
    """``"02 38 00 00 00"`` -> ``238000000`` (the popup puts the ``0`` and the spaces back); else unchanged."""
    if _FR_PHONE_RE.match(phone) and phone[1] != "0":
        return int(phone.replace(" ", ""))
    return phone


def _main_group(kinds: object, groups: dict[str, int]) -> int:
    return min((groups.get(k, _OTHER) for k in as_list(kinds)), default=_OTHER)


def _emails(values: pd.Series, domains: dict[str, int]) -> tuple[list[str], list[int]]:
    """Escaped local part and index of the (escaped) domain in ``domains``; ``("", 0)`` without an email."""
    local, domain = [], []
    for value in values.tolist():
        email = _email(value)
        if email:
            user, host = email.split("@")
            local.append(user)
            domain.append(domains.setdefault(host, len(domains)))
        else:
            local.append("")
            domain.append(0)
    return local, domain


def _websites(values: pd.Series, domains: dict[str, int]) -> list[int | str]:
    """``https://www.<domain>`` of a known e-mail domain -> its index; else the escaped URL without ``https://``."""
    out: list[int | str] = []
    for value in values.tolist():
        url = _website(value)
        host = url.removeprefix("https://www.") if url.startswith("https://www.") else None
        out.append(domains[host] if host in domains else url.removeprefix("https://"))
    return out


def marker_rows(gdf: gpd.GeoDataFrame, *, with_uid: bool = False) -> tuple[list[list], dict[str, object], list[int]]:
    """The marker rows (one short list per actor), the tables they refer to, and the colour groups used.

    A row is ``[y, x, kinds, name, address, place, phone, email, domain, website, families, wastes,
    sources]`` (plus ``distance`` in tenths of a km when ``gdf`` has ``distance_km``, then the escaped ``uid``
    last when ``with_uid``): coordinates in
    1e-5 degrees (≈1 m) from the tables' origin ``y0``/``x0``, code lists and repeated strings as indices
    into the tables (postcode + city in ``P``, e-mail and web domains in ``D``). Every string is escaped.
    """
    kinds = _Combos(_Lookup(functools.partial(_label, "actor_kinds")))
    families = _Combos(_Lookup(functools.partial(_label, "purchase_families")))
    wastes = _Combos(_Lookup(functools.partial(_label, "waste_types")))
    sources = _Combos(_Lookup(_source_title))
    coords = gdf.geometry.get_coordinates()
    lat = (coords["y"].to_numpy() * 1e5).round().astype("int64")
    lon = (coords["x"].to_numpy() * 1e5).round().astype("int64")
    y0, x0 = int(lat.min()), int(lon.min())
    places: dict[str, int] = {}
    place = (escape_series(gdf["postcode"]) + " " + escape_series(gdf["city"])).str.strip()
    domains: dict[str, int] = {}
    email_user, email_domain = _emails(gdf["email"], domains)
    columns = [
        (lat - y0).tolist(),
        (lon - x0).tolist(),
        kinds.codes(gdf["actor_kinds"]),
        escape_series(gdf["name"]).tolist(),
        escape_series(gdf["address"]).tolist(),
        _interned(place, places),
        [_compact_phone(v) for v in escape_series(gdf["phone"]).str.strip().tolist()],
        email_user,
        email_domain,
        _websites(gdf["website"], domains),
        families.codes(gdf["purchase_families"]),
        wastes.codes(gdf["waste_types"]),
        sources.codes(gdf["sources"]),
    ]
    if "distance_km" in gdf.columns:
        tenths = (gdf["distance_km"].astype("float64") * 10).round()
        columns.append([None if pd.isna(d) else int(d) for d in tenths])
    if with_uid:
        columns.append(escape_series(gdf["uid"]).tolist())
    rows = [list(row) for row in zip(*columns, strict=True)]
    groups = _group_of_kind()
    kind_codes = list(kinds.index)  # tuples of codes, in combo order
    kind_groups = [_main_group(list(codes), groups) for codes in kind_codes]
    tables = {
        "y0": y0,
        "x0": x0,
        "k": kinds.lookup.labels,
        "f": families.lookup.labels,
        "w": wastes.lookup.labels,
        "s": sources.lookup.labels,
        "K": kinds.combos,
        "G": kind_groups,
        "F": families.combos,
        "W": wastes.combos,
        "S": sources.combos,
        "P": list(places),
        "D": list(domains) or [""],
    }
    return rows, tables, sorted(set(kind_groups))


POPUP_CALLBACK = r"""(function () {
    var T = %(tables)s, COLORS = %(colors)s, LBL = %(labels)s, CARD = %(card)s;
    function names(combo, table) { return combo.map(function (i) { return table[i]; }).join(", "); }
    function line(label, value) {
        return value ? "<div><b>" + label + " :</b> " + value + "</div>" : "";
    }
    // Popups are built on the first click, from the row; all its strings were escaped in Python.
    function popup(r) {
        var h = "<div class='sourcier-popup' style='font:13px/1.45 sans-serif;overflow-wrap:anywhere'>";
        h += "<div style='font-weight:600;font-size:1.1em;margin-bottom:2px'>" + r[3] + "</div>";
        h += line(LBL.kinds, names(T.K[r[2]], T.k)) + line(LBL.families, names(T.F[r[10]], T.f));
        h += line(LBL.waste, names(T.W[r[11]], T.w));
        var where = [r[4], T.P[r[5]]].filter(Boolean).join(", ");
        if (where) { h += "<div>" + where + "</div>"; }
        var phone = typeof r[6] === "number" ? "0" + r[6] : r[6];
        if (phone) { h += "<div>" + phone.replace(/^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)$/, "$1 $2 $3 $4 $5") + "</div>"; }
        if (r[7]) {
            var mail = r[7] + "@" + T.D[r[8]];
            h += "<div><a href='mailto:" + mail + "'>" + mail + "</a></div>";
        }
        var url = typeof r[9] === "number" ? "https://www." + T.D[r[9]] : r[9];
        if (url) {  // http(s) only; "https://" is left out of the data
            url = url.indexOf("http://") === 0 || url.indexOf("https://") === 0 ? url : "https://" + url;
            h += "<div><a href='" + url + "' target='_blank' rel='noopener noreferrer'>";
            h += LBL.website + "</a></div>";
        }
        if (typeof r[13] === "number") {
            h += line(LBL.distance, (r[13] / 10).toFixed(1).replace(".", ",") + " km");
        }
        h += line(LBL.sources, names(T.S[r[12]], T.s));
        if (CARD) {  // the uid is the row's last item; CARD and uid were escaped in Python
            h += "<div><a href='" + CARD + encodeURIComponent(r[r.length - 1]) + "' target='_blank' rel='noopener'>";
            h += LBL.card + "</a></div>";
        }
        return h + "</div>";
    }
    // One class per colour: a marker is created with no options of its own (fast for 20,000 rows).
    var DOTS = COLORS.map(function (color) {
        var style = {radius: 7, color: "#ffffff", weight: 1.5, fillColor: color, fillOpacity: 0.9};
        return L.CircleMarker.extend({options: style});
    });
    return {
        marker: function (row) {
            var marker = new DOTS[T.G[row[2]]](new L.LatLng((T.y0 + row[0]) / 1e5, (T.x0 + row[1]) / 1e5));
            marker.sourcierRow = row;
            return marker;
        },
        // Tooltip and popup are bound on the first hover / click (events bubble up to the cluster group).
        hover: function (e) {
            var marker = e.layer, row = marker.sourcierRow;
            if (row && !marker.getTooltip()) { marker.bindTooltip(row[3]).openTooltip(); }
        },
        click: function (e) {
            var marker = e.layer, row = marker.sourcierRow;
            if (row && !marker.getPopup()) { marker.bindPopup(popup(row), {maxWidth: 340}).openPopup(); }
        }
    };
})()"""
