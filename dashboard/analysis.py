"""Statistics over the processed tables, as pure DataFrame -> DataFrame functions shared by the build and the app."""
from __future__ import annotations

import numpy as np
import pandas as pd


def distinctive_terms(counts: pd.DataFrame, group: str, target, prior_scale: float = 0.1) -> pd.DataFrame:
    """Terms most distinctive of `target` against all other groups (see `distinctive_terms_all`), best first.

    >>> df = pd.DataFrame({"conf": ["a", "a", "b", "b"], "term": ["biển", "hội nhập", "hội nhập", "kinh tế"],
    ...                    "count": [30, 10, 10, 30]})
    >>> distinctive_terms(df, "conf", "a")["term"].tolist()[0]
    'biển'
    """
    every = distinctive_terms_all(counts, group, prior_scale)
    out = every[every[group] == target].drop(columns=[group])
    return out.sort_values(["zeta", "term"], ascending=[False, True]).reset_index(drop=True)


def distinctive_terms_all(counts: pd.DataFrame, group: str, prior_scale: float = 0.1) -> pd.DataFrame:
    """For every group and each of its terms: the weighted log-odds ratio of the term in the group against all other
    groups, with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words", eq. 22), z-scored
    by its variance. Columns `group`, term, count, count_rest, zeta.

    `counts` has columns `group`, `term`, `count`. The prior is the whole corpus's term distribution scaled to
    `prior_scale` × corpus size, so rare terms are shrunk towards their overall rate instead of topping the list.
    All groups are scored in one vectorised pass (the build scores every conference).
    """
    columns = [group, "term", "count", "count_rest", "zeta"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    inside = counts.groupby([group, "term"], as_index=False)["count"].sum()
    inside = inside[inside["count"] > 0]
    totals = counts.groupby("term")["count"].sum()
    total = inside["term"].map(totals).to_numpy(dtype=float)
    n_all = float(totals.sum())
    n_in = inside.groupby(group)["count"].transform("sum").to_numpy(dtype=float)
    count = inside["count"].to_numpy(dtype=float)
    rest = total - count
    n_rest = n_all - n_in
    alpha0 = max(prior_scale * n_all, 1.0)
    alpha = alpha0 * total / n_all
    log_in = np.log((count + alpha) / (n_in + alpha0 - count - alpha))
    log_rest = np.log((rest + alpha) / (n_rest + alpha0 - rest - alpha))
    zeta = (log_in - log_rest) / np.sqrt(1.0 / (count + alpha) + 1.0 / (rest + alpha))
    return pd.DataFrame({group: inside[group].to_numpy(), "term": inside["term"].to_numpy(),
                         "count": inside["count"].to_numpy(), "count_rest": rest.astype(int), "zeta": zeta})


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
