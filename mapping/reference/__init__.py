"""Reference layer (1): what every other layer agrees on. Public modules, imported by name:

``schema`` (canonical columns, SIRET checks, ``validate``), ``taxonomy`` (code lists and mappings) and
``taxonomy_check`` (their integrity), ``geography`` (communes, EPCI, départements, lycées of the region),
``grid`` (Lambert-93 projection, 5 km cells), ``text`` (``fold``, ``strip_accents``: the one text folding),
``french`` (``of_place``, ``in_departement``), ``survivorship`` (source trust order, ``make_uid``),
``arrow`` (contiguous pyarrow columns).
"""
