"""Command line: `python -m ess build | reconstruct | check | geo | serve | import | rollback |
export pptx | export scdl | export site | import-feuille-de-route`."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from ess import paths
from ess.filters import DIMENSIONS, from_query

MAX_PROBLEMS_SHOWN = 30


def _build(args) -> int:
    import duckdb

    from ess.importer import Refused, feuille_de_route
    from ess.importer.apply import (KEPT_PROJECTS_FILE, finish_interrupted,
                                    keep_imported_projects, set_aside)
    from ess.importer.lock import import_lock
    from ess.store import SourceError, build

    kept = 0
    try:
        with import_lock(args.target, "reconstruction du magasin"), \
                tempfile.TemporaryDirectory() as work:
            finish_interrupted(args.target)
            # A rebuild (after a `git pull`, by `make run`) must not drop imported results.
            overrides = {}
            # Nor the staff's roadmap updates (statuses, indicators).
            roadmap_file = Path(work) / feuille_de_route.KEPT_FILE
            roadmap_kept = False
            try:
                kept, overrides = keep_imported_projects(args.target, Path(work))
                roadmap_kept = not args.without_import and \
                    feuille_de_route.keep_staff_updates(args.target, roadmap_file)
            except duckdb.Error as error:
                print(f"Le magasin en place est illisible ({error}) ; il est mis de côté : "
                      f"{set_aside(args.target)}.", file=sys.stderr)
            if kept and args.without_import:
                print(f"Les projets importés sont mis de côté : {set_aside(args.target)} "
                      "(« python -m ess rollback » les remet en place).")
                kept = 0
            overrides = overrides if kept else {}
            if roadmap_kept:
                overrides["feuille_de_route"] = roadmap_file
            target = build(args.sources, args.target, overrides or None)
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    except SourceError as error:
        print("La construction du magasin a échoué ; le magasin précédent est conservé.",
              file=sys.stderr)
        for problem in error.problems[:MAX_PROBLEMS_SHOWN]:
            print(f"  - {problem}", file=sys.stderr)
        if len(error.problems) > MAX_PROBLEMS_SHOWN:
            print(f"  … et {len(error.problems) - MAX_PROBLEMS_SHOWN} autres problèmes.",
                  file=sys.stderr)
        if kept and any(p.startswith(KEPT_PROJECTS_FILE) for p in error.problems):
            print(f"{KEPT_PROJECTS_FILE} : les projets importés, gardés, ne passent plus les "
                  "contrôles des sources. Corrigez les sources, ou relancez avec "
                  "--without-import (le magasin actuel sera archivé).", file=sys.stderr)
        return 1
    print(f"Magasin construit : {target.name}")
    if kept:
        print(f"Les {kept} projets importés sont conservés à la place de data/sources/projet.csv "
              "(« --without-import » pour repartir des seules sources).")
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
    day = None
    if args.date is not None:
        try:
            day = _date(args.date)
        except ValueError:
            problems.append(f"--date : date illisible « {args.date[:40]} ». Écrivez-la "
                            "JJ/MM/AAAA ou AAAA-MM-JJ, par exemple 10/12/2026.")
    if not problems and not queries.run(con, "projets_kpi", filtres).loc[0, "nb_projets"] \
            and any(s.projets for s in deck.SLIDES if slides is None or s.id in slides):
        problems.append(
            "aucun projet ne correspond à ces filtres : la présentation n'aurait aucun "
            "graphique de l'appel à projets. Élargissez la sélection, ou choisissez avec "
            f"--diapositives des diapositives qui ne dépendent pas des projets "
            f"({', '.join(s.id for s in deck.SLIDES if not s.projets)})."
        )
    if problems:
        print("Export annulé :", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    return _write(args.output, lambda: deck.build(con, filtres, slides, titre=args.titre,
                                                  date_evenement=day))


def _date(text: str) -> date:
    """« 10/12/2026 » or « 2026-12-10 » as a date; ValueError otherwise."""
    text = text.strip()
    if "/" in text:
        return datetime.strptime(text, "%d/%m/%Y").date()
    return date.fromisoformat(text)


def _export_scdl(args) -> int:
    from ess.exports import scdl
    from ess.store import open_store

    try:
        con = open_store(args.target)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    if args.output.suffix.lower() == ".zip":
        code = _write(args.output, lambda: scdl.archive(con))
    else:
        code = _write(args.output, lambda: scdl.to_csv(scdl.subventions(con)))
    if code == 0:
        print(scdl.check(con).text())
    return code


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


def _staff_only() -> bool:
    from ess import settings

    if settings.is_public():
        print("L'import est réservé aux agents de la MEL : il n'existe pas dans la version "
              "publique (ESS_MODE=public).", file=sys.stderr)
    return not settings.is_public()


def _print_preview(result) -> None:
    read = len(result.outcome.rows)
    print(f"{result.file} ({result.form}) : {read} projet{'s' if read > 1 else ''} "
          f"lu{'s' if read > 1 else ''} sans erreur.")
    for problems, title in ((result.errors, "erreur(s) bloquante(s)"),
                            (result.warnings, "avertissement(s)")):
        if problems:
            print(f"{len(problems)} {title} :")
            for problem in problems:
                print(f"  - {problem}")
    if result.changes is not None:
        print(f"Changements : {result.changes.summary()}.")
        table = result.changes.table()
        for row in table.head(MAX_PROBLEMS_SHOWN).itertuples(index=False):
            print(f"  {row.Changement:<9} {row.Identifiant} {row.Projet}"
                  + (f" ({row.Détail})" if row.Détail else ""))
        if len(table) > MAX_PROBLEMS_SHOWN:
            print(f"  … et {len(table) - MAX_PROBLEMS_SHOWN} autres changements.")
        _print_headline(result.before, result.after)


def _print_headline(before, after) -> None:
    from ess.importer.apply import headline_table

    print("Chiffres clés (avant → après) :")
    for row in headline_table(before, after).itertuples(index=False):
        print(f"  {row.Chiffre} : {row.Avant} → {row.Après}")


def _command_line_identity() -> str:
    """Who the journal names for the command line: the system account, said as such (there is
    no sign-in here: whoever runs it has a shell on the server)."""
    from ess.signin import system_account

    return f"{system_account()} (compte système, ligne de commande)"


def _print_identity(user: str) -> None:
    print(f"Journal des imports : au nom de « {user} » ; la ligne de commande ne passe pas par "
          "la connexion des agents.")


def _read_input(path: Path) -> bytes | None:
    """The file's bytes, or None after saying in French why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        print(f"{path.name} : fichier illisible ({error.strerror}). Vérifiez le chemin.",
              file=sys.stderr)
        return None


def _outcome(result, dry_run: bool, previous: str) -> int:
    """The last line of an import or a dry run, and the exit code."""
    if result.errors:
        print("Rien ne serait importé : corrigez le fichier, puis recommencez.", file=sys.stderr)
        return 1
    if dry_run:
        print("Essai (--dry-run) : rien n'a été modifié. Relancez sans --dry-run pour importer.")
    else:
        print(f"Import terminé. « python -m ess rollback » remet {previous}.")
    return 0


def _import(args) -> int:
    if not _staff_only():
        return 1
    from ess.importer import Refused, apply, unexpected

    user = _command_line_identity()
    data = _read_input(args.file)
    if data is None:
        return 1
    try:
        if args.dry_run:
            result = apply.preview(data, args.file.name, args.sheet, args.target)
        else:
            result = apply.import_file(data, args.file.name, args.sheet, user=user,
                                       store=args.target)
    except apply.ImportRefused as refused:
        if refused.preview is not None:
            _print_preview(refused.preview)
        print(refused.message, file=sys.stderr)
        return 1
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 (a French message, never a traceback)
        print(unexpected(args.file.name, error).message, file=sys.stderr)
        return 1
    _print_preview(result)
    code = _outcome(result, args.dry_run, "les données précédentes")
    if code == 0 and not args.dry_run:
        _print_identity(user)
    return code


def _import_roadmap(args) -> int:
    if not _staff_only():
        return 1
    from ess.importer import Refused
    from ess.importer import feuille_de_route as roadmap

    if args.modele:
        return _write(args.file, lambda: roadmap.template_xlsx(args.target)
                      if args.file.suffix.lower() == ".xlsx" else roadmap.template_csv(args.target))
    data = _read_input(args.file)
    if data is None:
        return 1
    try:
        result = roadmap.preview(data, args.file.name, args.sheet, args.target)
        for problem in result.problems:
            print(f"  - {problem}")
        if not result.errors and not args.dry_run:
            result = roadmap.import_file(data, args.file.name, args.sheet, store=args.target,
                                         user=_command_line_identity())
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    print(f"Feuille de route : {result.summary()}.")
    for action, details in result.changes:
        print(f"  Action {action} : {' ; '.join(details)}")
    return _outcome(result, args.dry_run, "la feuille de route précédente")


def _rollback(args) -> int:
    if not _staff_only():
        return 1
    from ess.importer import Refused, apply, unexpected

    try:
        result = apply.rollback(args.target, user=(user := _command_line_identity()))
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 (a French message, never a traceback)
        print(unexpected("Annulation du dernier import", error).message, file=sys.stderr)
        return 1
    print(f"Annulé : {result.described}. Les données d'avant sont remises en place.")
    _print_headline(result.before, result.after)
    _print_identity(user)
    return 0


def _serve(args) -> int:
    from ess.serve import serve

    return serve(args.port, args.address, args.public)  # returns only on a refusal


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
    build.add_argument("--without-import", action="store_true",
                       help="ne pas garder les projets importés (ils sont archivés)")
    build.set_defaults(func=_build)

    sub.add_parser("reconstruct", help="réécrire data/sources/projet.csv").set_defaults(
        func=_reconstruct)

    check = sub.add_parser("check", help="recalculer les chiffres publiés")
    check.add_argument("--target", type=Path, default=paths.STORE_FILE)
    check.set_defaults(func=_check)

    geo = sub.add_parser("geo", help="reconstruire geo/*.geojson et data/sources/commune.csv")
    geo.add_argument("rest", nargs=argparse.REMAINDER)
    geo.set_defaults(func=_geo)

    export = sub.add_parser(
        "export", help="exporter : présentation PowerPoint, données ouvertes, site statique")
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
    pptx.add_argument("--titre", metavar="TEXTE",
                      help="l'événement et son édition, en page de titre (par exemple « 3es "
                           "Assises métropolitaines de l'ESS »)")
    pptx.add_argument("--date", metavar="JJ/MM/AAAA", help="la date de l'événement, en page "
                                                            "de titre")
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

    imports = sub.add_parser("import", help="importer les résultats réels (agents de la MEL)")
    imports.add_argument("file", type=Path, metavar="FICHIER", help="fichier .xlsx ou .csv")
    imports.add_argument("--dry-run", action="store_true",
                         help="montrer ce qui changerait, sans rien modifier")
    imports.add_argument("--sheet", metavar="FEUILLE", help="feuille du classeur (la première "
                                                            "par défaut)")
    imports.add_argument("--target", type=Path, default=paths.STORE_FILE)
    imports.set_defaults(func=_import)

    roadmap = sub.add_parser(
        "import-feuille-de-route",
        help="mettre à jour les statuts et indicateurs de la feuille de route ESS (agents)")
    roadmap.add_argument("file", type=Path, metavar="FICHIER", help="fichier .xlsx ou .csv")
    roadmap.add_argument("--dry-run", action="store_true",
                         help="montrer ce qui changerait, sans rien modifier")
    roadmap.add_argument("--modele", action="store_true",
                         help="écrire dans FICHIER le modèle (la feuille de route en place)")
    roadmap.add_argument("--sheet", metavar="FEUILLE", help="feuille du classeur")
    roadmap.add_argument("--target", type=Path, default=paths.STORE_FILE)
    roadmap.set_defaults(func=_import_roadmap)

    rollback = sub.add_parser("rollback", help="annuler le dernier import")
    rollback.add_argument("--target", type=Path, default=paths.STORE_FILE)
    rollback.set_defaults(func=_rollback)


    serve = sub.add_parser("serve", help="lancer le tableau de bord (--public : déploiement public)")
    serve.add_argument("--public", action="store_true",
                       help="lecture seule, sans page d'import, configuration durcie")
    serve.add_argument("--port", type=int, default=8501)
    serve.add_argument("--address", default="127.0.0.1",
                       help="adresse d'écoute (127.0.0.1 derrière le proxy)")
    serve.set_defaults(func=_serve)

    site = formats.add_parser("site", help="les pages publiques en site statique (HTML, CSV)")
    site.add_argument("-o", "--output", type=Path, required=True, help="dossier de sortie")
    site.add_argument("--target", type=Path, default=paths.STORE_FILE)
    site.set_defaults(func=_export_site)

    args = parser.parse_args(argv)
    return args.func(args)
