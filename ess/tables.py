"""What a reader sees of the data as text: French column names, French tables (the « Voir les
données » tables and those of the sources page), and any text that comes from the store, an
address or an imported file, shown literally where Streamlit would read Markdown (`texte`) or
where Plotly would read HTML (`texte_graphique`).

A table shows chosen columns under French headers, each value formatted for reading
(`768 200 €`, `4,6 %`); a missing value reads « – ». Files to download are written by
`ess.exports.tables` (CSV for French spreadsheets, XLSX, formula cells neutralised).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable

import pandas as pd

from ess import provenance

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
    "axe": "Axe du plan en vigueur",
    "axe_nom": "Intitulé de l'axe",
    "periode": "Période de l'appel",
    "plan": "Plan en vigueur",
    "type_aide": "Type d'aide",
    "beneficiaire": "Bénéficiaire",
    "siret": "SIRET",
    "rna": "RNA",
    "date_decision": "Date de la décision",
    "reference_decision": "Référence de la décision",
    "conditions_versement": "Conditions de versement",
    "dates_versement": "Dates de versement",
    "notification_ue": "Aide notifiée à l'UE",
    "nb_realises_inconnus": "Projets aux emplois réalisés non connus",
    "emplois_prevus_connus": "Emplois prévus des projets au résultat connu (ETP)",
    "subvention_connue": "Subventions des projets au résultat connu (€)",
    "part_associations_pct": "Part d'associations (%)",
    "plafond_eur": "Plafond par projet (€)",
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
# The signs that start a Markdown, HTML, LaTeX or Streamlit construct anywhere in a line (link,
# image, emphasis, code, tag, table, `$…$`, `:red[…]`, `:smile:`, `:material/…:`, an entity
# such as `&lt;`); CommonMark lets a backslash escape each. Other punctuation stays as typed,
# and so does a colon between spaces (« Années : 2016 »), which starts nothing.
_MARKDOWN_SIGNS = re.compile(r"([\\`*_{}\[\]<>#|$~/]|:(?=\S)|(?<=\S):|&(?=#?\w+;))")
# Signs that only count at the start of a line: a list (`-`, `+`, `1.`, `1)`), a heading
# underline (`=`).
_LINE_START = re.compile(r"^(\d*)([-+=.)])")
# Where GitHub-flavoured Markdown makes a link of bare text (`http://…`, `www.…`, `a@b.fr`):
# it does so after reading the escapes, so a word joiner (invisible) breaks the pattern.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=/)|(?<=@)|(?<=\bwww)(?=\.)")
WORD_JOINER = "\u2060"
_BLANKS = re.compile(r"[^\S\u00a0\u202f\u2007]+")  # any white space but the no-break ones


def with_provenance(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its figures' provenance columns folded into one « provenance » column, kept
    only where a figure is not published (`ess.provenance.summary`)."""
    folded = provenance.summary(df, LIBELLES)
    out = df.drop(columns=[c for c in df.columns if c.startswith(provenance.PREFIX)])
    if folded is not None and "provenance" not in out:
        out["provenance"] = folded
    return out


def download_lines(df: pd.DataFrame) -> tuple[str, ...]:
    """The source and, where a figure is reconstructed, the notice of a table to download."""
    lines = [df.attrs.get("source", "Source : Observatoire ESS de la MEL, d'après les documents "
                                    "publics cités sur la page « Chiffres clés et sources ».")]
    marks = df.get("provenance", df.get("Provenance"))
    if marks is not None and marks.astype(str).str.contains(provenance.RECONSTITUE).any():
        lines.append(f"Avertissement : {provenance.NOTICE.lower()}. Les valeurs dont la "
                     f"provenance dit « {provenance.RECONSTITUE} » sont des estimations ; méthode "
                     "et sources : page « Chiffres clés et sources » du tableau de bord.")
    return tuple(lines)


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


def _une_ligne(value) -> str:
    """`value` as one line of text: line breaks, tabs and runs of spaces become one space (no-break
    spaces stay), control and format characters (a bidi override turns the text around) go."""
    text = _BLANKS.sub(" ", str(value))
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf")).strip(" ")


def texte(value) -> str:
    """Text from the store, an address or an imported file, for anything Streamlit reads as
    Markdown (st.markdown, st.caption, st.info/warning/error/success, st.title/header, widget
    labels, st.table cells): shown literally, on one line. Never for what Streamlit shows as
    plain text (st.dataframe cells, select box options, st.text), where the escapes would show.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = _MARKDOWN_SIGNS.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, _une_ligne(value)))
    return _LINE_START.sub(r"\1\\\2", text)


def cellules_texte(df: pd.DataFrame) -> pd.DataFrame:
    """`df` for `st.table`, which reads Markdown in its cells and headers: every text literal."""
    return df.rename(columns=texte).map(lambda v: texte(v) if isinstance(v, str) else v)


def texte_graphique(value) -> str:
    """Text from the store or an imported file for a Plotly title, label or hover: Plotly
    reads a subset of HTML there (`<a href>`, `<b>`, `<span style>`, entities)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(_une_ligne(value), quote=False)


def periode(debut, fin) -> str:
    """`2015-2018`, `2013`, `depuis 2018` (no end published) or « période non publiée »."""
    if pd.isna(debut):
        return "période non publiée"
    if pd.isna(fin):
        return f"depuis {int(debut)}"
    if int(fin) == int(debut):
        return str(int(debut))
    return f"{int(debut)}-{int(fin)}"
