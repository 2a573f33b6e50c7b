"""Job indicators derived from sums: the realisation ratio and the jobs per 10 000 € granted.

They are ratios of sums, never averages of per-project ratios, so a breakdown's figures add up
to the same definition as the headline figure.
"""

from __future__ import annotations

import pandas as pd

from ess import provenance

PER_EUROS = 10_000  # jobs are read « pour 10 000 € accordés »


def with_job_ratios(df: pd.DataFrame, subvention: str = "subvention") -> pd.DataFrame:
    """`df` plus `taux_realisation_pct` (realised / forecast, %) and `etp_pour_10k`.

    Only the projects whose realised jobs are known count: their forecast jobs
    (`emplois_prevus_connus`) and grants (`subvention_connue`), when the query gives them. A
    category without such forecast jobs (or grant) gets no ratio (NaN), never a division by
    zero.
    """
    out = df.copy()
    prevus = out.get("emplois_prevus_connus", out["emplois_prevus"]).astype(float)
    granted = out.get("subvention_connue", out[subvention]).astype(float)
    prevus, granted = prevus.where(prevus > 0), granted.where(granted > 0)
    out["taux_realisation_pct"] = 100 * out["emplois_realises"] / prevus
    out["etp_pour_10k"] = out["emplois_realises"] * PER_EUROS / granted
    provenance.with_ratio(out, "taux_realisation_pct", "emplois_realises", "emplois_prevus")
    provenance.with_ratio(out, "etp_pour_10k", "emplois_realises", subvention)
    return out
