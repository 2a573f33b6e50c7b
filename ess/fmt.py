"""French number formats for everything a user reads: `1 234 567 €`, `45 %`, `3,5 ETP`."""

from __future__ import annotations

import math

NBSP = "\u00a0"  # thousands separator and before units, so a figure never breaks across lines
NNBSP = "\u202f"


def nombre(value: float | int | None, decimals: int = 0) -> str:
    """`1234567.8` → `1 234 567,8` with a no-break space for thousands."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", NBSP).replace(".", ",")


def euros(value: float | None, decimals: int = 0) -> str:
    return f"{nombre(value, decimals)}{NBSP}€"


def pct(value: float | None, decimals: int = 0) -> str:
    return f"{nombre(value, decimals)}{NBSP}%"


def etp(value: float | None) -> str:
    """Jobs in full-time equivalents: one decimal only when needed (`483 ETP`, `3,5 ETP`)."""
    decimals = 0 if value is None or float(value).is_integer() else 1
    return f"{nombre(value, decimals)}{NBSP}ETP"


def jour(value) -> str:
    """A date as French readers write it: `12/03/2017`; `–` when there is none."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return value.strftime("%d/%m/%Y")


def rang(position: int, total: int) -> str:
    return f"{position}{'er' if position == 1 else 'e'} sur {total}"


INVARIABLE = {"mois"}


def mesure(value: float | None, unite: str) -> str:
    """A published figure with its unit: `768 200 €`, `4,6 %`, `483 ETP`, `1 projet`."""
    if unite == "ETP":
        return etp(value)
    decimals = 0 if value is None or float(value).is_integer() else 1
    if value is not None and abs(value) < 2 and unite.endswith("s") and unite not in INVARIABLE:
        unite = unite[:-1]  # French singular: « 1 projet », « 0 projet »
    return f"{nombre(value, decimals)}{NBSP}{unite}"


def compte(n: int, singulier: str, pluriel: str | None = None) -> str:
    """`1, "projet"` → `1 projet`; `62, "projet"` → `62 projets` (French: plural from 2)."""
    mot = singulier if abs(n) < 2 else (pluriel or f"{singulier}s")
    return f"{nombre(n)}{NBSP}{mot}"


def guillemets(texte: str) -> str:
    """`« texte »` with no-break spaces, so a guillemet never starts or ends a line alone."""
    return f"«{NBSP}{texte}{NBSP}»"


MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre")


def date(jour) -> str:
    """`date(2026, 12, 3)` → `3 décembre 2026` (`1er` for the first of a month)."""
    return f"{'1er' if jour.day == 1 else jour.day}{NBSP}{MOIS[jour.month - 1]}{NBSP}{jour.year}"
