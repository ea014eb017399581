"""France Active Centre-Val de Loire (solidarity finance network), https://www.franceactive.org.

* Service: none. France Active sends the list of the companies it finances as a spreadsheet,
  imported with ``python -m mapping import france_active FICHIER`` or from the « Sources et imports »
  page; columns and vocabularies in ``data/reference/partner_files/france_active.json``.
* Licence: data shared by France Active under the Région's partnership agreement [à vérifier].
* Attribution: « France Active Centre-Val de Loire ».
"""

from __future__ import annotations

from connectors.partner_base import PartnerConnector


class FranceActiveConnector(PartnerConnector):
    """Connector of the France Active files."""

    NAME = "france_active"
    TITLE = "France Active (entreprises solidaires financées)"
    LICENCE = "Convention de partenariat avec la Région [à vérifier]"
    ATTRIBUTION = "France Active Centre-Val de Loire"
    DEFAULT_BASE_URL = "https://www.franceactive.org"
    HOMEPAGE = "https://www.franceactive.org"
