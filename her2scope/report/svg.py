"""Inline SVG figures for the report: no plotting library, no external resources.

- ``lollipop``: ERBB2 protein with its domains, cancerhotspots.org v2 background (grey) and
  the patient's variants (red, labelled).
- ``panel``: the three HER2 dimensions side by side (mutation / amplification / expression).
"""

from __future__ import annotations

import math
from html import escape

from ..knowledge.loader import KnowledgeBase
from ..vocabulary import Status, is_activating

_DOMAIN_COLOURS = {"signal_peptide": "#d9d9d9", "extracellular": "#9ecae1",
                   "transmembrane": "#fdae6b", "juxtamembrane": "#fdd0a2", "kinase": "#a1d99b",
                   "c_terminal_tail": "#dadaeb"}
STATUS_COLOURS = {Status.positive: "#b2182b", Status.equivocal: "#e08214", Status.negative: "#4d9221",
                  Status.not_detected: "#8073ac", Status.not_tested: "#9e9e9e", Status.not_assessed: "#9e9e9e",
                  Status.failed: "#525252"}


def _residue(short: str | None) -> int | None:
    if not short or not short.startswith("p."):
        return None
    digits = ""
    for ch in short[3:]:
        if ch.isdigit():
            digits += ch
        elif digits:
            break
    return int(digits) if digits else None


def lollipop(kb: KnowledgeBase, patient: list[tuple[str, str]], length: int = 1255,
             width: int = 760) -> str:
    """``patient``: (protein_change, oncogenicity) pairs."""
    left, right, axis_y, top = 30, 20, 150, 20
    scale = (width - left - right) / length

    def x(res: float) -> float:
        return left + (res - 0.5) * scale

    counts: dict[int, int] = {}
    for h in kb.hotspots:
        r = _residue(h.change)
        if r:
            counts[r] = max(counts.get(r, 0), h.position_count)
    peak = max(counts.values(), default=1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 200" role="img" '
           f'aria-labelledby="lolli-title" class="figure"><title id="lolli-title">ERBB2 protein '
           f'(NP_004439.2, {length} aa): domains, cancerhotspots.org v2 hotspots (grey) and this '
           f'patient\'s variants (red)</title>']
    for res, n in sorted(counts.items()):
        stem = 12 + 70 * math.log1p(n) / math.log1p(peak)
        out.append(f'<line x1="{x(res):.1f}" y1="{axis_y}" x2="{x(res):.1f}" y2="{axis_y - stem:.1f}" '
                   f'stroke="#bdbdbd" stroke-width="1"/><circle cx="{x(res):.1f}" cy="{axis_y - stem:.1f}" '
                   f'r="2.5" fill="#bdbdbd"><title>residue {res}: {n} tumours (cancerhotspots.org v2)</title></circle>')
    for d in kb.domains:
        colour = _DOMAIN_COLOURS.get(d.id, "#eeeeee")
        out.append(f'<rect x="{x(d.start):.1f}" y="{axis_y}" width="{(d.end - d.start + 1) * scale:.1f}" '
                   f'height="16" fill="{colour}" stroke="#636363" stroke-width="0.5">'
                   f'<title>{escape(d.label)} {d.start}-{d.end}</title></rect>')
        if (d.end - d.start) * scale > 60:
            out.append(f'<text x="{x((d.start + d.end) / 2):.1f}" y="{axis_y + 12}" font-size="9" '
                       f'text-anchor="middle">{escape(d.label)}</text>')
    for i, (change, onc) in enumerate(patient):
        r = _residue(change)
        if r is None:
            continue
        y = top + 14 * (i % 3)
        colour = "#b2182b" if is_activating(onc) else "#e08214"
        out.append(f'<line x1="{x(r):.1f}" y1="{axis_y}" x2="{x(r):.1f}" y2="{y + 4}" stroke="{colour}" '
                   f'stroke-width="2"/><circle cx="{x(r):.1f}" cy="{y}" r="5" fill="{colour}"/>'
                   f'<text x="{x(r) + 7:.1f}" y="{y + 4}" font-size="11" fill="{colour}">{escape(change)}</text>')
    for tick in range(0, length - 100, 200):
        out.append(f'<text x="{x(max(tick, 1)):.1f}" y="{axis_y + 30}" font-size="9" text-anchor="middle">{tick or 1}</text>')
    out.append(f'<text x="{x(length):.1f}" y="{axis_y + 30}" font-size="9" text-anchor="end">{length} aa</text>')
    out.append("</svg>")
    return "".join(out)


_SHORT = {"mutation": "Mutation (DNA NGS)", "amplification": "Amplification (CN / ISH)",
          "protein_expression": "Protein (IHC)"}


def panel(dimensions) -> str:
    """Three boxes: mutation (NGS), amplification (NGS CN / ISH), expression (IHC)."""
    width, box = 760, 240
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 90" role="img" '
           'aria-labelledby="panel-title" class="figure"><title id="panel-title">HER2: three separate '
           'alterations and their status</title>']
    for i, d in enumerate(dimensions):
        x0 = 5 + i * (box + 15)
        colour = STATUS_COLOURS.get(d.status, "#9e9e9e")
        out.append(f'<rect x="{x0}" y="5" width="{box}" height="78" rx="6" fill="white" stroke="{colour}" stroke-width="2"/>'
                   f'<rect x="{x0}" y="5" width="{box}" height="24" rx="6" fill="{colour}"/>'
                   f'<text x="{x0 + 10}" y="22" font-size="12" fill="white" font-weight="bold">{escape(_SHORT.get(d.name, d.label))}</text>'
                   f'<text x="{x0 + 10}" y="52" font-size="16" font-weight="bold" fill="{colour}">'
                   f'{escape(d.status.replace("_", " ").upper())}</text>'
                   f'<text x="{x0 + 10}" y="72" font-size="10">{escape(d.assay[:44] or "no assay")}</text>')
    out.append("</svg>")
    return "".join(out)
