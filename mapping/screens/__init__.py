"""Screens layer (5): what a page shows, without Streamlit. Public modules, imported by name:

``texts`` / ``import_texts`` / ``shortlist_texts`` (French strings), ``query`` (the search screen),
``tables`` (counts and compact tables), ``links`` (URL parameters), ``access`` (who may import),
``history`` (versions and journal views), ``shortlists`` (shortlist pages' logic).
"""
