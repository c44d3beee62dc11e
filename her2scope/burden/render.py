"""Render a burden result: one JSON object, or a table for a terminal."""

from __future__ import annotations

import json
from typing import IO, Any


def write_json(result: dict[str, Any], fh: IO[str]) -> None:
    json.dump(result, fh, ensure_ascii=False, indent=2)
    fh.write("\n")


def _n(x: float | int | None) -> str:
    return "-" if x is None else f"{x:,.0f}"


def _rng(r: list[float] | None) -> str:
    return "-" if not r else f"{r[0]:,.0f}-{r[1]:,.0f}"


def _rows(items: list[dict[str, Any]], label: str, key) -> list[list[str]]:
    adv = any("her2_mutant_advanced_cases" in d for d in items)
    head = [label, "lung", "NSCLC", "HER2-mutant", "95% interval"] + (["advanced", "95% interval"] if adv else [])
    out = [head]
    for d in items:
        row = [key(d), _n(d["lung_cases"]), _n(d["nsclc_cases"]), _n(d["her2_mutant_cases"]),
               _rng(d["her2_mutant_range"])]
        if adv:
            row += [_n(d.get("her2_mutant_advanced_cases")), _rng(d.get("her2_mutant_advanced_range"))]
        out.append(row)
    return out


def _table(rows: list[list[str]], fh: IO[str]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, r in enumerate(rows):
        fh.write("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip()
                 + "\n")
        if n == 0:
            fh.write("  ".join("-" * w for w in widths) + "\n")


def write_table(result: dict[str, Any], fh: IO[str]) -> None:
    a, mc = result["assumptions"], result["monte_carlo"]
    fh.write("HER2 (ERBB2)-mutant NSCLC: estimated new cases per year\n")
    fh.write(f"Incidence: {result['source']['incidence']}\n")
    fh.write(f"Assumptions: v{a['version']} ({a['file']}, checked {a['checked']}); "
             f"{mc['draws']:,} Monte Carlo draws, seed {mc['seed']}; intervals: {mc['interval_definition']}\n\n")
    fh.write("Derivation\n")
    for s in result["derivation"]:
        value = "" if s["value"] is None else f" = {_n(s['value'])}"
        rng = f" (range {_rng(s['range'])})" if s.get("range") else ""
        cites = f" [{', '.join(s['citations'])}]" if s.get("citations") else ""
        fh.write(f"  {s['step']}. {s['name']}: {s['formula']}{value}{rng}{cites}\n")
        if s.get("note"):
            fh.write(f"     {s['note']}\n")
    fh.write("\nWorld\n")
    _table(_rows([result["world"]], "", lambda d: "World"), fh)
    if "selection" in result:
        fh.write("\nSelection\n")
        _table(_rows([result["selection"]], "", lambda d: ",".join(d["iso3"])), fh)
    fh.write("\nRegions (UN M49)\n")
    regions = result["regions"]
    ordered = []
    for r in (x for x in regions if x["level"] == "region"):
        ordered.append(r)
        ordered += [s for s in regions if s["level"] == "subregion" and s["parent"] == r["name"]]
    _table(_rows(ordered, "region", lambda d: d["name"] if d["level"] == "region" else "  " + d["name"]), fh)
    fh.write(f"\nCountries ({len(result['countries'])}, by lung cancer cases)\n")
    _table(_rows(result["countries"], "country", lambda d: f"{d['iso3']}  {d['name']}"), fh)
    fh.write(f"\n{result['source']['attribution']}\n")
