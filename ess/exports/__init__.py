"""Exports for the Assises and for reuse: the PowerPoint deck (`deck`), table downloads
(`tables`) and the open data in the SCDL « subventions » schema (`scdl`)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date


def file_stem(what: str, day: date | None = None) -> str:
    """A French file name, without extension, that says what and when.

    `file_stem("Projets par année")` → `projets-par-annee_2026-11-29` (today's date).
    """
    ascii_text = unicodedata.normalize("NFKD", what).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "export"
    return f"{slug}_{(day or date.today()).isoformat()}"
