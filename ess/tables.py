"""What a reader sees of the data as text: French column names, French tables (the « Voir les
données » tables and those of the sources page) and source texts shown in Markdown.

A table shows chosen columns under French headers, each value formatted for reading
(`768 200 €`, `4,6 %`); a missing value reads « – ». Files to download are written by
`ess.exports.tables` (CSV for French spreadsheets, XLSX, formula cells neutralised).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

Colonnes = dict[str, tuple[str, Callable | None]]

# Column → French label, for every column a reader may see in a table or a downloaded file.
LIBELLES = {
    "id": "Identifiant",
    "libelle": "Libellé",
    "nom": "Nom",
    "annee": "Année",
    "commune": "Commune",
    "territoire": "Territoire",
    "forme_juridique": "Forme juridique",
    "statut": "Statut",
    "activite": "Activité",
    "axe": "Axe du PMDESS",
    "subvention_eur": "Subvention (€)",
    "subvention": "Subventions (€)",
    "emplois_prevus_etp": "Emplois prévus (ETP)",
    "emplois_realises_etp": "Emplois réalisés (ETP)",
    "emplois_prevus": "Emplois prévus (ETP)",
    "emplois_realises": "Emplois réalisés (ETP)",
    "nb_projets": "Projets",
    "part_pct": "Part des projets (%)",
    "nb_publie": "Projets (chiffre publié)",
    "part_publiee_pct": "Part publiée (%)",
    "taux_realisation_pct": "Emplois réalisés / prévus (%)",
    "etp_pour_10k": "ETP réalisés pour 10 000 €",
    "population": "Population",
    "provenance": "Provenance",
    "source": "Source",
}
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|$~])")


def en_francais(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its columns renamed to their French labels (unknown columns unchanged)."""
    return df.rename(columns=LIBELLES)


def lisible(df: pd.DataFrame, colonnes: Colonnes) -> pd.DataFrame:
    """The columns of `colonnes` (source column → (French header, formatter or None))."""
    table = pd.DataFrame(index=df.index)
    for column, (header, formatter) in colonnes.items():
        values = df[column]
        if formatter is not None:
            values = values.map(lambda v: "–" if pd.isna(v) else formatter(v))
        table[header] = values
    return table.reset_index(drop=True)


def texte(value) -> str:
    """A source text for `st.markdown`: Markdown and LaTeX signs are shown as they are."""
    return "" if value is None or pd.isna(value) else _MARKDOWN.sub(r"\\\1", str(value))


def periode(debut, fin) -> str:
    """`2015-2018`, `2013`, `depuis 2018` (no end published) or « période non publiée »."""
    if pd.isna(debut):
        return "période non publiée"
    if pd.isna(fin):
        return f"depuis {int(debut)}"
    if int(fin) == int(debut):
        return str(int(debut))
    return f"{int(debut)}-{int(fin)}"
