"""Command line: `python -m ess build | reconstruct | check | geo | export pptx | export scdl`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ess import paths
from ess.filters import DIMENSIONS, from_query

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


def _filters_from_args(args, known: dict) -> tuple:
    """The view asked on the command line, and the French problems with its values."""
    problems = []
    asked = {}
    for name, (label, _) in DIMENSIONS.items():
        raw = getattr(args, name)
        if raw is None:
            continue
        allowed = known.get(name, {})
        for value in (v.strip() for v in raw.split(",")):
            if value and value not in allowed:
                problems.append(
                    f"--{name} : valeur inconnue « {value[:40]} » ({label}). "
                    f"Valeurs possibles : {', '.join(allowed)}."
                )
        asked[name] = raw
    return from_query(asked, known).filtres, problems


def _export_pptx(args) -> int:
    from ess import queries
    from ess.exports import deck
    from ess.filters import known_values
    from ess.store import open_store

    try:
        con = open_store(args.target)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    filtres, problems = _filters_from_args(args, known_values(queries.run(con, "filtres_valeurs")))
    slides = None
    if args.diapositives is not None:
        slides = [s.strip() for s in args.diapositives.split(",") if s.strip()]
        problems += [
            f"--diapositives : diapositive inconnue « {s[:40]} ». "
            f"Possibles : {', '.join(deck.SLIDE_IDS)}."
            for s in deck.unknown_slides(slides)
        ]
    if problems:
        print("Export annulé :", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    return _write(args.output, lambda: deck.build(con, filtres, slides))


def _export_scdl(args) -> int:
    from ess.exports import scdl
    from ess.store import open_store

    try:
        con = open_store(args.target)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    if args.output.suffix.lower() == ".zip":
        return _write(args.output, lambda: scdl.archive(con))
    return _write(args.output, lambda: scdl.to_csv(scdl.subventions(con)))


def _write(path: Path, content) -> int:
    if not path.parent.is_dir():
        print(f"Le dossier {path.parent} n'existe pas : créez-le ou choisissez un autre chemin "
              "avec -o.", file=sys.stderr)
        return 2
    data = content()
    try:
        path.write_bytes(data)
    except OSError as error:
        print(f"Impossible d'écrire {path} : {error.strerror}.", file=sys.stderr)
        return 1
    print(f"Écrit : {path} ({len(data) // 1024} ko)")
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

    export = sub.add_parser("export", help="exporter : présentation PowerPoint, données ouvertes")
    formats = export.add_subparsers(dest="format", required=True)
    pptx = formats.add_parser(
        "pptx", help="la présentation des Assises (PowerPoint 16:9) de la vue filtrée",
        description="Valeurs séparées par des virgules, comme dans l'adresse du tableau de bord : "
                    "--annees 2016,2017 --territoires lillois,est.",
    )
    for name, (label, _) in DIMENSIONS.items():
        pptx.add_argument(f"--{name}", metavar="VALEURS",
                          help=f"{label} (toutes les valeurs si absent)")
    pptx.add_argument("--diapositives", metavar="IDS",
                      help="diapositives à inclure, toutes si absent ; un identifiant inconnu "
                           "affiche la liste")
    pptx.add_argument("-o", "--output", type=Path, required=True, metavar="FICHIER.pptx")
    pptx.add_argument("--target", type=Path, default=paths.STORE_FILE)
    pptx.set_defaults(func=_export_pptx)
    scdl = formats.add_parser(
        "scdl", help="les subventions en données ouvertes (schéma SCDL « subventions »)",
        description="FICHIER.csv : le fichier seul ; FICHIER.zip : le fichier et son README.",
    )
    scdl.add_argument("-o", "--output", type=Path, required=True, metavar="FICHIER.csv")
    scdl.add_argument("--target", type=Path, default=paths.STORE_FILE)
    scdl.set_defaults(func=_export_scdl)

    args = parser.parse_args(argv)
    return args.func(args)
