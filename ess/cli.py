"""Command line: `python -m ess build | reconstruct | check | geo | serve | export site`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ess import paths

MAX_PROBLEMS_SHOWN = 30


def _build(args) -> int:
    from ess.store import SourceError, build

    try:
        target = build(args.sources, args.target)
    except SourceError as error:
        print("La construction du magasin a échoué ; le magasin précédent est conservé.",
              file=sys.stderr)
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  - {problem}", file=sys.stderr)
        if len(error.problems) > MAX_PROBLEMS_SHOWN:
            print(f"  … et {len(error.problems) - MAX_PROBLEMS_SHOWN} autres problèmes.",
                  file=sys.stderr)
        return 1
    print(f"Magasin construit : {target.name}")
    return 0


def _reconstruct(args) -> int:
    from ess.reconstruct import write

    print(f"Projets reconstitués écrits dans {write().name}")
    return 0


def _check(args) -> int:
    from ess.reconcile import reconcile, source_checks
    from ess.store import open_store

    con = open_store(args.target)
    published = reconcile(con)
    for frame, title in ((published, "Chiffres publiés recalculés"),
                         (source_checks(con), "Contrôles internes des sources (erreurs des documents)")):
        print(f"== {title}")
        for row in frame.itertuples():
            print(f"  [{row.statut}] {row.libelle} : publié {row.publie}, calculé {row.calcule}")
    # Only an unexplained gap between the store and a published figure is a failure.
    return 1 if (published["statut"] == "écart").any() else 0


def _geo(args) -> int:
    from geo.build import main as geo_main

    return geo_main(args.rest)


def _serve(args) -> int:
    from ess.serve import serve

    serve(args.port, args.address, args.public)
    return 0  # not reached: serve() replaces this process by the server


def _export_site(args) -> int:
    from ess.site import export

    index = export(args.output, args.target)
    print(f"Site statique écrit dans {args.output} ; ouvrez {index.name}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ess", description="Observatoire ESS de la MEL")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="construire data/ess.duckdb depuis data/sources/")
    build.add_argument("--sources", type=Path, default=paths.SOURCES_DIR)
    build.add_argument("--target", type=Path, default=paths.STORE_FILE)
    build.set_defaults(func=_build)

    sub.add_parser("reconstruct", help="réécrire data/sources/projet.csv").set_defaults(
        func=_reconstruct)

    check = sub.add_parser("check", help="recalculer les chiffres publiés")
    check.add_argument("--target", type=Path, default=paths.STORE_FILE)
    check.set_defaults(func=_check)

    geo = sub.add_parser("geo", help="reconstruire geo/*.geojson et data/sources/commune.csv")
    geo.add_argument("rest", nargs=argparse.REMAINDER)
    geo.set_defaults(func=_geo)

    serve = sub.add_parser("serve", help="lancer le tableau de bord (--public : déploiement public)")
    serve.add_argument("--public", action="store_true",
                       help="lecture seule, sans page d'import, configuration durcie")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="127.0.0.1",
                       help="adresse d'écoute (127.0.0.1 derrière le proxy)")
    serve.set_defaults(func=_serve)

    export = sub.add_parser("export", help="exporter les chiffres publics").add_subparsers(
        dest="format", required=True)
    site = export.add_parser("site", help="les pages publiques en site statique (HTML, CSV)")
    site.add_argument("-o", "--output", type=Path, required=True, help="dossier de sortie")
    site.add_argument("--target", type=Path, default=paths.STORE_FILE)
    site.set_defaults(func=_export_site)

    args = parser.parse_args(argv)
    return args.func(args)
