"""Figures (matplotlib, Agg backend): ERBB2 lollipop, spectrum bars, oncoprint-style matrix,
Kaplan-Meier curves. Each figure states its n in the title. Returns {name: (png_bytes, svg_bytes)}."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")   # before pyplot: figures are files; no display, no GUI toolkit (server, batch)
import matplotlib.pyplot as plt
import numpy as np

from ..knowledge import load_knowledge
from ..vocabulary import is_activating

CLASS_COLOURS = {
    "exon20_insertion_yvma": "#b2182b", "exon20_insertion_other": "#ef8a62",
    "kinase_domain_missense": "#2166ac", "kinase_domain_inframe_deletion": "#67a9cf",
    "extracellular_missense": "#1b7837", "transmembrane_juxtamembrane_missense": "#7fbf7b",
    "truncating": "#444444", "synonymous": "#bbbbbb", "splice": "#984ea3", "other": "#999999",
    "not_called": "#000000"}
DOMAIN_COLOURS = ("#fde0dd", "#c6dbef", "#fee391", "#d9f0d3", "#fcbba1", "#e7e1ef")


def _plt():
    """pyplot with the report's style (set again for each figure: another caller may change it)."""
    plt.rcParams.update({"svg.hashsalt": "her2scope", "font.size": 9})
    return plt


def _save(fig) -> tuple[bytes, bytes]:
    out = []
    for fmt in ("png", "svg"):
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, dpi=130, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None)
        out.append(buf.getvalue())
    _plt().close(fig)
    return out[0], out[1]


def lollipop(rows: list[dict], profiled: int) -> tuple[bytes, bytes]:
    """ERBB2 protein (NP_004439.2, 1,255 aa) with the knowledge base's domains and one stick per
    protein change (engine naming); height = samples."""
    plt = _plt()
    domains = load_knowledge().domains
    fig, ax = plt.subplots(figsize=(10, 3.4))
    for i, d in enumerate(domains):
        ax.add_patch(plt.Rectangle((d.start, -0.6), d.end - d.start + 1, 0.6,
                                   color=DOMAIN_COLOURS[i % len(DOMAIN_COLOURS)], ec="#555555", lw=0.5))
        ax.text((d.start + d.end) / 2, -0.3, d.label if d.end - d.start > 120 else d.id[:4], ha="center",
                va="center", fontsize=6.5)
    placed = [r for r in rows if r["aa_pos"] and r["aa_pos"] > 0]
    top = max([r["samples"] for r in placed] + [1])
    for r in placed:
        c = CLASS_COLOURS.get(r["alteration_class"], "#999999")
        ax.plot([r["aa_pos"], r["aa_pos"]], [0, r["samples"]], color="#777777", lw=0.8, zorder=1)
        active = is_activating(r["oncogenicity"])
        ax.scatter([r["aa_pos"]], [r["samples"]], s=40, color=c if active else "white", edgecolors=c, zorder=2)
        ax.text(r["aa_pos"], r["samples"] + 0.15 * top, r["protein_change"].replace("p.", ""), rotation=60,
                fontsize=6.5, ha="left", va="bottom")
    n_mut = sum(r["samples"] for r in rows)
    unplaced = sum(r["samples"] for r in rows) - sum(r["samples"] for r in placed)
    ax.set_xlim(0, 1256)
    ax.set_ylim(-0.8, top * 1.9 + 0.5)
    ax.set_xlabel("ERBB2 residue (NP_004439.2)")
    ax.set_ylabel("samples")
    ax.set_title(f"ERBB2 mutations in the cohort: {n_mut} sample-variant(s) in {profiled} profiled samples"
                 + (f" ({unplaced} without a residue, e.g. splice)" if unplaced else "")
                 + "; filled = activating", fontsize=9)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig)


def spectrum_bars(spectrum: list[dict]) -> tuple[bytes, bytes]:
    plt = _plt()
    by_class: dict[str, list[int]] = {}
    for r in spectrum:
        act = is_activating(r["oncogenicity"])
        v = by_class.setdefault(r["alteration_class"], [0, 0])
        v[0 if act else 1] += int(r["samples"])
    names = sorted(by_class, key=lambda k: -sum(by_class[k]))
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(names) + 1.2))
    y = range(len(names))
    ax.barh(list(y), [by_class[n][0] for n in names], color="#b2182b", label="activating")
    ax.barh(list(y), [by_class[n][1] for n in names], left=[by_class[n][0] for n in names], color="#bbbbbb",
            label="not activating (VUS / benign)")
    ax.set_yticks(list(y), names)
    ax.invert_yaxis()
    ax.set_xlabel("samples (profiled for ERBB2)")
    total = sum(sum(v) for v in by_class.values())
    ax.set_title(f"ERBB2 mutation spectrum by engine alteration class (n = {total} sample-variants)")
    ax.legend(frameon=False, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig)


def oncoprint(rows: list[dict], keys: list[tuple[str, str]], profiled: int) -> tuple[bytes, bytes]:
    """Altered samples (columns) x genes (rows); grey = not altered, white hatched = not assessed."""
    plt = _plt()
    n = len(rows)
    fig, ax = plt.subplots(figsize=(min(14, 2 + n * 0.02 + 4), 0.32 * len(keys) + 1.3))
    mat = np.array([[r[k] for r in rows] for k, _ in keys], dtype=float) if n else np.zeros((len(keys), 1))
    colours = np.zeros(mat.shape + (3,))
    colours[mat == 1] = (0.70, 0.09, 0.17)
    colours[mat == 0] = (0.88, 0.88, 0.88)
    colours[mat == -1] = (1.0, 1.0, 1.0)
    ax.imshow(colours, aspect="auto", interpolation="nearest")
    altered = [int((mat[i] == 1).sum()) for i in range(len(keys))]
    ax.set_yticks(range(len(keys)), [f"{label} ({a})" for (_, label), a in zip(keys, altered)])
    ax.set_xticks([])
    ax.set_xlabel(f"{n} samples with at least one alteration shown, of {profiled} profiled; "
                  "white = not assessed")
    ax.set_title("Driver and co-mutation matrix (oncoprint-style)")
    return _save(fig)


def km_plot(curves: list[dict], logrank_p: float | None,
            endpoint: str = "overall survival") -> tuple[bytes, bytes]:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for c in curves:
        med = f"{c['median']:.1f}" if c["median"] is not None else "NR"
        ax.step([0.0, *c["times"]], [1.0, *c["survival"]], where="post",
                label=f"{c['group']} (n={c['n']}, events={c['events']}, median {med} mo)")
    ax.set_xlabel("months")
    ax.set_ylabel(endpoint)
    ax.set_ylim(0, 1.02)
    n = sum(c["n"] for c in curves)
    p = f"; log-rank p = {logrank_p:.3g}" if logrank_p is not None else ""
    ax.set_title(f"{endpoint.capitalize()} by driver group (n = {n} patients with follow-up{p})")
    ax.legend(frameon=False, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig)
