"""Places: turn what a user types (commune, postcode, EPCI, département, lycée, address, point)
into a :class:`Place` with a point or an area.

Public names: :func:`resolve_place`, :class:`Place`, :class:`PlaceError`. Modules: ``resolve``
(the resolver), ``names`` (the gazetteer of names and their folded forms).
"""

from mapping.places.resolve import Place, PlaceError, resolve_place

__all__ = ["Place", "PlaceError", "resolve_place"]
