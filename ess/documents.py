"""The source documents and what the sources page says about them: their names, the search
through the published figures, the readable tables of the checks, and the points where the
sources disagree. Pure functions of the query results, so that tests call them directly."""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

from ess import fmt
from ess import tables  # a module: tables imports provenance, which imports this module

# Code (as in `source_doc`) → (short name, what the document is).
DOCUMENTS = {
    "000": ("Délibération du Conseil de la MEL adoptant le PMDESS 2015-2020",
            "acte exécutoire le 23 octobre 2015 : l'histoire de la politique ESS de la MEL depuis "
            "2002, le bilan du plan 2011-2014, la consultation et les cinq axes du plan "
            "2015-2020."),
    "001": ("Délibération du Conseil communal de Lomme du 23 juin 2021",
            "la stratégie de développement de l'ESS de la Ville de Lille pour 2021-2026 : "
            "4 axes, 20 priorités, des moyens estimés à 700 000 €."),
    "002": ("Note de la MEL sur le lien entre la MEL et les communes",
            "les actions 2011-2014 : un premier tableau des actions engagées, l'Annexe 1 (les "
            "projets territoriaux 2012-2013) et l'Annexe 2 (les actions déléguées à la Ville de "
            "Lille en 2013)."),
    "003": ("Diaporama des 2es Assises métropolitaines de l'ESS (2019)",
            "le bilan du PMDESS 2015-2020 par axe et les résultats de l'appel à projets "
            "« Entreprendre autrement » ; la copie numérisée des diapositives est par endroits "
            "peu lisible."),
    "004": ("Décision du Bureau de la MEL (2021)",
            "la subvention de 35 000 € à l'APES pour 2021 et le plan de financement de "
            "l'association."),
    "site MEL": ("Site de la MEL",
                 "l'actualité « L'économie sociale et solidaire se porte bien en métropole » et "
                 "la page « Économie sociale et solidaire » (feuille de route ESS 2022-2026)."),
    "presse": ("Presse",
               "La Gazette Nord-Pas de Calais, « L'ESS, enjeu de solidarité dans les "
               "territoires »."),
    "publication MEL": ("Livrets de la MEL",
                        "« Ils entreprennent autrement avec la MEL », éditions 2016 et 2017."),
    "RTES": ("RTES (2024)",
             "le réseau des collectivités pour une économie solidaire, sur les règles de l'appel "
             "à projets à partir de 2024."),
    "Maillage": ("Maillage (2021)",
                 "le bilan des appels à projets ESS de la MEL et de la Ville de Lille depuis "
                 "2011."),
    "ENGIE Pro": ("ENGIE Pro, « Energie mag » (vers 2017)",
                  "un article sur l'appel à projets : le bilan de l'édition 2011-2014 et sa "
                  "prolongation jusqu'en 2020."),
    "fairerespirer.fr": ("fairerespirer.fr (2022)",
                         "le compte rendu du Conseil de la MEL du 25 février 2022 qui adopte la "
                         "feuille de route ESS 2022-2026."),
}
MAIN_DOCUMENTS = ("000", "001", "002", "003", "004")


def document_label(code: str) -> str:
    name = DOCUMENTS.get(code, (code, ""))[0]
    return f"{code} — {name}" if code in MAIN_DOCUMENTS else name


def _plain(text: str) -> str:
    """Lower case without accents, so that « emplois realises » finds « réalisés »."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def chiffres_lisibles(figures: pd.DataFrame, document: str | None = None,
                      recherche: str = "") -> pd.DataFrame:
    """The published figures (query `indicateurs`) of one document (None: all) whose text
    contains every word searched, as a French table."""
    rows = figures if document is None else figures[figures["source_doc"] == document]
    table = pd.DataFrame({
        "Chiffre": rows["libelle"],
        "Valeur": [fmt.mesure(v, u) for v, u in zip(rows["valeur"], rows["unite"])],
        "Période": rows["periode"].fillna("–"),
        "Périmètre": rows["perimetre"].fillna("–"),
        "Document": rows["source_doc"].map(document_label),
        "Emplacement": rows["source_lieu"],
        "Remarque": rows["note"].fillna(""),
    })
    words = _plain(recherche).split()
    if words:
        haystack = table.astype(str).agg(" ".join, axis=1).map(_plain)
        table = table[[all(w in h for w in words) for h in haystack]]
    return table.reset_index(drop=True)


def reconciliation_lisible(result: pd.DataFrame) -> pd.DataFrame:
    """`ess.reconcile.reconcile` as a French table: published vs recomputed, and the verdict."""
    return pd.DataFrame({
        "Chiffre": result["libelle"],
        "Publié": [fmt.mesure(v, u) for v, u in zip(result["publie"], result["unite"])],
        "Recalculé": [fmt.mesure(v, u) if pd.notna(v) else "–"
                      for v, u in zip(result["calcule"], result["unite"])],
        "Statut": result["statut"],
        "Remarque": result["note"].fillna(""),
        "Source": result["source"],
    })


def controles_lisibles(checks: pd.DataFrame) -> pd.DataFrame:
    """`ess.reconcile.source_checks` as a French table: what the document prints, what its own
    rows add up to, the gap and the verdict."""
    def amount(value: float, label: str) -> str:
        return fmt.pct(value, 1) if "(%)" in label else fmt.euros(value)

    return pd.DataFrame({
        "Contrôle": checks["libelle"],
        "Imprimé": [amount(v, lib) for v, lib in zip(checks["publie"], checks["libelle"])],
        "Recalculé": [amount(v, lib) for v, lib in zip(checks["calcule"], checks["libelle"])],
        "Écart": [amount(c - p, lib) if s != "ok" else "–" for p, c, s, lib in
                  zip(checks["publie"], checks["calcule"], checks["statut"], checks["libelle"])],
        "Statut": checks["statut"],
        "Source": checks["source"],
    })


def desaccords(figures: pd.DataFrame, communes: pd.DataFrame) -> list[str]:
    """Where the sources disagree, one French Markdown sentence each, with the published
    values: `figures` is the query `indicateurs`, `communes` the query
    `communes_territoire_douteux`."""
    value = figures.set_index("id")["valeur"]
    n = int(value["aap-nb-projets"])
    activities = figures[figures["id"].str.startswith("aap-activite-")]
    unlabelled = activities[activities["requete"].isna()]
    labelled = int(activities.loc[activities["requete"].notna(), "valeur"].sum())
    shares = figures[figures["id"].str.startswith("aap-territoire-")]
    nord = value["aap-territoire-couronne-nord"]
    low, high = math.floor(nord / 100 * n), math.ceil(nord / 100 * n)
    conflict = communes[communes["doute"] == "désaccord"]
    joined = communes[communes["doute"] == "source unique"]
    items = [
        f"**Nombre de projets** : {n} projets financés selon le diaporama des Assises (003) et le "
        f"site de la MEL ; La Gazette compte {int(value['aap-nb-subventions-gazette'])} "
        f"subventions pour {int(value['aap-candidatures'])} candidatures sur quatre ans. Le "
        f"tableau de bord retient {n}.",
        f"**Montant des subventions** : {fmt.euros(value['aap-montant-total'])} mobilisés selon "
        f"le site de la MEL ; « environ {fmt.euros(value['aap-montant-gazette'])} » selon La "
        f"Gazette. Le tableau de bord retient {fmt.euros(value['aap-montant-total'])}.",
        f"**Types d'activité** : les {len(activities)} nombres de la diapositive font "
        f"{int(activities['valeur'].sum())}, pour {n} projets. Deux d'entre eux ("
        + " et ".join(str(int(v)) for v in unlabelled["valeur"])
        + f") n'ont pas de libellé lisible ; les {n - labelled} projets que les libellés "
        "publiés ne couvrent pas sont classés « Autres activités (non détaillées dans la "
        "source) ».",
        f"**Couronne Nord** : la diapositive donne {fmt.pct(nord)} des projets, ce qui ne "
        f"correspond à aucun nombre entier sur {n} ({low} projets = "
        f"{fmt.pct(100 * low / n, 1)}, {high} = {fmt.pct(100 * high / n, 1)}) ; le jeu "
        f"reconstitué en compte {low}.",
        f"**Parts des territoires** : les parts publiées totalisent "
        f"{fmt.pct(shares['valeur'].sum())} et la Lys n'en a pas ; les projets restants y sont "
        "placés par déduction.",
        f"**Emplois** : {fmt.etp(value['aap-emplois-realises'])} réalisés selon le diaporama, "
        f"{fmt.nombre(value['aap-emplois-site-mel'])} emplois « à la création desquels l'appel "
        "a contribué » selon le site de la MEL : les deux chiffres ne comptent pas la même "
        "chose, le tableau de bord montre les ETP.",
    ]
    if len(conflict):
        items.append(
            "**Territoire de " + tables.texte(", ".join(conflict["nom"])) + "** : rattachée à "
            + tables.texte(", ".join(conflict["territoire"])) + " par le code SIG de la MEL, mais au "
            "territoire Lille-Lomme-Hellemmes par son export de données ouvertes. Le tableau de "
            "bord suit le code SIG."
        )
    if len(joined):
        items.append(
            f"**Communes entrées dans la MEL en 2020** ({tables.texte(', '.join(joined['nom']))}) : "
            "seul le code SIG de la MEL les rattache à un territoire ("
            + tables.texte(", ".join(sorted(set(joined["territoire"])))) + ") ; l'export de données ouvertes "
            "ne leur en donne aucun."
        )
    return items
