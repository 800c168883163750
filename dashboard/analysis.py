"""Statistics over the processed tables, as pure DataFrame -> DataFrame functions shared by the build and the app."""
from __future__ import annotations

import numpy as np
import pandas as pd


def distinctive_terms(counts: pd.DataFrame, group: str, target, prior_scale: float = 0.1) -> pd.DataFrame:
    """Terms most distinctive of `target` against all other groups: weighted log-odds ratio with an informative
    Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 22), z-scored by its variance.

    `counts` has columns `group`, `term`, `count`. The prior is the whole corpus's term distribution scaled to
    `prior_scale` × corpus size, so rare terms are shrunk towards their overall rate instead of topping the list.

    >>> df = pd.DataFrame({"conf": ["a", "a", "b", "b"], "term": ["biển", "hội nhập", "hội nhập", "kinh tế"],
    ...                    "count": [30, 10, 10, 30]})
    >>> distinctive_terms(df, "conf", "a")["term"].tolist()[0]
    'biển'
    """
    columns = ["term", "count", "count_rest", "zeta"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    totals = counts.groupby("term")["count"].sum()
    inside = counts[counts[group] == target].groupby("term")["count"].sum().reindex(totals.index, fill_value=0)
    rest = totals - inside
    n_in, n_rest, n_all = inside.sum(), rest.sum(), totals.sum()
    if n_in == 0:
        return pd.DataFrame(columns=columns)
    alpha0 = max(prior_scale * n_all, 1.0)
    alpha = alpha0 * totals / n_all
    log_in = np.log((inside + alpha) / (n_in + alpha0 - inside - alpha))
    log_rest = np.log((rest + alpha) / (n_rest + alpha0 - rest - alpha))
    delta = log_in - log_rest
    zeta = delta / np.sqrt(1.0 / (inside + alpha) + 1.0 / (rest + alpha))
    out = pd.DataFrame({"term": totals.index, "count": inside.values, "count_rest": rest.values, "zeta": zeta.values})
    return out[out["count"] > 0].sort_values(["zeta", "term"], ascending=[False, True]).reset_index(drop=True)


def term_rates(counts: pd.DataFrame, group: str, per: int = 10_000) -> pd.DataFrame:
    """Occurrences of each term per `per` keyword tokens of its group, so heavily covered groups do not dominate.

    >>> df = pd.DataFrame({"g": ["a", "a", "b"], "term": ["biển", "đảo", "biển"], "count": [1, 3, 5]})
    >>> term_rates(df, "g", per=100).set_index(["g", "term"])["rate"].to_dict()
    {('a', 'biển'): 25.0, ('a', 'đảo'): 75.0, ('b', 'biển'): 100.0}
    """
    if counts.empty:
        return pd.DataFrame(columns=[group, "term", "count", "rate"])
    grouped = counts.groupby([group, "term"], as_index=False)["count"].sum()
    sizes = grouped.groupby(group)["count"].transform("sum")
    grouped["rate"] = grouped["count"] / sizes * per
    return grouped
