"""What a reader sees of the data as text: French tables (the « Voir les données » tables and
those of the sources page) and source texts shown in Markdown.

A table shows chosen columns under French headers, each value formatted for reading
(`768 200 €`, `4,6 %`); a missing value reads « – ».
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

Colonnes = dict[str, tuple[str, Callable | None]]

_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|$~])")


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
