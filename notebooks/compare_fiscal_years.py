# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 年度比較の読み方 — one project and one bureau across fiscal years
#
# This notebook reads the analyst tables that the export stage writes to `exports/`
# (`make repro`) and walks through a cross-year comparison: how projects were matched,
# what changed for one project, and how one bureau's figures moved.
#
# It is a [jupytext](https://jupytext.readthedocs.io) percent-format script: open it as a
# notebook in Jupyter with jupytext installed, or run it as it is
# (`python notebooks/compare_fiscal_years.py`). The tests run it on the real FY2023 table
# and the synthetic FY2024 table, so it keeps working.
#
# Set `JIMUJIGYO_EXPORTS` to read another exports folder; `JIMUJIGYO_MUNICIPALITY`,
# `JIMUJIGYO_PROJECT` and `JIMUJIGYO_BUREAU` pick the municipality (default: the one with the
# most compared figures), project (事業番号) and bureau (部局) to look at.

# %%
import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.font_manager import FontProperties, fontManager

from pipeline.outputs.report import font_path

try:  # Jupyter shows tables richly; run as a script they are printed
    display  # noqa: B018
except NameError:
    def display(obj: object) -> None:
        print(obj.to_string() if isinstance(obj, pd.DataFrame) else obj)

pd.set_option("display.width", 200)
pd.set_option("display.max_colwidth", 40)
EXPORTS = Path(os.environ.get("JIMUJIGYO_EXPORTS", Path.cwd().parent / "exports"))
fontManager.addfont(str(font_path()))  # IPAexGothic, so Japanese labels render anywhere
plt.rcParams["font.family"] = FontProperties(fname=font_path()).get_name()

# %%
tables = {name: pd.read_parquet(EXPORTS / f"{name}.parquet")
          for name in ("metrics", "projects", "comparison", "comparison_wide", "matches")}
# One municipality at a time: 事業番号 repeat across municipalities.
counts = tables["comparison"]["municipality"].value_counts()
municipality = os.environ.get("JIMUJIGYO_MUNICIPALITY") or (counts.index[0] if len(counts) else "")
metrics, projects, comparison, wide, matches = (df[df["municipality"] == municipality] for df in tables.values())
print(f"municipality: {municipality}")
years = sorted(int(y) for y in projects["fiscal_year"].unique())
print(f"fiscal years: {years}; {len(metrics)} metrics; {len(comparison)} compared metric pairs")
if comparison.empty:
    raise RuntimeError(f"{EXPORTS} has one fiscal year only: add a second year to params.yaml `datasets` "
                       "and run `make repro`")

# %% [markdown]
# ## 1. How were projects matched?
# Same 事業番号 first, then a declared former name 「（旧：…）」, then a similar name within
# the same bureau. `unmatched` rows are projects that are new (no `project_id_from`) or ended
# (no `project_id_to`).

# %%
project_matches = matches[matches["level"] == "project"]
display(project_matches.groupby(["fiscal_year_from", "fiscal_year_to", "match_method"]).size()
        .rename("projects").reset_index())
display(project_matches[project_matches["match_method"] != "project_id"][
    ["project_id_from", "project_name_from", "project_id_to", "project_name_to", "match_method",
     "match_confidence"]])

# %% [markdown]
# ## 2. One project across years
# By default the project with the most compared figures.

# %%
project_id = os.environ.get("JIMUJIGYO_PROJECT") or comparison["project_id"].value_counts().index[0]
rows = comparison[comparison["project_id"] == project_id]
print(f"事業番号 {project_id}: {rows['project_name'].iloc[-1]}")
display(rows[["concept", "fiscal_year_from", "fiscal_year_to", "value_from", "value_to", "unit",
              "change_abs", "change_pct", "stated_change", "disagreement", "match_method"]])

# %% [markdown]
# The same figures as one row per metric and one column per fiscal year:

# %%
display(wide[wide["project_id"] == project_id].drop(columns=["project_id", "project_name"]))

# %% [markdown]
# And the sentences they come from, newest year first:

# %%
sentences = metrics[(metrics["project_id"] == project_id) & (metrics["kind"] != "delta")]
display(sentences.sort_values(["fiscal_year", "field", "start"], ascending=[False, True, True])[
    ["fiscal_year", "concept", "surface", "sentence"]].drop_duplicates("sentence"))

# %% [markdown]
# ## 3. One bureau across years
# The comparison names the current year's project; its bureau and division come from the
# projects table.

# %%
located = comparison.merge(projects[["fiscal_year", "project_id", "bureau", "division"]],
                           left_on=["fiscal_year_to", "project_id"], right_on=["fiscal_year", "project_id"])
bureau = os.environ.get("JIMUJIGYO_BUREAU") or located["bureau"].value_counts().index[0]
in_bureau = located[located["bureau"] == bureau].copy()
in_bureau["direction"] = pd.cut(in_bureau["change_abs"], [-float("inf"), -1e-9, 1e-9, float("inf")],
                                labels=["減少", "横ばい", "増加"])
summary = (in_bureau.groupby(["division", "direction"], observed=False).size().unstack("direction")
           .assign(中央値_増減率=in_bureau.groupby("division")["change_pct"].median()))
print(f"部局: {bureau}")
display(summary)

# %% [markdown]
# Figures where the text's own 前年比 statement does not fit last year's figure deserve a look
# before they are quoted:

# %%
display(in_bureau[in_bureau["disagreement"].fillna(False).astype(bool)][
    ["project_name", "concept", "value_from", "stated_prior_value", "value_to", "stated_change"]])

# %%
largest = in_bureau.reindex(in_bureau["change_pct"].abs().sort_values(ascending=False).index).head(15)
fig, ax = plt.subplots(figsize=(9, 0.4 * len(largest) + 1.2))
ax.barh(largest["project_name"] + "：" + largest["concept"], largest["change_pct"],
        color=["#2e7d32" if v >= 0 else "#c62828" for v in largest["change_pct"]])
ax.invert_yaxis()
ax.set_xlabel("増減率（%）")
ax.set_title(f"{bureau}：変化の大きい指標")
fig.tight_layout()
plt.show()
