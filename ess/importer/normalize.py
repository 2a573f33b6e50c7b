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

from ess.importer import HIDDEN_CATEGORIES
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


def _formula_error(value: str) -> CellError:
    return CellError(
        f"« {value} » est une formule, pas une valeur",
        "Remplacez-la par sa valeur (copier, puis collage spécial « valeurs »)",
    )


_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3}){2,}")
_AMBIGUOUS_COMMA = re.compile(r"\d{1,3},\d{3}")
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
        elif euros and _AMBIGUOUS_COMMA.fullmatch(cleaned):
            whole, part = cleaned.split(",")
            raise CellError(
                f"« {raw} » est ambigu : {whole},{part.rstrip('0') or '0'} € (virgule décimale) "
                f"ou {whole} {part} € (virgule des milliers, à l'anglaise) ?",
                f"Écrivez {whole}{part} ou {whole} {part} pour des milliers, "
                f"{whole},{part[:2]} pour des centimes")
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


_MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12,
    "dec": 12,
}
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_WRITTEN = re.compile(r"(\d{1,2})(?: ?er)? ([a-z]+) (\d{4})")


def date(value) -> dt.date:
    """A date as staff write it: a date cell, `12/03/2017`, `12-03-17`, `12.03.2017`,
    `2017-03-12`, `12 mars 2017`, `1er mars 2017`."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if raw == "":
        raise CellError("cellule vide", "Écrivez une date, par exemple 12/03/2017")
    if raw.startswith("="):
        raise _formula_error(raw)
    parts = None
    if found := _DAY_FIRST.fullmatch(raw):
        day, month, year_ = (int(g) for g in found.groups())
        parts = (year_ + 2000 if len(found.group(3)) == 2 else year_, month, day)
    elif found := _ISO.fullmatch(raw):
        parts = tuple(int(g) for g in found.groups())
    elif (found := _WRITTEN.fullmatch(key(raw))) and found.group(2) in _MONTHS:
        parts = (int(found.group(3)), _MONTHS[found.group(2)], int(found.group(1)))
    try:
        if parts:
            return dt.date(*parts)
    except ValueError:
        pass
    raise CellError(f"« {raw} » n'est pas une date",
                    "Écrivez la date en jour/mois/année, par exemple 12/03/2017")


def year(value) -> int:
    """`2017`, `2017.0`, a date cell or a date written in full → 2017. Anything else, even
    with a year inside (« 2017.5 », « 2016abc », « 2016-2017 »), is refused: it cannot be
    read right for sure."""
    action = ("Écrivez l'année du soutien sur quatre chiffres (2017) ou une date "
              "(12/03/2017)")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, bool) or isinstance(value, dt.time):
        raise CellError(f"« {text(value)} » n'est pas une année", action)
    if isinstance(value, (int, float)):
        if not (math.isfinite(value) and float(value).is_integer()):
            raise CellError(f"« {text(value)} » n'est pas une année entière", action)
        if not 1000 <= value <= 9999:  # 43160: a date cell that lost its date format
            raise CellError(f"« {text(value)} » n'est pas une année", action)
        return int(value)
    raw = text(value)
    if raw == "":
        raise CellError("cellule vide", "Écrivez l'année du soutien, par exemple 2017")
    if raw.startswith("="):
        raise _formula_error(raw)
    if found := re.fullmatch(r"(\d{4})(?:[.,]0+)?", raw):
        return int(found.group(1))
    try:
        return date(raw).year
    except CellError:
        raise CellError(f"« {raw} » n'est pas une année", action) from None


def axis(value, axes: dict[int, str], plan: str) -> int:
    """`2`, `2.0`, `Axe 2`, `Axe n°2`, `axe 2 : animation…`, or the axis's name, in full or
    shortened (« Animation territoriale ») → 2, among the `axes` (number → name) of `plan`."""
    raw = text(value)
    action = ("Écrivez le numéro de l'axe (" + ", ".join(
        f"{n} : {name}" for n, name in sorted(axes.items())) + ") ou laissez la cellule vide")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value) if math.isfinite(value) and float(value).is_integer() else None
    else:
        found = re.fullmatch(r"(?:axe\s*)?(?:n\s*o?\s*)?(\d+)(?:\s+0+)?(?:\s+(.*))?",
                             key(raw))
        number, rest = (int(found.group(1)), found.group(2)) if found else (None, None)
        if found is None:
            named = [n for n, name in axes.items() if _names(raw, name)]
            if len(named) == 1:
                return named[0]
        elif rest and number in axes and not _names(rest, axes[number]):
            raise CellError(f"« {raw} » : le numéro {number} et l'intitulé ne désignent pas "
                            f"le même axe du plan en vigueur ({plan})", action)
    if number in axes:
        return number
    raise CellError(f"« {raw} » n'est pas un axe du plan en vigueur ({plan})", action)


def _names(written: str, name: str) -> bool:
    """Whether `written` names the axis called `name`: its significant words are all in it."""
    words = [w for w in _words(written) if len(w) > 3]
    return bool(words) and set(words) <= set(_words(name))


# Characters a reader cannot see or that change how text is shown: control characters (ESC…),
# zero-width spaces and joiners, bidirectional overrides, byte-order marks.
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def invisible(value) -> str | None:
    """The first invisible or control character of a text cell, described (« U+200B, ZERO
    WIDTH SPACE »), or None."""
    if not isinstance(value, str):
        return None
    for char in value:
        if char in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) in HIDDEN_CATEGORIES:
            name = unicodedata.name(char, "caractère de contrôle")
            return f"U+{ord(char):04X}, {name}"
    return None


def siret(value) -> str:
    """14 digits, spaces and dots allowed, that pass the SIRET's Luhn check."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value)).zfill(14) if math.isfinite(value) and float(
            value).is_integer() else text(value)
    else:
        digits = re.sub(r"[\s.\-]", "", text(value))
    action = ("Recopiez les 14 chiffres du SIRET depuis l'avis de situation SIRENE ou "
              "annuaire-entreprises.data.gouv.fr, ou laissez la cellule vide")
    if not re.fullmatch(r"\d{14}", digits):
        raise CellError(f"« {text(value)} » n'est pas un numéro SIRET (14 chiffres)", action)
    if not _luhn(digits) and not (digits.startswith("356000000")  # La Poste's own rule
                                  and sum(map(int, digits)) % 5 == 0):
        raise CellError(f"« {text(value)} » n'est pas un numéro SIRET valide (un chiffre est "
                        "faux ou deux sont inversés : la clé de contrôle ne correspond pas)",
                        action)
    return digits


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        number = int(char) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    return total % 10 == 0


def rna(value) -> str:
    """An association's number in the Répertoire national des associations: W and 9
    characters (W595012345; Corsica's W2A…)."""
    found = re.sub(r"[\s.\-]", "", text(value)).upper()
    if not re.fullmatch(r"W\d[\dAB]\d{7}", found):
        raise CellError(f"« {text(value)} » n'est pas un numéro RNA (W suivi de 9 chiffres, "
                        "par exemple W595012345)",
                        "Recopiez le numéro du récépissé de la préfecture ou du Journal officiel, "
                        "ou laissez la cellule vide")
    return found


def aid_kind(value, kinds: list[str]) -> str:
    """« démarrage », « Aide au développement », « dév. » → one of `kinds`, as written there."""
    words = [w for w in key(value).split() if w not in ("aide", "au", "a", "l", "de", "d")]
    if len(words) == 1 and len(words[0]) >= 3:
        for kind in kinds:
            if key(kind).startswith(words[0]):
                return kind
    raise CellError(f"« {text(value)} » n'est pas un type d'aide de l'appel",
                    "Écrivez " + " ou ".join(f"« {k} »" for k in kinds) + ", ou laissez la "
                    "cellule vide")


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


NOT_ESS = "hors-ess"
ESS_FORMS = ("La loi du 31 juillet 2014 relative à l'économie sociale et solidaire (article 1) "
             "en reconnaît les associations, les coopératives (SCOP, SCIC, CAE…), les "
             "mutuelles, les fondations et les sociétés commerciales d'utilité sociale (agréées "
             "ESUS)")
# Words that say a company's legal shape beside what makes it ESS (« SCOP SARL », « SAS agréée
# ESUS », « Association loi 1901 »): dropped when the rest is a known spelling.
_SHAPES = ("sarl", "sas", "sasu", "sa", "eurl", "loi 1901", "loi 1908", "de droit local")


class UnknownCategory(CellError):
    """A value that is no known spelling and close to none: a new label, perhaps."""


class Categories:
    """Legal forms and activities: the store's codes, found from the known ways of writing them.

    A value matches when it is a code, a label or a spelling of the correspondence table,
    compared without case, accents, punctuation, plurals or dots between initials
    (« S.C.O.P. »), and, for legal forms, without the company shape beside it (« SCOP SARL »).
    Never by a word inside the text: « SAS à but lucratif » is not « SAS ». A value close to a
    known spelling is an error that suggests it; legal forms outside the ESS are refused with
    the list of ESS forms.
    """

    def __init__(self, field: str, source: str, what: str, sources: Path = SOURCES_DIR,
                 correspondences: Path = CORRESPONDENCES_FILE):
        self.field = field
        self.what = what
        self.labels = {r["code"]: r["libelle"] for r in read_source(source, sources)}
        self.spellings: dict[str, tuple[str, str]] = {}  # spelling key → (code, as written)
        for code, label in self.labels.items():
            self.spellings[spelling(code)] = (code, label)
            self.spellings[spelling(label)] = (code, label)
        rows = [r for r in read_source(correspondences.name, correspondences.parent)
                if r["champ"] == field]
        unknown = {r["code"] for r in rows} - set(self.labels) - {NOT_ESS}
        if unknown:  # a typo in the table must not silently drop a spelling
            raise ValueError(f"{correspondences.name} : codes inconnus pour {field} : {unknown}")
        for row in rows:
            self.spellings.setdefault(spelling(row["variante"]), (row["code"], row["variante"]))

    def find(self, value) -> str:
        raw = text(value)
        if raw == "":
            raise CellError("cellule vide", f"Écrivez {self._choices()}")
        wanted = spelling(raw)
        code = self._known(wanted)
        if code == NOT_ESS:
            raise CellError(f"« {raw} » n'est pas une forme juridique de l'économie sociale et "
                            "solidaire", f"{ESS_FORMS}. Vérifiez le statut de la structure "
                            "soutenue")
        if code:
            return code
        close = difflib.get_close_matches(wanted, list(self.spellings), n=1, cutoff=0.8)
        if close:
            raise CellError(f"« {raw} » n'est pas {self.what}",
                            f"Vouliez-vous dire « {self.spellings[close[0]][1]} » ?")
        raise UnknownCategory(f"« {raw} » n'est pas {self.what}", f"Écrivez {self._choices()}")

    def _known(self, wanted: str) -> str | None:
        if wanted in self.spellings:
            return self.spellings[wanted][0]
        if self.field != "forme_juridique":
            return None
        rest = f" {wanted} "
        for shape in _SHAPES:
            rest = rest.replace(f" {shape} ", " ")
        rest = rest.strip()
        return self.spellings[rest][0] if rest and rest in self.spellings else None

    def _choices(self) -> str:
        return "une de ces valeurs : " + ", ".join(f"« {v} »" for v in self.labels.values())


def spelling(value: str) -> str:
    """How a category is compared: `key`, singular words, initials joined (« s c o p » →
    « scop »)."""
    words, initials = [], ""
    for word in key(value).split():
        if len(word) == 1 and word.isalpha():
            initials += word
            continue
        if initials:
            words.append(initials)
            initials = ""
        words.append(word)
    if initials:
        words.append(initials)
    joined = []
    for word in words:  # a lone letter (« d'insertion ») stays a word of its own
        joined.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
    return " ".join(joined)


def _words(value: str) -> list[str]:
    return spelling(value).split()
