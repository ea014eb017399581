"""« C du Centre », the regional food brand run by Dev'Up (regional development agency),
https://www.c-du-centre.fr.

* Service: none. Dev'Up sends the brand's products as a spreadsheet, one row per product with the
  company's columns repeated (product family, label AB/AOP/IGP...), imported with
  ``python -m mapping import cducentre FICHIER`` or from the « Sources et imports » page; columns and
  vocabularies (families -> ``product_types``, labels -> ``labels``) in
  ``data/reference/partner_files/cducentre.json``. One record per company: its products' families
  and labels are unioned, every company gets the ``c_du_centre`` label.
* Licence: data shared by Dev'Up under the Région's agreement [à vérifier].
* Attribution: « C du Centre – Dev'Up Centre-Val de Loire ».
"""

from __future__ import annotations

from connectors.partner_base import PartnerConnector


class CducentreConnector(PartnerConnector):
    """Connector of the « C du Centre » files."""

    NAME = "cducentre"
    TITLE = "C du Centre (marque des produits régionaux)"
    LICENCE = "Convention avec Dev'Up Centre-Val de Loire [à vérifier]"
    ATTRIBUTION = "C du Centre – Dev'Up Centre-Val de Loire"
    DEFAULT_BASE_URL = "https://www.c-du-centre.fr"
    HOMEPAGE = "https://www.c-du-centre.fr"
