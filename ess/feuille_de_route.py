"""How a roadmap action's indicator reads (`feuille_de_route_actions`): baseline, current value
and target in one French line, and how far the current value has come towards the target."""

from __future__ import annotations

import pandas as pd

from ess import fmt, tables


def _valeur(value, unite, annee) -> str:
    if pd.isna(value):
        return "non renseignée"
    text = fmt.mesure(value, unite) if isinstance(unite, str) and unite else fmt.nombre(value, 1)
    return text + (f" ({int(annee)})" if pd.notna(annee) else "")


def indicateur(action) -> str:
    """« Porteurs accompagnés : référence 40 porteurs (2021) → 75 porteurs (2025), cible 100
    porteurs (2026) », Markdown-safe."""
    unite = action.unite if pd.notna(action.unite) else ""
    return tables.texte(
        f"{action.indicateur} : référence {_valeur(action.valeur_reference, unite, action.annee_reference)}"
        f" → {_valeur(action.valeur_actuelle, unite, action.annee_actuelle)}, "
        f"cible {_valeur(action.cible, unite, action.annee_cible)}")


def progression(action) -> float | None:
    """The share of the way from baseline to target covered (0 to 1), or None when a value
    is missing or the target equals the baseline."""
    start, now, target = action.valeur_reference, action.valeur_actuelle, action.cible
    if any(pd.isna(v) for v in (start, now, target)) or target == start:
        return None
    return min(1.0, max(0.0, (now - start) / (target - start)))
