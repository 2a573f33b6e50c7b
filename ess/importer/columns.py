"""The columns of an import file: their names in the template, the other headers staff write
for them, and how a file's header row is matched to them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ess.importer.normalize import key

# Words that do not tell two headers apart: units, articles (« Montant de la subvention (€) »).
_NOISE = {"en", "eur", "euro", "euros", "etp", "de", "d", "du", "des", "la", "le", "l", "les",
          "nb", "nombre", "n", "no", "num"}


@dataclass(frozen=True)
class ImportColumn:
    field: str  # the `projet` column it fills
    name: str  # its name in the template
    required: bool
    description: str
    example: str
    synonyms: tuple[str, ...] = ()


COLUMNS = (
    ImportColumn("id", "Identifiant", True,
                 "Identifiant unique du projet, repris d'un import à l'autre pour reconnaître "
                 "les projets modifiés.", "AAP-2017-01",
                 ("id", "n° dossier", "numéro de dossier", "dossier", "référence", "réf",
                  "code projet", "numéro de projet", "numéro")),
    ImportColumn("libelle", "Projet", True,
                 "Nom du projet ou de la structure porteuse.", "Recyclerie du Vieux-Lille",
                 ("nom du projet", "libellé", "intitulé", "intitulé du projet", "nom",
                  "structure", "nom de la structure", "porteur", "porteur de projet",
                  "raison sociale", "lauréat")),
    ImportColumn("annee", "Année", True,
                 "Année du soutien, de la première édition de l'appel (2011) à l'année en "
                 "cours : l'année seule ou une date. Sans cette colonne, l'année de la date de "
                 "décision.", "2017 ou 12/03/2017",
                 ("année de soutien", "année du soutien", "millésime", "session", "édition",
                  "année aap")),
    ImportColumn("commune", "Commune", True,
                 "Commune du projet : nom ou code INSEE. Lomme et Hellemmes sont rattachées à "
                 "Lille ; le territoire est déduit de la commune.", "Villeneuve d'Ascq ou 59009",
                 ("ville", "commune d'implantation", "localisation", "lieu", "code insee",
                  "insee", "code commune")),
    ImportColumn("forme_juridique", "Forme juridique", True,
                 "Statut de la structure : association ou entreprise coopérative ou sociale "
                 "(SCOP, SCIC, SAS agréée ESUS…). Le libellé exact est conservé.",
                 "Association loi 1901 ou SCOP SARL",
                 ("statut", "statut juridique", "forme", "type de structure",
                  "nature juridique", "catégorie juridique")),
    ImportColumn("activite", "Activité", True,
                 "Type d'activité (commerces, restauration, numérique, art et culture…).",
                 "Solidarité, citoyenneté, cohésion sociale",
                 ("type d'activité", "secteur", "secteur d'activité", "domaine",
                  "domaine d'activité", "thématique", "filière", "activité principale")),
    ImportColumn("axe", "Axe", False,
                 "Axe du plan en vigueur l'année du projet (PMDESS 2015-2020 de 2015 à 2020, "
                 "feuille de route ESS après 2022) : numéro, « Axe 2 » ou son intitulé. Vide : "
                 "de 2015 à 2020, l'axe que sert l'activité ; sinon pas d'axe.", "1 ou Axe 1",
                 ("axe pmdess", "axe du pmdess", "axe du plan", "axe de la feuille de route")),
    ImportColumn("subvention_eur", "Subvention (€)", True,
                 "Subvention de la MEL en euros (au plus le plafond de la période : 20 000 € "
                 "jusqu'en 2023, 30 000 € depuis 2024).",
                 "12 500 ou 12 500,00 €",
                 ("montant", "montant accordé", "montant attribué", "montant de la subvention",
                  "subvention accordée", "subvention attribuée", "subvention mel", "aide",
                  "aide accordée", "aide mel", "montant de l'aide")),
    ImportColumn("emplois_prevus_etp", "Emplois prévus (ETP)", True,
                 "Emplois créés ou consolidés prévus à la sélection, en équivalents temps plein.",
                 "3 ou 2,5",
                 ("emplois prévus", "etp prévus", "emplois prévisionnels",
                  "emplois créés prévus", "prévision emplois", "création d'emplois prévue")),
    ImportColumn("emplois_realises_etp", "Emplois réalisés (ETP)", False,
                 "Emplois créés ou consolidés réalisés, en équivalents temps plein. Vide quand "
                 "ils ne sont pas encore connus (projets récents) : « non connu », jamais 0.",
                 "3,5",
                 ("emplois réalisés", "etp réalisés", "emplois créés", "emplois effectifs",
                  "emplois créés ou consolidés", "réalisé emplois")),
    ImportColumn("beneficiaire", "Bénéficiaire", False,
                 "Nom officiel de la structure bénéficiaire (raison sociale).",
                 "Association Recyclerie du Vieux-Lille",
                 ("nom du bénéficiaire", "structure bénéficiaire", "organisme bénéficiaire",
                  "nom de l'attributaire", "attributaire")),
    ImportColumn("siret", "SIRET", False,
                 "Numéro SIRET du bénéficiaire : 14 chiffres (espaces acceptés).",
                 "732 829 320 00074",
                 ("n° siret", "numéro siret", "siret du bénéficiaire", "idbeneficiaire")),
    ImportColumn("rna", "RNA", False,
                 "Numéro RNA d'une association : W suivi de 9 chiffres.", "W595012345",
                 ("numéro rna", "n° rna", "numéro d'association", "rna de l'association")),
    ImportColumn("date_decision", "Date de décision", False,
                 "Date de la convention ou de la décision d'attribution (12/03/2017, "
                 "2017-03-12, 12 mars 2017).", "12/03/2017",
                 ("date de la convention", "date de convention", "date de la décision",
                  "date", "date du comité", "date de comité", "date de la commission",
                  "dateconvention", "date d'attribution")),
    ImportColumn("reference_decision", "Référence de la décision", False,
                 "Référence de la délibération ou de l'arrêté d'attribution.", "22-C-0123",
                 ("référence décision", "n° de délibération", "numéro de délibération",
                  "délibération", "référence de la délibération", "référencedecision")),
    ImportColumn("type_aide", "Type d'aide", False,
                 "Aide au démarrage ou au développement (depuis 2021).", "démarrage",
                 ("nature de l'aide", "type de soutien", "type d'aide accordée")),
)
BY_FIELD = {c.field: c for c in COLUMNS}
# Headers that staff files carry and that the store derives itself: ignored without a warning.
DERIVED = {"territoire", "territoire mel"}


def header_key(header) -> str:
    """A header reduced to the words that name it: « Subvention (€) » → « subvention »."""
    text = str(header or "")
    while "(" in text and ")" in text.split("(", 1)[1]:
        before, rest = text.split("(", 1)
        text = before + " " + rest.split(")", 1)[1]
    return " ".join(w for w in key(text).split() if w not in _NOISE)


_BY_HEADER = {
    header_key(h): c.field for c in COLUMNS for h in (c.name, c.field, *c.synonyms)
}


def field_of(header) -> str | None:
    """The field a header names, or None."""
    return _BY_HEADER.get(header_key(header))


def closest_header(column: ImportColumn, headers: list[str]) -> str | None:
    """Among a file's unknown headers, the one that looks like a misspelled `column`."""
    names = {header_key(h): h for h in headers if h and field_of(h) is None}
    wanted = [header_key(n) for n in (column.name, *column.synonyms)]
    for candidate in wanted:
        close = difflib.get_close_matches(candidate, list(names), n=1, cutoff=0.75)
        if close:
            return names[close[0]]
    return None
