"""The sidebar filters: what they hold, and how they travel in the URL.

A view is shared by its address: every filter is a query parameter holding a comma-separated
list (`?annees=2016,2017&territoires=lillois`), and the grant range two whole amounts in euros
(`?subvention_min=5000&subvention_max=15000`). Values are checked against the store's known
values; anything else is dropped with a notice, never an exception.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from ess import fmt

DIMENSIONS = {
    # parameter: (sidebar label, value type)
    "annees": ("Années", int),
    # An axis is a plan's (« pmdess-2015-2020/1 »): a project has the axes of the plan in
    # force in its year.
    "axes": ("Axes du plan en vigueur", str),
    "territoires": ("Territoires", str),
    "formes": ("Formes juridiques", str),
    "activites": ("Types d'activité", str),
    "communes": ("Communes", str),
}
# The grant range: parameter → label. A bound left out is no bound.
MONTANTS = {"subvention_min": "Subvention minimale", "subvention_max": "Subvention maximale"}
MAX_PARAM_LENGTH = 500
MAX_AMOUNT_DIGITS = 9


@dataclass(frozen=True)
class Filtres:
    """Selected values per dimension; an empty tuple means « tous »."""

    annees: tuple[int, ...] = ()
    axes: tuple[str, ...] = ()
    territoires: tuple[str, ...] = ()
    formes: tuple[str, ...] = ()
    activites: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()  # INSEE codes
    subvention_min: int | None = None  # euros, bounds included
    subvention_max: int | None = None

    def params(self) -> dict[str, list | int | None]:
        """The query parameters: a list per dimension, the grant bounds (None: no bound)."""
        return {f.name: _param(getattr(self, f.name)) for f in fields(self)}

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) not in ((), None) for f in fields(self))

    def to_query(self) -> dict[str, str]:
        """URL query parameters for this view (only the active filters)."""
        return {
            f.name: ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
            for f in fields(self)
            if (value := getattr(self, f.name)) not in ((), None)
        }


def _param(value):
    return list(value) if isinstance(value, tuple) else value


@dataclass
class Lecture:
    """Filters read from a URL, and the notices about values that were dropped."""

    filtres: Filtres
    rejets: list[str] = field(default_factory=list)


def known_values(rows) -> dict[str, dict[str, str]]:
    """The `filtres_valeurs` query's result as {filter: {value (as in the URL): label}}, in order."""
    return {
        name: dict(zip(group["valeur"], group["libelle"]))
        for name, group in rows.groupby("filtre", sort=False)
    }


def from_query(query: dict[str, str | list[str]], known: dict[str, dict[str, str]]) -> Lecture:
    """Filters from URL parameters, keeping only values in `known[dimension]` (value → label)."""
    values: dict[str, tuple] = {}
    rejets: list[str] = []
    for name, (label, kind) in DIMENSIONS.items():
        raw = query.get(name)
        if raw is None:
            continue
        text = ",".join(raw) if isinstance(raw, list) else str(raw)
        if len(text) > MAX_PARAM_LENGTH:
            rejets.append(f"{label} : paramètre trop long, ignoré.")
            continue
        kept = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            if item in known.get(name, {}):
                value = kind(item)
                if value not in kept:
                    kept.append(value)
            else:
                rejets.append(f"{label} : valeur inconnue « {item[:40]} » ignorée.")
        order = list(known.get(name, {}))
        values[name] = tuple(sorted(kept, key=lambda v: order.index(str(v))))
    for name, label in MONTANTS.items():
        raw = query.get(name)
        if isinstance(raw, list):
            raw = raw[-1] if raw else None
        if raw is None:
            continue
        text = str(raw).strip()
        if text.isascii() and text.isdigit() and len(text) <= MAX_AMOUNT_DIGITS:
            values[name] = int(text)
        else:
            rejets.append(f"{label} : « {text[:40]} » ignorée ; un montant entier en euros "
                          "est attendu.")
    low, high = values.get("subvention_min"), values.get("subvention_max")
    if low is not None and high is not None and low > high:
        values["subvention_min"], values["subvention_max"] = high, low
    return Lecture(Filtres(**values), rejets)


def montants(filtres: Filtres) -> str | None:
    """The grant range in French (« de 5 000 € à 15 000 € »), None without bounds."""
    low, high = filtres.subvention_min, filtres.subvention_max
    if low is not None and high is not None:
        return f"de {fmt.euros(low)} à {fmt.euros(high)}"
    if low is not None:
        return f"au moins {fmt.euros(low)}"
    if high is not None:
        return f"au plus {fmt.euros(high)}"
    return None


def summary(filtres: Filtres, known: dict[str, dict[str, str]]) -> str:
    """The active filters in one French line."""
    parts = []
    for name, (label, _) in DIMENSIONS.items():
        chosen = getattr(filtres, name)
        if chosen:
            labels = [known.get(name, {}).get(str(v), str(v)) for v in chosen]
            parts.append(f"{label} : {', '.join(labels)}")
    if montants(filtres):
        parts.append(f"Subvention : {montants(filtres)}")
    return " · ".join(parts) if parts else f"Aucun filtre : tous les projets {annees(known)}."


def annees(known: dict[str, dict[str, str]]) -> str:
    """The store's years as a French span: « 2015-2018 », « 2017 », « 2011-2026 »."""
    years = sorted(int(y) for y in known.get("annees", {}))
    if not years:
        return ""
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def only_years(filtres: Filtres, known: dict[str, dict[str, str]], first: int, last: int) -> bool:
    """True when the view holds every project of the years `first` to `last` and no other:
    published figures about those years may then be set beside the store's."""
    years = filtres.annees or tuple(int(y) for y in known.get("annees", {}))
    return replace(filtres, annees=()).is_empty() and sorted(years) == list(range(first, last + 1))
