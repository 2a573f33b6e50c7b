"""Cell values as staff type them, turned into the store's values.

Each parser returns the store's value or raises `CellError` with a French message and what to
do. Legal forms and activities are mapped through `data/import_correspondances.csv` (one
documented table, see data/README.md); communes through the store's `commune` source.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ess.paths import ROOT, SOURCES_DIR

CORRESPONDENCES_FILE = ROOT / "data" / "import_correspondances.csv"
FORMULA_PREFIXES = ("=", "+", "-", "@")

# Lomme and Hellemmes are associated communes of Lille: no row of their own in `commune`.
LILLE = "59350"
ASSOCIATED_COMMUNES = {"59355": "Lomme", "59298": "Hellemmes"}


class CellError(ValueError):
    """A cell that cannot be read: `message` says what is wrong, `action` what to do."""

    def __init__(self, message: str, action: str):
        super().__init__(message)
        self.message = message
        self.action = action


def key(text: str) -> str:
    """Text reduced for comparison: no case, accents, punctuation or repeated spaces."""
    text = str(text).replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def text(value) -> str:
    """A cell as trimmed text (`None` → ``); integral numbers lose their `.0`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).replace("\u00a0", " ").replace("\u202f", " ").split())


def is_formula_like(value) -> bool:
    """Text a spreadsheet would evaluate (CSV injection): stored as text, never evaluated."""
    return isinstance(value, str) and value.lstrip().startswith(FORMULA_PREFIXES)


def inert(value):
    """Text safe in any export a spreadsheet opens: formula-like text gets Excel's own text
    marker, a leading apostrophe (Streamlit's table download does not do it)."""
    return f"'{value}" if is_formula_like(value) else value


def _formula_error(value: str) -> CellError:
    return CellError(
        f"« {value} » est une formule, pas une valeur",
        "Remplacez-la par sa valeur (copier, puis collage spécial « valeurs »)",
    )


_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3}){2,}")
_NUMBER = re.compile(r"\d+(\.\d+)?")


def number(value, *, euros: bool) -> float:
    """`12 500,00 €`, `12500`, `12.500,5`, `3,5`, a spreadsheet number → a float ≥ 0."""
    what, example = ("un montant", "12 500 ou 12 500,00 €") if euros else (
        "un nombre d'emplois", "3 ou 2,5")
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.time)):
        raise CellError(f"« {value} » n'est pas {what}",
                        f"Écrivez un nombre, par exemple {example}")
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value):
            raise CellError("cellule vide", f"Écrivez un nombre, par exemple {example}")
        raw, amount = text(value), float(value)
    else:
        raw = text(value)
        if raw == "":
            raise CellError("cellule vide", f"Écrivez un nombre (0 s'il n'y en a pas), par exemple "
                                            f"{example}")
        if raw.startswith("="):
            raise _formula_error(raw)
        cleaned = re.sub(r"(?i)€|euros?|eur|etp", "", raw)
        cleaned = re.sub(r"[\s'’]", "", cleaned)
        negative = cleaned.startswith(("-", "−")) or (cleaned.startswith("(")
                                                      and cleaned.endswith(")"))
        cleaned = cleaned.strip("-−+()")
        if "," in cleaned and "." in cleaned:
            # The separator written last is the decimal one: 12.500,5 and 12,500.5.
            thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
            cleaned = cleaned.replace(thousands, "").replace(",", ".")
        elif _THOUSANDS_COMMA.fullmatch(cleaned):
            cleaned = cleaned.replace(",", "")
        elif "," in cleaned:
            cleaned = cleaned.replace(",", ".")
        elif euros and _THOUSANDS_DOT.fullmatch(cleaned):
            cleaned = cleaned.replace(".", "")  # 12.500 €: a French thousands dot
        if not _NUMBER.fullmatch(cleaned):
            raise CellError(f"« {raw} » n'est pas {what}",
                            f"Écrivez le nombre en chiffres, par exemple {example}")
        amount = -float(cleaned) if negative else float(cleaned)
    if amount < 0:
        raise CellError(f"« {raw} » est négatif",
                        ("Une subvention est un montant positif" if euros else
                         "Un nombre d'emplois est positif") + " : corrigez le signe")
    return amount


_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def year(value) -> int:
    """`2017`, `2017.0`, a date cell, `12/03/2017` or `2017-03-12` → 2017."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return int(value)
    raw = text(value)
    if raw == "":
        raise CellError("cellule vide", "Écrivez l'année du soutien, par exemple 2017")
    if raw.startswith("="):
        raise _formula_error(raw)
    found = {m.group(0) for m in _YEAR.finditer(raw)}
    if len(found) == 1:
        return int(found.pop())
    raise CellError(f"« {raw} » n'est pas une année",
                    "Écrivez l'année du soutien sur quatre chiffres (2017) ou une date "
                    "(12/03/2017)")


def axis(value, allowed: range) -> int:
    """`2`, `Axe 2`, `2.0` → 2, within the plan's axes."""
    raw = text(value)
    found = re.fullmatch(r"(?:axe\s*)?(\d)", key(raw))
    if not found or int(found.group(1)) not in allowed:
        raise CellError(f"« {raw} » n'est pas un axe du PMDESS 2015-2020",
                        f"Écrivez un numéro d'axe de {allowed.start} à {allowed.stop - 1}, "
                        "ou laissez la cellule vide (l'axe de l'activité est alors retenu)")
    return int(found.group(1))


def read_source(name: str, sources: Path) -> list[dict]:
    with (sources / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _commune_key(name: str) -> str:
    """Commune names compared without « St »/« Saint », « lez »/« lès »/« les », postcodes."""
    words = {"st": "saint", "ste": "sainte", "les": "lez"}
    tokens = [words.get(t, t) for t in key(name).split()]
    kept = [t for t in tokens if not re.fullmatch(r"\d{5}|59|cedex", t)]
    return " ".join(kept or tokens)


@dataclass(frozen=True)
class Commune:
    insee: str
    nom: str
    territoire: str
    associee: str | None = None  # « Lomme » or « Hellemmes » when the file names them


class Communes:
    """The 95 communes of the MEL, found by INSEE code or by name, tolerantly."""

    def __init__(self, sources: Path = SOURCES_DIR):
        rows = read_source("commune.csv", sources)
        self.by_insee = {r["insee"]: Commune(r["insee"], r["nom"], r["territoire"]) for r in rows}
        self.by_key = {_commune_key(c.nom): c for c in self.by_insee.values()}
        lille = self.by_insee[LILLE]
        for insee, name in ASSOCIATED_COMMUNES.items():
            associated = Commune(LILLE, lille.nom, lille.territoire, name)
            self.by_insee[insee] = associated
            for variant in (name, f"{name} Lille", f"Lille {name}"):
                self.by_key[_commune_key(variant)] = associated

    def find(self, value) -> Commune:
        raw = text(value)
        if raw == "":
            raise CellError("cellule vide", "Écrivez le nom de la commune ou son code INSEE")
        if re.fullmatch(r"\d{5}", raw):
            if raw in self.by_insee:
                return self.by_insee[raw]
            raise CellError(f"« {raw} » n'est le code INSEE d'aucune commune de la MEL",
                            "Écrivez le code INSEE (Lille : 59350, pas le code postal 59000) ou "
                            "le nom de la commune")
        wanted = _commune_key(raw)
        if wanted in self.by_key:
            return self.by_key[wanted]
        close = difflib.get_close_matches(wanted, list(self.by_key), n=1, cutoff=0.75)
        if close:
            suggestion = self.by_key[close[0]]
            action = f"Vouliez-vous dire {suggestion.associee or suggestion.nom} ?"
        else:
            action = ("Écrivez le nom d'une des 95 communes de la MEL ou son code INSEE (liste "
                      "dans la feuille « Listes » du modèle)")
        raise CellError(f"« {raw} » n'est pas une commune de la MEL", action)


class Categories:
    """Legal forms and activities: the store's codes, found from the usual ways of writing them.

    A value matches a category when it is its code or label, or when the words of one of the
    category's variants in the correspondence table appear in it, in that order (« SAS agréée
    ESUS » contains « sas »). The table's order decides between two variants.
    """

    def __init__(self, field: str, source: str, what: str, sources: Path = SOURCES_DIR,
                 correspondences: Path = CORRESPONDENCES_FILE):
        self.field = field
        self.what = what
        self.labels = {r["code"]: r["libelle"] for r in read_source(source, sources)}
        self.exact = {key(v): c for c, label in self.labels.items() for v in (c, label)}
        with correspondences.open(encoding="utf-8", newline="") as handle:
            self.variants = [
                (_words(row["variante"]), row["code"])
                for row in csv.DictReader(handle) if row["champ"] == field
            ]
        unknown = {code for _, code in self.variants} - set(self.labels)
        if unknown:  # a typo in the table must not silently drop a variant
            raise ValueError(f"{correspondences.name} : codes inconnus pour {field} : {unknown}")

    def find(self, value) -> str:
        raw = text(value)
        if raw == "":
            raise CellError("cellule vide", f"Écrivez {self._choices()}")
        if key(raw) in self.exact:
            return self.exact[key(raw)]
        words = _words(raw)
        for variant, code in self.variants:
            if _contains(words, variant):
                return code
        raise CellError(f"« {raw} » n'est pas {self.what}", f"Écrivez {self._choices()}")

    def _choices(self) -> str:
        return "une de ces valeurs : " + ", ".join(f"« {v} »" for v in self.labels.values())


def _words(value: str) -> list[str]:
    # « associations » and « association » are the same word here.
    return [w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key(value).split()]


def _contains(words: list[str], variant: list[str]) -> bool:
    n = len(variant)
    return any(words[i:i + n] == variant for i in range(len(words) - n + 1))
