"""The staff import: tolerant of real files, strict about errors, never loses data."""

import datetime as dt
import hashlib
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import shown
from ess import queries
from ess.cli import main
from ess.filters import Filtres
from ess.importer import Refused, apply, archive, columns, normalize, read, template, validate
from ess.importer.lock import ImportBusy, import_lock, lock_path
from ess.paths import ROOT
from ess.reconcile import reconcile
from ess.store import open_store

FIXTURES = Path(__file__).parent / "fixtures" / "import"
NB = "\u00a0"
THIS_YEAR = dt.date.today().year
PETIT = [  # what every petit_*.csv and titre_au_dessus.xlsx hold
    {"id": "AAP-2017-01", "libelle": "Recyclerie du Vieux-Lille", "annee": 2017,
     "commune": "59350", "territoire": "lillois", "forme_juridique": "association",
     "statut": "Association loi 1901", "activite": "solidarite-cohesion", "axe": 2,
     "subvention_eur": 12500.0, "emplois_prevus_etp": 3.0, "emplois_realises_etp": 3.5},
    {"id": "AAP-2017-02", "libelle": "Café coopératif de Fives", "annee": 2017,
     "commune": "59350", "territoire": "lillois",
     "forme_juridique": "entreprise-cooperative-sociale", "statut": "SCOP SARL",
     "activite": "restauration-alimentation", "axe": 1,
     "subvention_eur": 8000.0, "emplois_prevus_etp": 2.0, "emplois_realises_etp": 2.0},
    {"id": "AAP-2018-01", "libelle": "Atelier numérique", "annee": 2018,
     "commune": "59009", "territoire": "est", "forme_juridique": "entreprise-cooperative-sociale",
     "statut": "SAS agréée ESUS", "activite": "numerique", "axe": 3,
     "subvention_eur": 15000.0, "emplois_prevus_etp": 4.5, "emplois_realises_etp": 5.0},
]


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kpi(store: Path, **filters) -> dict:
    con = open_store(store)
    try:
        return queries.run(con, "projets_kpi", Filtres(**filters)).iloc[0].to_dict()
    finally:
        con.close()


def projects(store: Path):
    con = open_store(store)
    try:
        return queries.run(con, "projets_stockes").set_index("id")
    finally:
        con.close()


def parsed(name: str, sheet=None) -> validate.Outcome:
    return validate.validate(read.read_table(fixture(name), name, sheet), dt.date(2025, 3, 12))


# --- Reading: every encoding, separator and layout gives the same projects -----------------

@pytest.mark.parametrize("name, form", [
    ("petit_utf8_pointvirgule.csv", "CSV, séparateur « ; », encodage UTF-8"),
    ("petit_utf8_virgule.csv", "CSV, séparateur « , », encodage UTF-8"),
    ("petit_utf8bom_pointvirgule.csv", "CSV, séparateur « ; », encodage UTF-8"),
    ("petit_utf8bom_virgule.csv", "CSV, séparateur « , », encodage UTF-8"),
    ("petit_cp1252_pointvirgule.csv", "CSV, séparateur « ; », encodage Windows-1252"),
    ("petit_cp1252_virgule.csv", "CSV, séparateur « , », encodage Windows-1252"),
    ("titre_au_dessus.xlsx", "classeur Excel, feuille « Résultats »"),
])
def test_each_encoding_separator_and_layout_reads_the_same(name, form):
    table = read.read_table(fixture(name), name)
    assert table.form == form
    outcome = validate.validate(table, dt.date(2025, 3, 12))
    assert outcome.problems == []
    kept = [{k: r[k] for k in PETIT[0]} for r in outcome.rows]
    assert kept == PETIT
    first = 4 if name.endswith(".xlsx") else 2  # the title and an empty row come first
    assert outcome.rows[0]["source"] == f"Fichier importé {name} du 12/03/2025, ligne {first}"
    assert outcome.rows[1]["source"].endswith(
        "; commune indiquée : Hellemmes (commune associée de Lille)")
    assert {r["provenance"] for r in outcome.rows} == {"publié"}


def test_a_named_sheet_is_read_and_the_first_is_the_default():
    assert parsed("deux_feuilles.xlsx", sheet="Résultats").rows[2]["id"] == "AAP-2018-01"
    with pytest.raises(read.FileRefused) as refused:
        read.read_table(fixture("deux_feuilles.xlsx"), "deux_feuilles.xlsx")
    assert refused.value.message.startswith(
        "deux_feuilles.xlsx : aucune ligne d'en-tête reconnue parmi les 10 premières lignes "
        "remplies (classeur Excel, feuille « Notes »).")
    assert refused.value.message.endswith(
        "Partez du modèle modele_import.xlsx ; ou choisissez une autre feuille du classeur "
        "(« Résultats »).")
    with pytest.raises(read.FileRefused) as refused:
        read.read_table(fixture("deux_feuilles.xlsx"), "deux_feuilles.xlsx", "Feuil1")
    assert refused.value.message == (
        "deux_feuilles.xlsx : la feuille « Feuil1 » n'existe pas. Feuilles du classeur : "
        "« Notes », « Résultats ». Choisissez l'une d'elles.")
    assert read.sheet_names(fixture("deux_feuilles.xlsx")) == ["Notes", "Résultats"]


@pytest.mark.parametrize("header, field", [
    ("Montant accordé", "subvention_eur"), ("Subvention (€)", "subvention_eur"),
    ("SUBVENTION  (EUR)", "subvention_eur"), ("Montant de la subvention", "subvention_eur"),
    ("Emplois prévus (ETP)", "emplois_prevus_etp"), ("ETP prévus", "emplois_prevus_etp"),
    ("emplois realises", "emplois_realises_etp"), ("N° dossier", "id"), ("Ville", "commune"),
    ("Statut juridique", "forme_juridique"), ("Secteur d'activité", "activite"),
    ("Année de soutien", "annee"), (" nom du projet ", "libelle"), ("Observations", None),
])
def test_headers_are_matched_tolerantly(header, field):
    assert columns.field_of(header) == field


def test_no_header_names_two_columns():
    seen = {}
    for column in columns.COLUMNS:
        for header in (column.name, column.field, *column.synonyms):
            assert seen.setdefault(columns.header_key(header), column.field) == column.field


@pytest.mark.parametrize("value, euros, expected", [
    ("12 500,00 €", True, 12500), ("12500", True, 12500), ("12.500,5", True, 12500.5),
    (f"12{NB}500", True, 12500), ("12\u202f500,00\u00a0€", True, 12500), ("12.500", True, 12500),
    ("12,500.50", True, 12500.5), ("1 234 567", True, 1234567), (12500.0, True, 12500),
    ("3,5", False, 3.5), ("6.5", False, 6.5), ("2 ETP", False, 2), (0, False, 0),
])
def test_french_numbers(value, euros, expected):
    assert normalize.number(value, euros=euros) == expected


@pytest.mark.parametrize("value", ["2017", 2017, 2017.0, dt.datetime(2017, 3, 12),
                                   dt.date(2017, 3, 12), "12/03/2017", "2017-03-12"])
def test_years_as_numbers_or_dates(value):
    assert normalize.year(value) == 2017


@pytest.mark.parametrize("value, insee, associee", [
    ("Lille", "59350", None), ("LILLE", "59350", None), ("59350", "59350", None),
    ("Villeneuve d'Ascq", "59009", None), ("villeneuve-d-ascq", "59009", None),
    ("Marcq-en-Baroeul", "59378", None), ("MARCQ EN BAROEUL", "59378", None),
    ("St André lez Lille", "59527", None), ("Saint-André-lès-Lille", "59527", None),
    ("Noyelles-lez-Seclin", "59437", None), ("Lys lès Lannoy", "59367", None),
    ("Annoeullin", "59011", None), ("59650 Villeneuve-d'Ascq", "59009", None),
    ("Lomme", "59350", "Lomme"), ("59355", "59350", "Lomme"), ("Hellemmes", "59350", "Hellemmes"),
    ("Lille-Hellemmes", "59350", "Hellemmes"),
])
def test_communes_by_name_or_insee_code(value, insee, associee):
    found = normalize.Communes().find(value)
    assert (found.insee, found.associee) == (insee, associee)


@pytest.mark.parametrize("value, message, action", [
    ("Lile", "« Lile » n'est pas une commune de la MEL", "Vouliez-vous dire Lille ?"),
    ("Roubais", "« Roubais » n'est pas une commune de la MEL", "Vouliez-vous dire Roubaix ?"),
    ("Lome", "« Lome » n'est pas une commune de la MEL", "Vouliez-vous dire Lomme ?"),
    ("59000", "« 59000 » n'est le code INSEE d'aucune commune de la MEL",
     "Écrivez le code INSEE (Lille : 59350, pas le code postal 59000) ou le nom de la commune"),
    ("Paris", "« Paris » n'est pas une commune de la MEL",
     "Écrivez le nom d'une des 95 communes de la MEL ou son code INSEE (liste dans la feuille "
     "« Listes » du modèle)"),
])
def test_unknown_communes_say_what_to_do(value, message, action):
    with pytest.raises(normalize.CellError) as error:
        normalize.Communes().find(value)
    assert (error.value.message, error.value.action) == (message, action)


@pytest.mark.parametrize("value, code", [
    ("Association loi 1901", "association"), ("ASSOCIATIONS", "association"),
    ("Asso. loi 1901", "association"), ("SCOP SARL", "entreprise-cooperative-sociale"),
    ("SCIC SAS", "entreprise-cooperative-sociale"),
    ("SAS agréée ESUS", "entreprise-cooperative-sociale"),
    ("Entreprise coopérative ou sociale", "entreprise-cooperative-sociale"),
    ("entreprise-cooperative-sociale", "entreprise-cooperative-sociale"),
])
def test_legal_forms(value, code):
    assert normalize.Categories("forme_juridique", "forme_juridique.csv", "").find(value) == code


@pytest.mark.parametrize("value, code", [
    ("Art et culture", "art-culture"), ("Culture", "art-culture"), ("Arts", "art-culture"),
    ("Restauration", "restauration-alimentation"), ("Épicerie solidaire",
                                                    "restauration-alimentation"),
    ("Aide à domicile", "solidarite-cohesion"), ("Petite enfance", "petite-enfance-sante"),
    ("Éco-construction", "batiment-eco-construction"), ("numerique", "numerique"),
])
def test_activities(value, code):
    assert normalize.Categories("activite", "activite.csv", "").find(value) == code


def test_every_correspondence_spelling_maps_to_its_code():
    """The documented table's spellings are what staff type: each maps as documented, and a
    form outside the ESS is refused."""
    import csv

    forms = normalize.Categories("forme_juridique", "forme_juridique.csv", "")
    activities = normalize.Categories("activite", "activite.csv", "")
    with normalize.CORRESPONDENCES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table = forms if row["champ"] == "forme_juridique" else activities
            if row["code"] == normalize.NOT_ESS:
                with pytest.raises(normalize.CellError) as refused:
                    table.find(row["variante"])
                assert "loi du 31 juillet 2014" in refused.value.action
            else:
                assert table.find(row["variante"]) == row["code"], row


# --- Refusals: the exact message, and the store's bytes unchanged --------------------------

def _refused(live: Path, name: str, data: bytes | None = None) -> list[str]:
    """Import a file that must fail; its messages. Checks that nothing moved."""
    before = digest(live)
    with pytest.raises(Refused) as refused:
        apply.import_file(fixture(name) if data is None else data, name, store=live)
    assert digest(live) == before
    assert sorted(os.listdir(live.parent)) == ["ess.duckdb"]  # no archive, lock or leftover
    preview = getattr(refused.value, "preview", None)
    return [str(p) for p in preview.errors] if preview else [refused.value.message]


@pytest.mark.parametrize("name, expected", [
    ("vide.csv", "vide.csv : le fichier est vide. Déposez le fichier des résultats, par exemple "
                 "à partir du modèle modele_import.xlsx."),
    ("entete_seule.csv", "entete_seule.csv : le fichier ne contient que la ligne d'en-tête "
                         "(ligne 1), aucun projet. Ajoutez une ligne par projet sous l'en-tête."),
    ("pas_un_tableau.csv", "pas_un_tableau.csv : aucune ligne d'en-tête reconnue parmi les 10 "
                           "premières lignes remplies (CSV, séparateur « , », encodage UTF-8). "
                           "La ligne "
                           "des titres de colonnes doit nommer au moins Identifiant, Projet, "
                           "Année, Commune, Forme juridique, Activité, Subvention (€), Emplois "
                           "prévus (ETP). Partez du modèle "
                           "modele_import.xlsx."),
    ("pas_un_classeur.xlsx", "pas_un_classeur.xlsx : ce n'est pas un classeur Excel lisible (un "
                             "fichier compressé d'un autre type, un document OpenDocument ou un "
                             "classeur abîmé). Enregistrez le tableau au format .xlsx ou .csv "
                             "depuis votre tableur, puis recommencez."),
    ("protege.xlsx", "protege.xlsx : le classeur est protégé par un mot de passe et ne peut pas "
                     "être lu. Ouvrez-le dans Excel, retirez le mot de passe (Fichier > "
                     "Informations > Protéger le classeur > Chiffrer avec mot de passe, puis "
                     "effacez-le), enregistrez, puis recommencez."),
    ("ancien_format.xls", "ancien_format.xls : le classeur est au format Excel 97-2003 (.xls). "
                          "Ouvrez-le dans Excel et enregistrez-le au format .xlsx, puis "
                          "recommencez."),
])
def test_files_refused_outright(live, name, expected):
    assert _refused(live, name) == [expected]


@pytest.mark.parametrize("name, expected", [
    ("colonne_manquante.csv", [
        "colonne_manquante.csv, ligne 1, colonne Commune : colonne absente. Ajoutez la colonne "
        "« Commune » : Commune du projet : nom ou code INSEE. Lomme et Hellemmes sont rattachées "
        "à Lille ; le territoire est déduit de la commune."]),
    ("colonne_mal_nommee.csv", [
        "colonne_mal_nommee.csv, ligne 1, colonne Commune : colonne absente. Vouliez-vous dire "
        "« Comune » ? Renommez cette colonne « Commune »."]),
    ("commune_inconnue.csv", [
        "commune_inconnue.csv, ligne 3, colonne Commune : « Lile » n'est pas une commune de la "
        "MEL. Vouliez-vous dire Lille ?"]),
    ("identifiants_doubles.csv", [
        "identifiants_doubles.csv, ligne 4, colonne Identifiant : identifiant « AAP-2017-01 » en "
        "double (déjà ligne 2). Chaque projet a son propre identifiant : corrigez l'un des deux."]),
    ("montants_negatifs.csv", [
        "montants_negatifs.csv, ligne 2, colonne Subvention (€) : « -500 » est négatif. Une "
        "subvention est un montant positif : corrigez le signe."]),
    ("montants_mal_formes.csv", [
        "montants_mal_formes.csv, ligne 2, colonne Subvention (€) : « 12k€ » n'est pas un "
        "montant. Écrivez le nombre en chiffres, par exemple 12 500 ou 12 500,00 €.",
        "montants_mal_formes.csv, ligne 3, colonne Subvention (€) : « douze mille » n'est pas un "
        "montant. Écrivez le nombre en chiffres, par exemple 12 500 ou 12 500,00 €.",
        "montants_mal_formes.csv, ligne 4, colonne Emplois réalisés (ETP) : « 4,5,1 » n'est pas "
        "un nombre d'emplois. Écrivez le nombre en chiffres, par exemple 3 ou 2,5."]),
    ("annee_hors_appel.csv", [
        "annee_hors_appel.csv, ligne 4, colonne Année : 2009 est avant la première édition de "
        "l'appel à projets (2011). Vérifiez l'année du soutien : l'appel « Entreprendre "
        "autrement » court depuis 2011."]),
    ("virgule_non_protegee.csv", [
        "virgule_non_protegee.csv, ligne 2 : 2 cellule(s) remplie(s) au-delà des colonnes de "
        "l'en-tête. Une virgule dans un montant coupe-t-elle la cellule ? Entourez la valeur de "
        "guillemets, enregistrez avec « ; » comme séparateur, ou utilisez le .xlsx.",
        "virgule_non_protegee.csv, ligne 4 : 1 cellule(s) remplie(s) au-delà des colonnes de "
        "l'en-tête. Une virgule dans un montant coupe-t-elle la cellule ? Entourez la valeur de "
        "guillemets, enregistrez avec « ; » comme séparateur, ou utilisez le .xlsx."]),
    ("formules.xlsx", [
        "formules.xlsx, ligne 2, colonne Subvention (€) : « =1000*12 » est une formule, pas une "
        "valeur. Remplacez-la par sa valeur (copier, puis collage spécial « valeurs »)."]),
])
def test_blocking_problems_are_all_listed_and_nothing_moves(live, name, expected):
    assert _refused(live, name) == expected


def test_every_problem_of_a_file_is_listed_at_once(tmp_path):
    rows = "\r\n".join([
        "Identifiant;Projet;Année;Commune;Forme juridique;Activité;Subvention (€);"
        "Emplois prévus (ETP);Emplois réalisés (ETP)",
        "A1;Un;2017;Lile;Association;Culture;-5;1;1",
        "A1;Deux;2009;Lille;Fondation;Numériqe;abc;x;1",
    ]).encode("cp1252")
    problems = validate.validate(read.read_table(rows, "f.csv")).errors
    assert [(p.line, p.column) for p in problems] == [
        (2, "Commune"), (2, "Subvention (€)"), (3, "Identifiant"), (3, "Année"),
        (3, "Forme juridique"), (3, "Activité"), (3, "Subvention (€)"),
        (3, "Emplois prévus (ETP)")]
    assert problems[5].action == "Vouliez-vous dire « Numérique » ?"


def test_several_missing_columns_are_each_named(tmp_path):
    data = "Projet;Année;Commune\r\nRecyclerie;2017;Lille\r\nCafé;2017;Lomme\r\n".encode()
    problems = validate.validate(read.read_table(data, "f.csv")).problems
    assert [(p.line, p.column, p.message) for p in problems] == [
        (1, name, "colonne absente") for name in (
            "Identifiant", "Forme juridique", "Activité", "Subvention (€)",
            "Emplois prévus (ETP)")]


def test_oversized_file_is_refused(live):
    data = fixture("petit_utf8_pointvirgule.csv") + b"x" * read.MAX_FILE_BYTES
    assert _refused(live, "enorme.csv", data) == [
        "enorme.csv : le fichier pèse 5,0 Mo, au-delà de la limite de 5 Mo. Un fichier de "
        "résultats pèse bien moins : gardez une seule feuille, sans images, ou "
        "enregistrez-le en .csv."]


def test_blank_rows_do_not_count(tmp_path):
    data = fixture("petit_utf8_pointvirgule.csv") + b";;;;;;;;\r\n" * (read.MAX_ROWS + 10)
    assert len(validate.validate(read.read_table(data, "f.csv")).rows) == 3


def test_too_many_rows_are_refused(live):
    line = "AAP-2017-01;Projet;2017;Lille;Association;Culture;1000;1;1\r\n"
    header = ("Identifiant;Projet;Année;Commune;Forme juridique;Activité;Subvention (€);"
              "Emplois prévus (ETP);Emplois réalisés (ETP)\r\n")
    data = (header + line * (read.MAX_ROWS + 1)).encode()
    assert len(data) < read.MAX_FILE_BYTES
    assert _refused(live, "long.csv", data) == [
        f"long.csv : le fichier compte plus de 5{NB}000 lignes, bien plus que les projets de "
        "l'appel à projets. Vérifiez que c'est le bon fichier et la bonne feuille."]


# --- Warnings, formulas ---------------------------------------------------------------------

def test_warnings_do_not_stop_the_import(live):
    result = apply.import_file(fixture("avertissements.csv"), "avertissements.csv", store=live)
    assert [str(w) for w in result.warnings[:2]] == [
        f"avertissements.csv, ligne 2, colonne Subvention (€) : subvention de 25{NB}000{NB}€, "
        f"au-dessus du plafond de l'appel à projets en 2017 (20{NB}000{NB}€). Vérifiez le montant ; "
        "l'import reste possible.",
        f"avertissements.csv, ligne 3, colonne Emplois réalisés (ETP) : 12{NB}ETP réalisés pour "
        f"2{NB}ETP prévus, bien au-delà de la prévision. Vérifiez qu'il s'agit d'équivalents "
        "temps plein (et non de personnes) ; l'import reste possible.",
    ]
    assert result.warnings[2].message.startswith("23 chiffres publiés ne seraient plus retrouvés")
    assert kpi(live)["subvention_totale"] == 25_000 + 8_000 + 15_000


def test_formula_like_cells_are_stored_as_text_never_evaluated(live):
    apply.import_file(fixture("formules.csv"), "formules.csv", store=live)
    stored = projects(live)
    assert stored.loc["AAP-2017-01", "libelle"] == "=1+1"
    assert stored.loc["AAP-2017-02", "libelle"] == "+33 3 20 00 00 00"
    assert stored.loc["AAP-2018-01", "libelle"] == "@SOMME(A1)"
    assert stored.loc["AAP-2018-01", "statut"] == "-SAS agréée ESUS"


def test_formula_like_text_is_inert_in_the_tables_people_can_download(live):
    result = apply.preview(fixture("formules.csv"), "=formules.csv", store=live)
    projects = result.changes.table().set_index("Identifiant")["Projet"]
    assert projects["AAP-2017-01"] == "'=1+1"
    assert projects["AAP-2018-01"] == "'@SOMME(A1)"
    apply.import_file(fixture("formules.csv"), "=formules.csv", store=live)
    assert apply.history(live)["Fichier"].tolist() == ["'=formules.csv"]


def test_a_formula_in_a_workbook_is_kept_as_its_text():
    outcome = parsed("formules.xlsx")
    assert outcome.warnings[0].message == (
        "« =CONCATENATE(\"Café \",\"coopératif\") » commence comme une formule : gardé tel "
        "quel, comme du texte")
    assert outcome.rows[0]["libelle"] == '=CONCATENATE("Café ","coopératif")'


# --- The good realistic file, dry run, import, figures --------------------------------------

def test_dry_run_shows_the_changes_and_writes_nothing(live):
    before = digest(live)
    result = apply.preview(fixture("resultats_mel_2015-2018.xlsx"), "resultats.xlsx", store=live)
    assert digest(live) == before and sorted(os.listdir(live.parent)) == ["ess.duckdb"]
    assert result.errors == []
    assert [str(w) for w in result.warnings] == [
        "resultats.xlsx, ligne 2 : colonnes non reconnues, ignorées : « Observations ». "
        "Renommez-les comme dans le modèle si elles doivent être importées.",
        "resultats.xlsx, ligne 66 : ligne de total ignorée. Rien à faire : les totaux sont "
        "recalculés.",
    ]
    assert result.changes.summary() == "0 projet ajouté, 62 projets modifiés, 0 projet supprimé"
    details = result.changes.table().set_index("Identifiant")["Détail"]
    assert details["AAP-2015-06"] == (
        f"statut : – → SCOP SA ; subvention : 20{NB}000{NB}€ → 8{NB}400{NB}€ ; provenance : "
        "reconstitué → publié")
    headline = result.headline().set_index("Chiffre")
    assert headline.loc["Projets financés", "Après"] == "62"
    assert headline.loc["Projets reconstitués"].tolist() == ["62", "0", "modifié"]


def test_the_realistic_file_round_trips_into_the_published_figures(live, capsys):
    assert main(["import", str(FIXTURES / "resultats_mel_2015-2018.xlsx"),
                 "--target", str(live)]) == 0
    assert "Import terminé." in capsys.readouterr().out
    figures = kpi(live)
    assert figures["nb_projets"] == 62
    assert figures["subvention_totale"] == 768_200
    assert (figures["emplois_prevus"], figures["emplois_realises"]) == (455, 483)
    assert figures["nb_associations"] == 28 and figures["nb_reconstitues"] == 0
    con = open_store(live)
    try:
        territories = queries.run(con, "projets_par_territoire").set_index("territoire")
        gaps = reconcile(con)
    finally:
        con.close()
    assert territories["nb_projets"].to_dict() == {
        "lillois": 34, "roubaisien": 12, "tourquennois": 2, "est": 7, "couronne-nord": 4,
        "couronne-sud": 1, "weppes": 0, "lys": 2}
    assert set(gaps["statut"]) <= {"ok", "écart signalé"}  # `ess check` still passes
    stored = projects(live)
    assert stored.loc["AAP-2015-06", "subvention_eur"] == 8_400  # swapped with Roubaix
    assert stored.loc["AAP-2015-15", "subvention_eur"] == 20_000
    assert stored.loc["AAP-2015-01", "statut"] == "SCIC SAS"
    associated = stored[stored["source"].str.contains("commune associée", na=False)]
    assert sorted(associated["commune"]) == ["59350"] * 3
    assert set(stored["provenance"]) == {"publié"}


def test_the_pages_show_the_imported_figures(live, app, monkeypatch):
    apply.import_file(fixture("resultats_mel_2015-2018.xlsx"), "resultats.xlsx", store=live)
    monkeypatch.setattr("ess.ui.data.STORE_FILE", live)
    app.run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric} == {
        "Projets financés": "62", "Subventions accordées": f"768{NB}200{NB}€",
        "Emplois réalisés": f"483{NB}ETP", "Part d'associations": f"45{NB}%"}
    notice = " ".join(m.value for m in app.markdown)
    assert "Données reconstituées" not in notice  # every row shown is `publié`


def test_the_notice_follows_the_rows_shown(live, app, monkeypatch, tmp_path):
    """Imported 2017 projects beside reconstructed ones: the notice only where rows are."""
    stored = projects(live).reset_index()
    stored.loc[stored["annee"] == 2017, "provenance"] = "publié"
    path = tmp_path / "projets.csv"
    apply._write_projects(stored.to_dict("records"), path)
    from ess.store import build
    build(target=live, overrides={"projet": path})
    monkeypatch.setattr("ess.ui.data.STORE_FILE", live)
    app.run()
    assert "Données reconstituées" in " ".join(m.value for m in app.markdown)
    app.multiselect(key="filtre_annees").set_value(["2017"]).run()
    assert "Données reconstituées" not in " ".join(m.value for m in app.markdown)
    app.multiselect(key="filtre_annees").set_value(["2016", "2017"]).run()
    assert "Données reconstituées" in " ".join(m.value for m in app.markdown)


# --- Never lose data: archives, journal, rollback, rebuild ----------------------------------

def test_import_archives_logs_and_rollback_restores(live, monkeypatch, capsys):
    monkeypatch.setenv("ESS_USER", "Camille Agent")
    original = digest(live)
    data = fixture("petit_cp1252_pointvirgule.csv")
    apply.import_file(data, "petit.csv", store=live)
    assert kpi(live)["nb_projets"] == 3
    entry, = archive.journal(live)
    assert entry["action"] == "import" and entry["file"] == "petit.csv"
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert (entry["rows"], entry["added"], entry["changed"], entry["removed"]) == (3, 0, 3, 59)
    assert entry["user"] == "Camille Agent"
    assert dt.datetime.fromisoformat(entry["time"]).tzinfo is not None
    assert digest(archive.archives_dir(live) / entry["archive"]) == original

    assert main(["rollback", "--target", str(live)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Annulé : import de petit.csv du ")
    assert "Projets financés : 3 → 62" in out
    assert digest(live) == original
    assert kpi(live)["subvention_totale"] == 768_200
    assert main(["rollback", "--target", str(live)]) == 1
    assert capsys.readouterr().err.startswith("Aucun import à annuler")
    assert list(apply.history(live)["Action"]) == ["annulation", "import"]


def test_an_import_without_a_store_builds_one_and_has_nothing_to_undo(tmp_path):
    store = tmp_path / "neuf" / "ess.duckdb"
    result = apply.import_file(fixture("petit_utf8_virgule.csv"), "petit.csv", store=store)
    assert result.changes.summary() == "3 projets ajoutés, 0 projet modifié, 0 projet supprimé"
    assert kpi(store)["nb_projets"] == 3
    with pytest.raises(Refused) as refused:
        apply.rollback(store)
    assert refused.value.message.startswith("L'import de petit.csv du ")
    assert refused.value.message.endswith(
        "a créé les données : il n'y a pas de version antérieure à remettre en place.")


def test_successive_rollbacks_walk_back_through_imports(live):
    apply.import_file(fixture("petit_utf8_virgule.csv"), "petit.csv", store=live)
    apply.import_file(fixture("avertissements.csv"), "avertissements.csv", store=live)
    assert kpi(live)["subvention_totale"] == 48_000
    assert apply.rollback(live).undone["file"] == "avertissements.csv"
    assert kpi(live)["subvention_totale"] == 35_500
    assert apply.rollback(live).undone["file"] == "petit.csv"
    assert kpi(live)["subvention_totale"] == 768_200


def test_only_the_last_archives_are_kept(live, monkeypatch):
    monkeypatch.setattr(archive, "ARCHIVES_KEPT", 2)
    for name in ("petit_utf8_virgule.csv", "avertissements.csv", "formules.csv"):
        apply.import_file(fixture(name), name, store=live)
    kept = sorted(p.name for p in archive.archives_dir(live).glob("*.duckdb"))
    assert kept == sorted(e["archive"] for e in archive.journal(live)[1:])
    apply.rollback(live)  # its own copy of the undone store does not push an import's out
    assert apply.rollback(live).undone["file"] == "avertissements.csv"
    with pytest.raises(Refused) as refused:
        apply.rollback(live)
    assert refused.value.message.startswith(
        "La copie des données d'avant l'import de petit_utf8_virgule.csv du ")
    assert "n'est plus conservée (seules les 2 dernières le sont)" in refused.value.message


def test_a_rebuild_keeps_the_imported_projects(live, capsys):
    apply.import_file(fixture("petit_utf8_virgule.csv"), "petit.csv", store=live)
    assert main(["build", "--target", str(live)]) == 0
    assert "Les 3 projets importés sont conservés" in capsys.readouterr().out
    assert kpi(live)["nb_projets"] == 3
    assert main(["build", "--target", str(live), "--without-import"]) == 0
    assert "Les projets importés sont mis de côté : archives/" in capsys.readouterr().out
    assert kpi(live)["nb_projets"] == 62
    assert apply.rollback(live).undone["action"] == "rebuild"
    assert kpi(live)["nb_projets"] == 3


def test_a_rebuild_over_an_unreadable_store_sets_it_aside(live, capsys):
    live.write_bytes(b"pas un magasin")
    assert main(["build", "--target", str(live)]) == 0
    assert "Le magasin en place est illisible" in capsys.readouterr().err
    assert kpi(live)["nb_projets"] == 62
    saved, = archive.archives_dir(live).glob("*.duckdb")
    assert saved.read_bytes() == b"pas un magasin"


def test_a_page_open_during_an_import_keeps_working(live):
    reader = open_store(live)  # a page's cached connection
    version = apply.store_version(live)
    apply.import_file(fixture("petit_utf8_virgule.csv"), "petit.csv", store=live)
    assert queries.run(reader.cursor(), "projets_kpi").loc[0, "nb_projets"] == 62  # old file
    assert apply.store_version(live) != version  # so the next rerun opens the new one…
    assert kpi(live)["nb_projets"] == 3  # … which reads the new file, the old one still open
    reader.close()


def test_a_stale_dry_run_cannot_be_confirmed(live):
    version = apply.store_version(live)
    apply.import_file(fixture("petit_utf8_virgule.csv"), "petit.csv", store=live)
    before = digest(live)
    with pytest.raises(Refused) as refused:
        apply.import_file(fixture("avertissements.csv"), "a.csv", store=live,
                          expected_version=version)
    assert refused.value.message.startswith("Les données ont changé depuis l'aperçu")
    assert digest(live) == before


# --- One import at a time --------------------------------------------------------------------

def test_a_second_import_while_one_runs_is_refused(live, monkeypatch):
    started, release = threading.Event(), threading.Event()
    prepare = apply._prepare

    def slow_prepare(*args):
        started.set()
        assert release.wait(30)
        return prepare(*args)

    monkeypatch.setattr(apply, "_prepare", slow_prepare)
    outcome = {}
    first = threading.Thread(target=lambda: outcome.setdefault(
        "first", apply.import_file(fixture("petit_utf8_virgule.csv"), "premier.csv", store=live)))
    first.start()
    assert started.wait(30)
    before = digest(live)
    with pytest.raises(ImportBusy) as busy:
        apply.import_file(fixture("avertissements.csv"), "second.csv", store=live)
    assert busy.value.message.startswith("Un autre import est en cours (import de premier.csv, "
                                         "lancé par ")
    assert busy.value.message.endswith("Attendez qu'il se termine (moins d'une minute), puis "
                                       "recommencez : rien n'a été modifié.")
    assert digest(live) == before
    release.set()
    first.join(30)
    assert outcome["first"].changes.summary().startswith("0 projet ajouté, 3 projets modifiés")
    assert not lock_path(live).exists()
    apply.import_file(fixture("avertissements.csv"), "second.csv", store=live)  # now it may


def test_the_lock_holds_across_processes_and_a_dead_holder_does_not_block(live):
    with import_lock(live, "import de autre.xlsx"):
        done = subprocess.run(
            [sys.executable, "-m", "ess", "import", str(FIXTURES / "petit_utf8_virgule.csv"),
             "--target", str(live)], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 1
        assert done.stderr.startswith("Un autre import est en cours (import de autre.xlsx")
    # A lock file left by a crashed import holds no lock: the next import goes on.
    lock_path(live).write_text('{"what": "import de crash.xlsx"}', encoding="utf-8")
    apply.import_file(fixture("petit_utf8_virgule.csv"), "petit.csv", store=live)
    assert kpi(live)["nb_projets"] == 3


# --- Template, public mode ------------------------------------------------------------------

@pytest.mark.parametrize("make, name", [(template.template_xlsx, "modele_import.xlsx"),
                                        (template.template_csv, "modele_import.csv")])
def test_the_template_reads_but_its_example_row_is_refused(make, name):
    table = read.read_table(make(), name)
    assert table.header == [c.name for c in columns.COLUMNS]
    outcome = validate.validate(table)
    assert [str(p) for p in outcome.problems] == [
        f"{name}, ligne 2, colonne Projet : ligne d'exemple du modèle d'import. Remplacez-la "
        "par un projet réel, ou supprimez-la."]
    # Renamed, the example row is a valid project with every optional column filled.
    cells = list(table.rows[0][1])
    cells[1] = "Recyclerie du Vieux-Lille"
    table.rows[0] = (2, cells)
    row, = validate.validate(table).rows
    assert (row["siret"], row["rna"], row["date_decision"], row["reference_decision"]) == (
        "73282932000074", "W595012345", dt.date(2017, 3, 12), "17-C-0123")
    assert (row["axe"], row["emplois_realises_etp"], row["type_aide"]) == (2, 3.5, None)


def test_the_template_explains_each_column():
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(template.template_xlsx()))
    assert book.sheetnames == ["Projets", "Colonnes", "Listes"]
    explained = [row[0] for row in book["Colonnes"].iter_rows(min_row=2, values_only=True)]
    assert explained[:len(columns.COLUMNS)] == [c.name for c in columns.COLUMNS]
    communes = [row[1] for row in book["Listes"].iter_rows(min_row=2, values_only=True) if row[1]]
    assert len(communes) == 95 + 2  # and Lomme, Hellemmes


def test_public_mode_has_no_import(monkeypatch, capsys, live):
    monkeypatch.setattr("ess.settings.MODE", "public")
    before = digest(live)
    assert main(["import", str(FIXTURES / "petit_utf8_virgule.csv"), "--target", str(live)]) == 1
    assert main(["rollback", "--target", str(live)]) == 1
    assert "réservé aux agents de la MEL" in capsys.readouterr().err
    assert digest(live) == before


# --- The page (AppTest drives the real uploader) ---------------------------------------------

@pytest.fixture
def staff_page(app, live, monkeypatch):
    """The import page of the whole app, reading and writing the private store `live`."""
    monkeypatch.setattr("ess.ui.data.STORE_FILE", live)
    monkeypatch.setattr("ess.paths.STORE_FILE", live)
    app.run()
    app.switch_page("pages/importer.py").run()
    assert not app.exception
    return app


def _upload(page, name: str):
    page.get("file_uploader")[0].set_value((name, fixture(name), "application/octet-stream"))
    page.run()
    assert not page.exception
    return page


def test_page_lists_every_problem_and_imports_nothing(staff_page, live):
    before = digest(live)
    page = _upload(staff_page, "montants_mal_formes.csv")
    assert page.error[0].value.startswith("**3 erreur(s) bloquante(s) : rien n'a été importé.**")
    problems = page.table[0].value
    assert problems["Ligne"].tolist() == ["2", "3", "4"]
    assert problems["Colonne"].tolist() == ["Subvention (€)", "Subvention (€)",
                                            "Emplois réalisés (ETP)"]
    assert problems["Problème"].iloc[1] == "« douze mille » n'est pas un montant"
    assert not [b for b in page.button if b.label.startswith("Importer")]
    assert digest(live) == before


def test_page_refuses_an_unreadable_file_in_french(staff_page, live):
    page = _upload(staff_page, "protege.xlsx")
    assert page.error[0].value.startswith("protege.xlsx : le classeur est protégé par un mot "
                                          "de passe")


def test_page_previews_confirms_and_rolls_back(staff_page, live, monkeypatch):
    monkeypatch.setenv("ESS_USER", "pas lu par la page")
    staff_page.user = {"is_logged_in": True, "email": "camille.agent@lillemetropole.fr",
                       "sub": "c.agent"}
    page = _upload(staff_page, "petit_cp1252_pointvirgule.csv")
    assert page.markdown.values.count(
        "**0 projet ajouté, 3 projets modifiés, 59 projets supprimés.** Les projets absents du "
        "fichier sont retirés : le fichier remplace tous les projets.") == 1
    headline = page.table[-1].value.set_index("Chiffre")
    assert headline.loc["Projets financés"].tolist() == ["62", "3", "modifié"]
    assert kpi(live)["nb_projets"] == 62  # a preview writes nothing

    next(b for b in page.button if b.label == "Importer les 3 projets").click().run()
    assert not page.exception
    assert shown(page.success[0].value).startswith(
        "Import de petit_cp1252_pointvirgule.csv terminé : ")
    assert kpi(live)["nb_projets"] == 3
    assert archive.journal(live)[-1]["user"] == (
        "camille.agent@lillemetropole.fr (compte MEL c.agent)")
    journal = page.dataframe[-1].value
    assert journal[["Action", "Fichier", "Projets"]].values.tolist() == [
        ["import", "petit_cp1252_pointvirgule.csv", 3]]
    assert "Données reconstituées" not in " ".join(page.markdown.values)

    page.checkbox(key="import_annuler_ok").check().run()
    next(b for b in page.button if b.label == "Annuler le dernier import").click().run()
    assert shown(page.success[0].value).startswith(
        "Annulé : import de petit_cp1252_pointvirgule.csv du ")
    assert kpi(live)["nb_projets"] == 62


def test_page_offers_the_templates(staff_page):
    labels = [b.label for b in staff_page.main.get("download_button")]
    assert labels == ["Modèle Excel (.xlsx)", "Modèle CSV (.csv)",
                      "Feuille de route (.xlsx)", "Feuille de route (.csv)"]


def test_page_stops_in_public_mode(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setattr("ess.settings.MODE", "public")
    page = AppTest.from_file(str(ROOT / "pages" / "importer.py"), default_timeout=30).run()
    assert not page.exception
    assert page.error[0].value.startswith("L'import des résultats est réservé aux agents de la MEL")
    assert not page.title and not page.get("file_uploader")


def test_unknown_realised_jobs_are_never_zero_in_the_preview(live):
    apply.import_file(fixture("petit_utf8_pointvirgule.csv"), "petit.csv", store=live)
    rows = fixture("petit_utf8_pointvirgule.csv").decode().splitlines()
    rows = [rows[0] + ";Date de décision", rows[1].rsplit(";", 1)[0] + ";;12 mars 2017",
            *(r + ";" for r in rows[2:])]
    result = apply.preview("\r\n".join(rows).encode(), "recent.csv", store=live)
    details = result.changes.table().set_index("Identifiant")["Détail"]
    assert details["AAP-2017-01"] == (
        f"emplois réalisés : 3,5{NB}ETP → non connu ; date de décision : – → 12/03/2017")
    assert result.after["emplois_realises"] == 2 + 5  # left out of the sum, not counted as 0


def test_the_axis_is_read_in_the_plan_in_force_that_year(sources):
    """2016: the PMDESS 2015-2020 axes; 2023: the roadmap's, once its axes are in axe.csv;
    2021: no plan in force, the axis is not kept."""
    with (sources / "axe.csv").open("a", encoding="utf-8") as handle:
        handle.write('mel-feuille-de-route-2022-2026,1,"Conforter le déploiement territorial '
                     'de l\'ESS et élargir son champ d\'intervention",,RTES,lillemetropole.fr\n')
    data = "\r\n".join([
        "Identifiant;Projet;Année;Commune;Forme juridique;Activité;Subvention (€);"
        "Emplois prévus (ETP);Axe",
        "A;Un;2016;Lille;Association;Culture;1000;1;Axe 2 - L'animation territoriale",
        "B;Deux;2023;Lille;Association;Culture;1000;1;axe 1 : déploiement territorial",
        "C;Trois;2021;Lille;Association;Culture;1000;1;1",
        "D;Quatre;2023;Lille;Association;Culture;1000;1;Axe 3",
    ]).encode()
    outcome = validate.validate(read.read_table(data, "axes.csv"), sources=sources)
    assert {r["id"]: r["axe"] for r in outcome.rows} == {"A": 2, "B": 1, "C": None}
    assert [str(p) for p in outcome.problems] == [
        "axes.csv, ligne 4, colonne Axe : aucun plan aux axes connus en 2021. L'axe n'est pas "
        "gardé ; l'import reste possible.",
        "axes.csv, ligne 5, colonne Axe : « Axe 3 » n'est pas un axe du plan en vigueur "
        "(Feuille de route ESS 2022-2026). Écrivez le numéro de l'axe (1 : Conforter le déploiement territorial de "
        "l'ESS et élargir son champ d'intervention) ou laissez la cellule vide."]
