"""The arithmetic: lung cases x NSCLC share x HER2 prevalence [x advanced share].

``compute_burden`` returns one JSON-ready dict (the ``her2scope burden`` output contract):
``world``, ``regions``, ``countries``, ``assumptions``, ``derivation``, ``monte_carlo``, ``source``.
Point estimates are the product of the parameters' point values; ranges are Monte Carlo
central intervals (``montecarlo``); the derivation also shows the deterministic low/high bounds.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from .assumptions import Assumptions, BurdenOptionError
from .incidence import SOURCE_LABEL, CountryIncidence, Incidence
from .montecarlo import factor_quantiles

# The seed's arithmetic (her2-facts 1.4): NSCLC 0.80-0.85 of lung cancer, HER2 3 % (2-4 %).
SEED_NSCLC = (0.80, 0.85)
SEED_PREVALENCE = (0.02, 0.03, 0.04)


def _r(x: float) -> float:
    return round(float(x), 1)


def _pct(x: float) -> str:
    return f"{x * 100:.3g}%"


def select_countries(inc: Incidence, codes: Iterable[str] | None) -> list[CountryIncidence]:
    """Countries named by ISO alpha-3 (case-insensitive; comma-separated lists allowed)."""
    table = inc.by_iso3()
    if not codes:
        return list(inc.countries)
    wanted: list[str] = []
    for item in codes:
        wanted += [c.strip().upper() for c in str(item).split(",") if c.strip()]
    unknown = [c for c in wanted if c not in table]
    if unknown:
        raise BurdenOptionError("--country", f"unknown ISO3 code(s) {', '.join(repr(c) for c in unknown)}: "
                                             f"not among the {len(table)} GLOBOCAN 2022 countries "
                                             "(ISO 3166-1 alpha-3, e.g. USA, CHN, DEU)")
    if not wanted:
        raise BurdenOptionError("--country", "no ISO3 code given")
    return [table[c] for c in dict.fromkeys(wanted)]


class _Figures:
    """Point factors and Monte Carlo quantiles, applied to any lung-case count."""

    def __init__(self, a: Assumptions) -> None:
        self.a = a
        self.f_nsclc = a.nsclc_share.point
        self.f_her2 = self.f_nsclc * a.her2_prevalence.point
        self.f_adv = self.f_her2 * a.advanced_share.point if a.advanced_share else None
        self.q = factor_quantiles(a)

    def of(self, lung: int) -> dict[str, Any]:
        q = self.q
        d: dict[str, Any] = {
            "lung_cases": int(lung),
            "nsclc_cases": _r(lung * self.f_nsclc),
            "nsclc_range": [_r(lung * q.nsclc[0]), _r(lung * q.nsclc[2])],
            "her2_mutant_cases": _r(lung * self.f_her2),
            "her2_mutant_range": [_r(lung * q.her2[0]), _r(lung * q.her2[2])],
        }
        if self.f_adv is not None and q.advanced is not None:
            d["her2_mutant_advanced_cases"] = _r(lung * self.f_adv)
            d["her2_mutant_advanced_range"] = [_r(lung * q.advanced[0]), _r(lung * q.advanced[2])]
        return d


def compute_burden(inc: Incidence, a: Assumptions, countries: Iterable[str] | None = None) -> dict[str, Any]:
    selected = select_countries(inc, countries)
    fig = _Figures(a)
    total = inc.lung_total

    world = fig.of(total)
    world.update({
        "countries": len(inc.countries),
        "published_lung_cases": inc.published_world_total,
        "monte_carlo_her2_mutant": {"median": _r(total * fig.q.her2[1]), "mean": _r(total * fig.q.her2[3])},
    })

    regions: list[dict[str, Any]] = []
    by_region: dict[str, list[CountryIncidence]] = defaultdict(list)
    by_sub: dict[tuple[str, str], list[CountryIncidence]] = defaultdict(list)
    for c in inc.countries:
        by_region[c.region].append(c)
        by_sub[(c.region, c.subregion)].append(c)
    for name in sorted(by_region):
        members = by_region[name]
        regions.append({"level": "region", "name": name, "parent": None, "countries": len(members),
                        **fig.of(sum(c.lung_cases for c in members))})
    for (parent, name) in sorted(by_sub):
        members = by_sub[(parent, name)]
        regions.append({"level": "subregion", "name": name, "parent": parent, "countries": len(members),
                        **fig.of(sum(c.lung_cases for c in members))})

    rows = [{"iso3": c.iso3, "name": c.name, "m49_code": c.m49_code, "region": c.region,
             "subregion": c.subregion, **fig.of(c.lung_cases)}
            for c in sorted(selected, key=lambda c: (-c.lung_cases, c.iso3))]

    result: dict[str, Any] = {
        "world": world,
        "regions": regions,
        "countries": rows,
        "assumptions": assumptions_block(a),
        "derivation": derivation(inc, a, fig),
        "monte_carlo": monte_carlo_block(a),
        "source": source_block(inc),
    }
    if countries:
        result["selection"] = {"iso3": [c.iso3 for c in selected],
                               **fig.of(sum(c.lung_cases for c in selected))}
    return result


def assumptions_block(a: Assumptions) -> dict[str, Any]:
    used = {k for p in a.parameters() for k in p.citations} | {"GLOBOCAN2022", "GCOWorld2022", "UNM49"}
    if a.advanced_share is None:
        used |= {k for rp in a.advanced_reference_points for k in rp.get("citations", ())}
    params: dict[str, Any] = {p.name: p.as_dict() for p in (a.nsclc_share, a.her2_prevalence)}
    if a.advanced_share is not None:
        params["advanced_share"] = a.advanced_share.as_dict()
    else:
        params["advanced_share"] = {
            "applied": False,
            "note": ("Not applied by default: no global registry-based share of advanced-stage NSCLC was "
                     "verified. Supply --advanced-share (a point, or low,high) to apply one."),
            "reference_points": [dict(rp) for rp in a.advanced_reference_points],
        }
    return {"version": a.version, "file": a.path, "checked": a.checked, "parameters": params,
            "citations": {k: v for k, v in a.citations.items() if k in used}}


def monte_carlo_block(a: Assumptions) -> dict[str, Any]:
    dists = {p.name: _describe(p) for p in a.parameters()}
    return {"draws": a.draws, "seed": a.seed, "generator": "numpy.random.default_rng (PCG64)",
            "interval": a.interval,
            "interval_definition": f"central {a.interval:.0%} of the draws "
                                   f"({(1 - a.interval) / 2:.1%} and {1 - (1 - a.interval) / 2:.1%} quantiles)",
            "distributions": dists,
            "method": ("one draw of each parameter per iteration, shared by all countries; lung cancer "
                       "incidence taken as fixed; draw order: NSCLC share, HER2 prevalence, advanced share")}


def source_block(inc: Incidence) -> dict[str, Any]:
    return {"incidence": SOURCE_LABEL, "countries": len(inc.countries), "file_total": inc.file_total,
            "published_world_total": inc.published_world_total,
            "difference": inc.published_world_total - inc.file_total,
            "regions": "UN M49 geographic regions (UN Statistics Division); subregion = M49 intermediate "
                       "region where defined, else M49 sub-region",
            "attribution": "Data: IARC Global Cancer Observatory, GLOBOCAN 2022 (gco.iarc.who.int), "
                           "non-commercial use with citation: Bray F et al. CA Cancer J Clin 2024;74:229-263."}


def _describe(p) -> str:
    if p.distribution == "fixed":
        return f"fixed {p.point:g}"
    if p.distribution == "uniform":
        return f"uniform({p.low:g}, {p.high:g})"
    return f"triangular(min {p.low:g}, mode {p.point:g}, max {p.high:g})"


def derivation(inc: Incidence, a: Assumptions, fig: _Figures) -> list[dict[str, Any]]:
    total = inc.lung_total
    ns, pv, adv = a.nsclc_share, a.her2_prevalence, a.advanced_share
    nsclc = total * ns.point
    her2 = nsclc * pv.point
    steps: list[dict[str, Any]] = [
        {"step": 1, "name": "lung cancer new cases, 2022",
         "formula": f"sum of {len(inc.countries)} countries' lung cancer (C33-34) incidence, both sexes",
         "value": total, "range": None, "citations": ["GLOBOCAN2022", "GCOWorld2022"],
         "note": (f"the export's own Total row is {inc.file_total:,}; GCO publishes {inc.published_world_total:,} "
                  f"for the world ({inc.published_world_total - total:,} more, "
                  f"{(inc.published_world_total - total) / inc.published_world_total:.2%})")},
        {"step": 2, "name": "NSCLC new cases",
         "formula": f"{total:,} x NSCLC share {ns.point:g} (low {ns.low:g}, high {ns.high:g})",
         "value": _r(nsclc), "range": [_r(total * ns.low), _r(total * ns.high)],
         "citations": list(ns.citations), "note": "range: the parameter's low and high values"},
        {"step": 3, "name": "HER2-mutant NSCLC new cases (all stages)",
         "formula": f"{nsclc:,.0f} x HER2 prevalence {pv.point:g} (low {pv.low:g}, high {pv.high:g})",
         "value": _r(her2), "range": [_r(total * ns.low * pv.low), _r(total * ns.high * pv.high)],
         "citations": list(pv.citations),
         "note": "range: all lows multiplied, all highs multiplied (the widest possible bounds)"},
    ]
    if adv is not None:
        steps.append({
            "step": 4, "name": "advanced-stage HER2-mutant NSCLC new cases",
            "formula": f"{her2:,.0f} x advanced share {adv.point:g} (low {adv.low:g}, high {adv.high:g})",
            "value": _r(her2 * adv.point),
            "range": [_r(total * ns.low * pv.low * adv.low), _r(total * ns.high * pv.high * adv.high)],
            "citations": list(adv.citations), "note": f"advanced share from {adv.source}"})
    else:
        steps.append({
            "step": 4, "name": "advanced stage: not applied",
            "formula": "(no stage share)", "value": None, "range": None, "citations": [],
            "note": "the figures count all stages; supply --advanced-share to restrict to advanced disease"})
    q = fig.q.advanced if adv is not None else fig.q.her2
    assert q is not None   # the advanced quantiles exist whenever an advanced share is applied
    steps.append({
        "step": 5, "name": "Monte Carlo uncertainty interval",
        "formula": (f"{a.draws:,} draws (seed {a.seed}) of "
                    + ", ".join(f"{p.name} ~ {_describe(p)}" for p in a.parameters())
                    + f"; central {a.interval:.0%} of {total:,} x product"),
        "value": _r(total * q[1]), "range": [_r(total * q[0]), _r(total * q[2])], "citations": [],
        "note": "value: median of the draws; the point estimate is the product of the point values"})
    lo, hi = SEED_NSCLC
    p_lo, p_mid, p_hi = SEED_PREVALENCE
    steps.append({
        "step": 6, "name": "the seed's '~60,000 of ~2 million', reproduced",
        "formula": f"{total:,} x NSCLC share {lo:g}-{hi:g} x HER2 prevalence {_pct(p_mid)}",
        "value": None, "range": [_r(total * lo * p_mid), _r(total * hi * p_mid)],
        "citations": ["GLOBOCAN2022", "Molina2008", "Pillai2017"],
        "note": (f"{total:,} lung cancers x {lo:g}-{hi:g} = {total * lo:,.0f}-{total * hi:,.0f} NSCLC "
                 f"('~2 million'); x {_pct(p_mid)} = {total * lo * p_mid:,.0f}-{total * hi * p_mid:,.0f} "
                 f"('~60,000'); with {_pct(p_lo)}-{_pct(p_hi)} instead: "
                 f"{total * lo * p_lo:,.0f}-{total * hi * p_hi:,.0f} (2.1 M x 4 % = ~84,000 is the upper "
                 "figure some sponsors quote). An arithmetic estimate, not a registry count, and it counts "
                 "all stages.")})
    return steps
