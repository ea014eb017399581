"""URSCOP (Union régionale des Scop et Scic), https://www.les-scop.coop.

* Service: no documented public API. The URSCOP sends its members' list (Scop, Scic, CAE) as a
  spreadsheet, imported with ``python -m mapping import urscop FICHIER`` or from the « Sources et
  imports » page; columns and vocabularies in ``data/reference/partner_files/urscop.json``.
* Licence: data shared by the URSCOP under the Région's partnership agreement [à vérifier].
* Attribution: « URSCOP ».
"""

from __future__ import annotations

from connectors.partner_base import PartnerConnector


class UrscopConnector(PartnerConnector):
    """Connector of the URSCOP files."""

    NAME = "urscop"
    TITLE = "URSCOP (Scop et Scic)"
    LICENCE = "Convention de partenariat avec la Région [à vérifier]"
    ATTRIBUTION = "URSCOP – Union régionale des Scop et Scic"
    DEFAULT_BASE_URL = "https://www.les-scop.coop"
    HOMEPAGE = "https://www.les-scop.coop"
