"""Source connectors: one module per public source, all registered in :data:`REGISTRY`.

See ``docs/ARCHITECTURE.md`` (section Connectors) and :mod:`connectors.base` for the protocol,
:mod:`connectors._http` for the HTTP policy.
"""

from __future__ import annotations

from connectors._http import HttpClient
from connectors.ademe_lvao import AdemeLvaoConnector
from connectors.agire import AgireConnector
from connectors.base import Connector, RetriableError, SnapshotFile, SourceError, read_snapshot
from connectors.carteco import CartecoConnector
from connectors.cducentre import CducentreConnector
from connectors.cress import CressConnector
from connectors.france_active import FranceActiveConnector
from connectors.georisques import GeorisquesConnector
from connectors.recherche_entreprises import RechercheEntreprisesConnector
from connectors.sinoe import SinoeConnector
from connectors.urscop import UrscopConnector

#: Every source, keyed by its ``NAME``.
REGISTRY: dict[str, Connector] = {c.NAME: c for c in (RechercheEntreprisesConnector(), CartecoConnector())}
#: Circular-economy and waste sources (AGIRE style): ADEME, SINOE, Géorisques.
REGISTRY.update({c.NAME: c for c in (AdemeLvaoConnector(), SinoeConnector(), GeorisquesConnector())})
#: Partner sources: no public API, imported from files (``python -m mapping import``).
REGISTRY.update(
    {
        c.NAME: c
        for c in (CressConnector(), UrscopConnector(), FranceActiveConnector(), CducentreConnector(), AgireConnector())
    }
)


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
    "Connector",
    "HttpClient",
    "RetriableError",
    "SnapshotFile",
    "SourceError",
    "get",
    "read_snapshot",
]
