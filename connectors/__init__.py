"""Source connectors: one module per public source, all registered in :data:`REGISTRY`.

See ``docs/ARCHITECTURE.md`` (section Connectors), :mod:`connectors.base` for the protocol,
:mod:`connectors.snapshots` for recorded payloads and :mod:`mapping.http` for the HTTP policy.

:data:`REGISTRY` is lazy: ``REGISTRY["carteco"]`` imports ``connectors.carteco`` only, so reading
one source's title, licence or attribution never loads the other connectors.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from connectors.base import Connector
from connectors.snapshots import SnapshotFile, read_snapshot
from mapping.errors import RetriableError, SourceError
from mapping.http import HttpClient

#: ``name -> "module:Class"`` of every source, in display order.
SOURCES: Mapping[str, str] = {
    "recherche_entreprises": "connectors.recherche_entreprises:RechercheEntreprisesConnector",
    "carteco": "connectors.carteco:CartecoConnector",
    # Circular-economy and waste sources (AGIRE style): ADEME, SINOE, Géorisques.
    "ademe_lvao": "connectors.ademe_lvao:AdemeLvaoConnector",
    "sinoe": "connectors.sinoe:SinoeConnector",
    "georisques": "connectors.georisques:GeorisquesConnector",
    # Partner sources: no public API, imported from files (``python -m mapping import``).
    "cress": "connectors.cress:CressConnector",
    "urscop": "connectors.urscop:UrscopConnector",
    "france_active": "connectors.france_active:FranceActiveConnector",
    "cducentre": "connectors.cducentre:CducentreConnector",
    "agire": "connectors.agire:AgireConnector",
}


class Registry(Mapping[str, Connector]):
    """Read-only ``name -> connector`` mapping that imports a connector on first access."""

    def __init__(self, paths: Mapping[str, str]) -> None:
        self._paths = dict(paths)
        self._loaded: dict[str, Connector] = {}

    def __getitem__(self, name: str) -> Connector:
        if name not in self._loaded:
            module, _, cls = self._paths[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), cls)()
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, name: object) -> bool:
        return name in self._paths

    def __repr__(self) -> str:
        return f"<Registry {list(self._paths)}>"


#: Every source, keyed by its ``NAME``.
REGISTRY = Registry(SOURCES)


def title(name: str) -> str:
    """French title of source ``name`` (the name itself for a source that is not registered)."""
    return REGISTRY[name].TITLE if name in REGISTRY else name


def get(name: str) -> Connector:
    """The registered connector ``name``.

    Raises
    ------
    KeyError
        With a French message listing the known sources.
    """
    try:
        return REGISTRY[name]
    except KeyError:
        msg = f"source inconnue : {name!r} (sources connues : {', '.join(sorted(REGISTRY))})"
        raise KeyError(msg) from None


__all__ = [
    "REGISTRY",
    "SOURCES",
    "Connector",
    "HttpClient",
    "Registry",
    "RetriableError",
    "SnapshotFile",
    "SourceError",
    "get",
    "read_snapshot",
    "title",
]
