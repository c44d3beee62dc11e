"""A chart of the burden: HER2-mutant NSCLC new cases by UN M49 sub-region and for the
countries with the most cases, with Monte Carlo intervals. matplotlib (Agg) is imported with this
module, which ``her2scope burden`` imports only when a chart is asked for. The format follows the
file suffix (.png or .svg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")   # before pyplot: the chart is a file; no display, no GUI toolkit
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from ..render.outputs import open_output

CHART_SUFFIXES = (".png", ".svg")
TOP_COUNTRIES = 15


def render_chart(result: dict[str, Any], path: Path) -> None:
    adv = "her2_mutant_advanced_cases" in result["world"]
    key, rkey = (("her2_mutant_advanced_cases", "her2_mutant_advanced_range") if adv
                 else ("her2_mutant_cases", "her2_mutant_range"))
    subs = sorted((r for r in result["regions"] if r["level"] == "subregion"), key=lambda r: r[key])
    tops = sorted(result["countries"], key=lambda r: r[key], reverse=True)[:TOP_COUNTRIES][::-1]

    fig, axes = plt.subplots(1, 2, figsize=(13, 7.5), constrained_layout=True)
    for ax, rows, label, title in (
            (axes[0], subs, lambda r: r["name"], "UN M49 sub-regions"),
            (axes[1], tops, lambda r: f"{r['name']} ({r['iso3']})",
             f"Countries ({len(tops)} with the most cases)")):
        values = [r[key] for r in rows]
        lows = [r[key] - r[rkey][0] for r in rows]
        highs = [r[rkey][1] - r[key] for r in rows]
        ypos = range(len(rows))
        ax.barh(list(ypos), values, xerr=[lows, highs], color="#3b6ea5", ecolor="#333333", capsize=2)
        ax.set_yticks(list(ypos), [label(r) for r in rows], fontsize=8)
        ax.set_xlabel("new cases per year (point estimate, bars: 95% interval)")
        ax.set_title(title, fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
    w = result["world"]
    a = result["assumptions"]["parameters"]
    what = "advanced-stage HER2-mutant NSCLC" if adv else "HER2-mutant NSCLC (all stages)"
    fig.suptitle(f"{what}: world {w[key]:,.0f} new cases/year "
                 f"(95% interval {w[rkey][0]:,.0f}-{w[rkey][1]:,.0f})\n"
                 f"NSCLC share {a['nsclc_share']['point']:g}, HER2 prevalence {a['her2_prevalence']['point']:g}; "
                 f"{result['monte_carlo']['draws']:,} draws, seed {result['monte_carlo']['seed']}\n"
                 "Lung cancer incidence: GLOBOCAN 2022, IARC Global Cancer Observatory "
                 "(Bray F et al., CA Cancer J Clin 2024). Regions: UN M49.", fontsize=10)
    with open_output(path, binary=True) as fh:   # atomic for files; devices and FIFOs in place
        fig.savefig(fh, format=path.suffix.lstrip(".").lower())
    plt.close(fig)
