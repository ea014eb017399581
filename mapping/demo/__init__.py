"""Synthetic but realistic "demo world" of responsible suppliers and its per-source renderers.

The machines running Sourcier have no internet access, so the app is exercised on recorded
payloads. This package builds them from a seeded world model:

* :mod:`mapping.demo.world` – :func:`~mapping.demo.world.generate`, one row per *true* actor
  (the ground truth the deduplication is measured against);
* :mod:`mapping.demo.profiles` (+ ``profiles_ess``, ``profiles_inclusion``, ``profiles_coop``,
  ``profiles_food``) – the activity profiles (kind, NAF, legal forms, taxonomy codes, sources);
* :mod:`mapping.demo.names` (+ ``name_parts``), :mod:`mapping.demo.identifiers`,
  :mod:`mapping.demo.places` – names, SIREN/SIRET/phones/e-mails and addresses;
* :mod:`mapping.demo.codes` – taxonomy code literals and list-cell builders;
* :mod:`mapping.demo.variants` – how humans retype names, addresses and contacts;
* :mod:`mapping.demo.render` – :func:`~mapping.demo.render.render_all` writes every source's
  view in its exact native format (one module per source) plus ``data/demo/ground_truth.csv``.

Every value is synthetic: names, identifiers and contacts are invented (SIRET checksums are valid
but the numbers are random); only the communes and their populations are real.
"""

from __future__ import annotations

DEFAULT_SEED = 20261129
DEFAULT_N_ACTORS = 6000

__all__ = ["DEFAULT_N_ACTORS", "DEFAULT_SEED"]
