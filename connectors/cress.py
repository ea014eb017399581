"""CRESS Centre-Val de Loire (Chambre régionale de l'économie sociale et solidaire), https://www.cresscentre.org.

* Service: none. The CRESS sends an export of its observatory / members as a spreadsheet (CSV or
  XLSX), imported with ``python -m mapping import cress FICHIER`` or from the « Sources et imports »
  page; columns and vocabularies in ``data/reference/partner_files/cress.json``.
* Licence: data shared by the CRESS under the Région's partnership agreement [à vérifier].
* Attribution: « CRESS Centre-Val de Loire ».
"""

from __future__ import annotations

from connectors.partner_base import PartnerConnector


class CressConnector(PartnerConnector):
    """Connector of the CRESS Centre-Val de Loire files."""

    NAME = "cress"
    TITLE = "CRESS Centre-Val de Loire (observatoire de l'ESS)"
    LICENCE = "Convention de partenariat avec la Région [à vérifier]"
    ATTRIBUTION = "CRESS Centre-Val de Loire"
    DEFAULT_BASE_URL = "https://www.cresscentre.org"
    HOMEPAGE = "https://www.cresscentre.org"
