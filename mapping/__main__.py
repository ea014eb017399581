"""Command line: ``python -m mapping build | refresh [--source NAME] | import SOURCE FILE | demo``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import connectors
from mapping.build.imports import import_file, partner_sources
from mapping.build.pipeline import build
from mapping.build.refresh import refresh
from mapping.demo.render import write_demo


def _build(args: argparse.Namespace) -> int:
    report = build(region=args.region, output=args.output, geocode=args.geocode)
    print(report.summary())
    return 0


def _refresh(args: argparse.Namespace) -> int:
    names = args.source or None
    unknown = [n for n in names or [] if n not in connectors.REGISTRY]
    if unknown:
        print(
            f"Source inconnue : {', '.join(unknown)}. Sources disponibles : {', '.join(connectors.REGISTRY)}",
            file=sys.stderr,
        )
        return 2
    results = refresh(names, region=args.region)
    for r in results:
        print(r.line(), file=sys.stdout if r.ok else sys.stderr)
    failed = [r.source for r in results if not r.ok]
    if failed:
        print(f"{len(failed)} source(s) en échec : {', '.join(failed)}", file=sys.stderr)
        return 1
    if any(r.manual for r in results):
        print(
            "Sources en ligne rafraîchies ; les sources partenaires s'importent par fichier (python -m mapping import)."
        )
    else:
        print("Toutes les sources ont été rafraîchies.")
    print("Lancez « python -m mapping build » pour reconstruire la table.")
    return 0


def _import(args: argparse.Namespace) -> int:
    sources = partner_sources()
    if args.source not in sources:
        print(f"Source non importable : {args.source}. Sources à importer : {', '.join(sources)}", file=sys.stderr)
        return 2
    result = import_file(args.source, args.file, region=args.region)
    text = result.report.text()
    if not result.ok:
        print(text, file=sys.stderr)
        print("Import refusé : l'instantané précédent est conservé.", file=sys.stderr)
        return 1
    print(text)
    print(f"Instantané data/snapshots/{args.source}/ remplacé. Lancez « python -m mapping build » pour reconstruire.")
    return 0


def _demo(args: argparse.Namespace) -> int:
    counts = write_demo(n_actors=args.actors, seed=args.seed, root=args.root)
    for name, n in counts.items():
        print(f"{name:<24} {n:>8}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m mapping``."""
    parser = argparse.ArgumentParser(prog="python -m mapping", description="Sourcier : données des fournisseurs")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="construire la table fusionnée à partir des instantanés (hors ligne)")
    p.add_argument("--region", default=None, help="code INSEE de la région (défaut : SOURCIER_REGION ou 24)")
    p.add_argument("--output", type=Path, default=None, help="fichier GeoParquet de sortie")
    p.add_argument(
        "--geocode",
        choices=("offline", "online"),
        default="offline",
        help="offline : centre de la commune (défaut) ; online : géocodeur BAN de la Géoplateforme",
    )
    p.set_defaults(func=_build)

    p = sub.add_parser("refresh", help="récupérer les données en ligne dans les instantanés")
    p.add_argument("--source", action="append", help="ne rafraîchir que cette source (répétable)")
    p.add_argument("--region", default=None)
    p.set_defaults(func=_refresh)

    p = sub.add_parser("import", help="importer le fichier d'une source partenaire (CSV ou XLSX)")
    p.add_argument("source", help="cress, urscop, france_active, cducentre ou agire")
    p.add_argument("file", type=Path, help="fichier CSV (; , ou tabulation) ou XLSX")
    p.add_argument("--region", default=None)
    p.set_defaults(func=_import)

    p = sub.add_parser("demo", help="régénérer les données de démonstration")
    p.add_argument("--actors", type=int, default=6000)
    p.add_argument("--seed", type=int, default=20261129)
    p.add_argument("--root", type=Path, default=None, help="dossier data/ cible")
    p.set_defaults(func=_demo)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
