"""Generates the OLS fixture and statsmodels' answers for tests/stats.rs.

    python3 tests/data/ols_fixture.py     # needs numpy, pandas, statsmodels

Writes ols_fixture.csv (a small survey-like data set with missing answers, empty cells) and
ols_expected.json (statsmodels OLS on the complete cases: standardised betas, their standard
errors, t, p, R2, adjusted R2, n, and the adjusted-R2 increments as blocks enter in order).
"""
import json
import pathlib

import numpy as np
import pandas as pd
import statsmodels.api as sm

here = pathlib.Path(__file__).parent
rng = np.random.default_rng(20201101)
n = 90
df = pd.DataFrame({
    "x1": rng.normal(3.5, 1.0, n).round(2),            # a climate index
    "x2": rng.integers(1, 6, n).astype(float),         # a Likert item
    "x3": rng.integers(0, 2, n).astype(float),         # a dummy
    "x4": rng.normal(55, 6, n).round(1),               # age
    "x5": rng.lognormal(8.7, 1.2, n).round(0),         # population
})
df["x5"] = np.log(df["x5"])
df["y"] = (2.0 + 0.4 * df.x1 + 0.1 * df.x2 - 0.3 * df.x3 - 0.01 * df.x4 + 0.05 * df.x5
           + rng.normal(0, 0.6, n)).round(3)
for col, share in [("x1", 0.05), ("x2", 0.08), ("x4", 0.04), ("y", 0.05)]:
    df.loc[rng.random(n) < share, col] = np.nan
df.to_csv(here / "ols_fixture.csv", index=False, na_rep="", float_format="%.10g")
df = pd.read_csv(here / "ols_fixture.csv")   # fit exactly what the file holds

predictors = ["x1", "x2", "x3", "x4", "x5"]
cc = df.dropna()
fit = sm.OLS(cc["y"], sm.add_constant(cc[predictors])).fit()
scale = cc[predictors].std(ddof=1) / cc["y"].std(ddof=1)
blocks = [["x1"], ["x2", "x3"], ["x4", "x5"]]
increments, last = [], 0.0
for i in range(len(blocks)):
    cols = [c for b in blocks[: i + 1] for c in b]
    adj = sm.OLS(cc["y"], sm.add_constant(cc[cols])).fit().rsquared_adj
    increments.append(adj - last)
    last = adj
expected = {
    "n": int(fit.nobs),
    "r2": fit.rsquared,
    "r2_adjusted": fit.rsquared_adj,
    "intercept": fit.params["const"],
    "coefficients": [
        {"name": c, "b": fit.params[c], "beta": fit.params[c] * scale[c], "se": fit.bse[c] * scale[c],
         "t": fit.tvalues[c], "p": fit.pvalues[c]}
        for c in predictors
    ],
    "blocks": blocks,
    "block_increments": increments,
}
(here / "ols_expected.json").write_text(json.dumps(expected, indent=2) + "\n")
