"""Command line: ``python -m mapping build | refresh | import | history | restore | demo``.

Exit codes: 0 success; 1 the change failed (source error, refused file, unknown version), nothing
changed; 2 unknown source; 3 an import would remove more structures than ``SOURCIER_IMPORT_MAX_DROP``
allows and ``--force`` was not given, nothing changed. Every change is journalled
(:mod:`mapping.build.journal`) under the system account that ran the command.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import connectors
from connectors.snapshots import history
from mapping.build import changes, journal
from mapping.build.imports import partner_sources, read_import
from mapping.build.pipeline import build
from mapping.build.refresh import refresh
from mapping.demo.render import write_demo
from mapping.errors import SourceError
from mapping.screens.history import entry_line, version_line

REBUILD_HINT = "Lancez « python -m mapping build » pour reconstruire la table (ou ajoutez --build)."


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
    results = refresh(names, region=args.region, user=journal.system_user(), rebuild=args.build)
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
    if not args.build:
        print(REBUILD_HINT)
    return 0


def _import(args: argparse.Namespace) -> int:
    sources = partner_sources()
    if args.source not in sources:
        print(f"Source non importable : {args.source}. Sources à importer : {', '.join(sources)}", file=sys.stderr)
        return 2
    result = read_import(args.source, args.file, region=args.region)
    text = result.report.text()
    if not result.ok:
        print(text, file=sys.stderr)
        print("Import refusé : l'instantané précédent est conservé.", file=sys.stderr)
        return 1
    print(text)
    try:
        entry = changes.accept_import(
            result, user=journal.system_user(), via=journal.VIA_CLI, force=args.force, rebuild=args.build
        )
    except changes.TooManyDropped as exc:
        print(f"{exc} Relancez avec --force pour confirmer l'import.", file=sys.stderr)
        return 3
    print(f"Instantané de {args.source} remplacé.")
    print(entry_line(entry))
    if not args.build:
        print(REBUILD_HINT)
    return 0


def _known(source: str) -> bool:
    if source in connectors.REGISTRY:
        return True
    print(f"Source inconnue : {source}. Sources disponibles : {', '.join(connectors.REGISTRY)}", file=sys.stderr)
    return False


def _history(args: argparse.Namespace) -> int:
    if not _known(args.source):
        return 2
    versions = history(args.source)
    if not versions:
        print(f"{args.source} : aucune version précédente conservée.")
    for version in versions:
        print(version_line(version))
    return 0


def _restore(args: argparse.Namespace) -> int:
    if not _known(args.source):
        return 2
    try:
        entry = changes.restore_source(
            args.source, args.version, user=journal.system_user(), via=journal.VIA_CLI, rebuild=args.build
        )
    except SourceError as exc:
        print(f"Restauration impossible — {exc}. L'instantané actuel est conservé.", file=sys.stderr)
        return 1
    print(f"{args.source} : version {entry.restored_version} restaurée.")
    print(entry_line(entry))
    if not args.build:
        print(REBUILD_HINT)
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
    build_help = "reconstruire la table juste après (le journal note alors les acteurs après)"

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
    p.add_argument("--build", action="store_true", help=build_help)
    p.set_defaults(func=_refresh)

    p = sub.add_parser("import", help="importer le fichier d'une source partenaire (CSV ou XLSX)")
    p.add_argument("source", help="cress, urscop, france_active, cducentre ou agire")
    p.add_argument("file", type=Path, help="fichier CSV (; , ou tabulation) ou XLSX")
    p.add_argument("--region", default=None)
    p.add_argument(
        "--force",
        action="store_true",
        help="importer même si le fichier retire plus de structures que le seuil (SOURCIER_IMPORT_MAX_DROP)",
    )
    p.add_argument("--build", action="store_true", help=build_help)
    p.set_defaults(func=_import)

    p = sub.add_parser("history", help="lister les instantanés précédents conservés d'une source")
    p.add_argument("source", help="nom de la source (cress, carteco…)")
    p.set_defaults(func=_history)

    p = sub.add_parser("restore", help="remettre en place un instantané précédent d'une source")
    p.add_argument("source", help="nom de la source (cress, carteco…)")
    p.add_argument("version", nargs="?", default=None, help="identifiant de version (défaut : la précédente)")
    p.add_argument("--build", action="store_true", help=build_help)
    p.set_defaults(func=_restore)

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
