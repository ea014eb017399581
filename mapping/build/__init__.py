"""Build layer (3): from snapshots to the built table. Public modules, imported by name:

``refresh`` (live fetch, swapped in when complete), ``imports`` (partner files), ``changes`` and ``journal``
(who changed a source, every change recorded, restore), ``enrich`` (partner rows completed offline),
``locate`` / ``geocoding`` (commune points, BAN), ``pipeline`` (``build``), ``table`` (GeoParquet I/O),
``records`` (the source records behind each actor, for the supplier card).
"""
