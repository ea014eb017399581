"""AGIRE, the Région Centre-Val de Loire's base of waste providers (no public site).

* Service: none. The Région's waste team exports the base as a spreadsheet, one row per provider
  with the natures of waste it takes, imported with ``python -m mapping import agire FICHIER`` or
  from the « Sources et imports » page; columns and vocabularies (natures -> ``waste_types``) in
  ``data/reference/partner_files/agire.json``.
* Licence: internal data of the Région Centre-Val de Loire [à vérifier before any publication].
* Attribution: « AGIRE – Région Centre-Val de Loire ».
"""

from __future__ import annotations

from connectors.partner_base import PartnerConnector


class AgireConnector(PartnerConnector):
    """Connector of the AGIRE files."""

    NAME = "agire"
    TITLE = "AGIRE (prestataires déchets de la Région)"
    LICENCE = "Données de la Région Centre-Val de Loire [à vérifier]"
    ATTRIBUTION = "AGIRE – Région Centre-Val de Loire"
    DEFAULT_BASE_URL = "https://www.centre-valdeloire.fr"
    HOMEPAGE = "https://www.centre-valdeloire.fr"
