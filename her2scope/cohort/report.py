"""The self-contained HTML cohort report: figures embedded as data URIs, no external URLs,
every figure and table with its n. Also serves as the web app's "about" page for a cohort."""

from __future__ import annotations

import base64
import datetime as _dt
import html
import math
from collections.abc import Set as AbstractSet
from pathlib import Path

from ..render.outputs import make_folder, write_output, writing
from . import ACTIVATING_DEFINITION, AMPLIFICATION_DEFINITION, CNA_PROFILED_DEFINITION, PROFILED_DEFINITION
from . import plots
from .analysis import CohortAnalysis, RawResults
from .drivers import ALL, DRIVERS

CSS = """body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222}h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ddd;padding-top:.6em}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
th{background:#f4f4f4}.n{text-align:right}.note{color:#555;font-size:.85em}.warn{color:#a50f15}
figure{margin:1em 0}figcaption{font-size:.8em;color:#555}img{max-width:100%}"""


def _e(x) -> str:
    return html.escape("" if x is None else str(x))


def _pct(x) -> str:
    return "-" if x is None else f"{100 * x:.2f}%"


def _ci(ci) -> str:
    return "-" if not ci or ci[0] is None else f"{100 * ci[0]:.2f}-{100 * ci[1]:.2f}%"


def _table(headers: list[str], rows: list[list], numeric: AbstractSet[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td class='n'>{_e(v)}</td>" if i in numeric else f"<td>{_e(v)}</td>"
                                    for i, v in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _figure(png: bytes, caption: str) -> str:
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return f"<figure><img alt='{_e(caption)}' src='{uri}'><figcaption>{_e(caption)}</figcaption></figure>"


def _num(x, fmt="{:.3g}") -> str:
    """A number; NaN or infinity (an odds ratio with a zero cell, a ratio of 0/0) is 'not estimable'."""
    if x is None:
        return "-"
    if isinstance(x, float) and not math.isfinite(x):
        return "not estimable"
    return fmt.format(x)


ENDPOINTS = {"OS": "overall survival", "PFS": "progression-free survival"}


def build(res: CohortAnalysis) -> tuple[str, dict[str, tuple[bytes, bytes]]]:
    """The report's HTML and its figures ({name: (png, svg)}), from the numbers only (an analysis
    already closed will do). The report shows statistics: ``res`` must have them."""
    if res.stats is None:
        raise ValueError("the cohort report needs the statistics: analyse(..., with_statistics=True)")
    m, raw, s, st = res.manifest, res.raw, res.summary, res.stats
    n = s["profiled_samples"]
    figs: dict[str, tuple[bytes, bytes]] = {}
    parts = _title_and_definitions(m, s)
    parts += _denominators_section(m, raw, s)
    parts += _prevalence_section(s, st, n)
    parts += _amplification_section(s, st)
    parts += _spectrum_section(raw, n, figs)
    parts += _erbb2_rows_section(raw["erbb2_rows"])
    parts += _comutation_section(raw, st, n, figs)
    parts += _survival_section(m, raw, st, figs)
    parts += _clinical_section(m)
    parts += _brain_section(raw["brain_metastases"])
    parts += _provenance_section(m)
    doc = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>her2scope cohort report — "
           f"{_e(m['study'])}</title><style>{CSS}</style></head><body>{''.join(parts)}</body></html>")
    return doc, figs


def _title_and_definitions(m: dict, s: dict) -> list[str]:
    return [f"<h1>HER2 (ERBB2)-mutant NSCLC: cohort report — {_e(m['meta'].get('name', m['study']))}</h1>",
            f"<p class='note'>Study <b>{_e(m['study'])}</b> ({_e(m['kind'])}); engine <b>{_e(s['engine'])}</b>; "
            f"generated {_e(_dt.date.today().isoformat())} by her2scope. All data processed locally.</p>",
            "<h2>Definitions</h2>",
            f"<p><b>{_e(ACTIVATING_DEFINITION)}</b> ERBB2 calls come from the her2scope interpretation engine "
            "(the same code as patient reports), from coordinates when present, else from the protein change.</p>",
            f"<p>{_e(PROFILED_DEFINITION)}</p>",
            f"<p>{_e(AMPLIFICATION_DEFINITION)} {_e(CNA_PROFILED_DEFINITION)}</p>",
            "<p>Other drivers: coarse hotspot rules (her2scope/knowledge/drivers.py, cited there): "
            + "; ".join(f"<b>{_e(d.label)}</b>: {_e(d.rule)}" for d in ALL) + ".</p>"]


def _denominators_section(m: dict, raw: RawResults, s: dict) -> list[str]:
    """Denominators and data quality: every warning of the import, fusions not assessed said so."""
    c = raw["counts"][0]
    out = ["<h2>Samples and denominators</h2>",
           _table(["samples", "patients", "profiled for ERBB2", "not profiled for ERBB2", "profiled for fusions",
                   "profiled for ERBB2 copy number", "MAF rows"],
                  [[c["samples"], c["patients"], c["profiled_erbb2"], c["not_profiled_erbb2"],
                    c["profiled_fusions"],
                    c["profiled_cna_erbb2"] if s["cna_profiled_samples"] is not None else "not assessed",
                    m["counts"]["mutation_rows"]]], set(range(7)))]
    for w in m.get("warnings", []):
        out.append(f"<p class='warn'>{_e(w)}</p>")
    if not c["profiled_fusions"]:
        out.append("<p class='note'>No structural-variant data: ALK, ROS1, RET and NTRK fusions are "
                   "<b>not assessed</b> (shown as such, never as absent).</p>")
    return out


def _prevalence_section(s: dict, st: dict, n: int) -> list[str]:
    lo, hi = s["ci95"]
    return ["<h2>Prevalence of activating HER2 mutations</h2>",
            f"<p><b>{s['her2_mutant_samples']} / {n}</b> profiled samples = <b>{_pct(s['prevalence'])}</b> "
            f"(Wilson 95% CI {_ci([lo, hi])}). Any ERBB2 mutation (incl. VUS): "
            f"{s['any_erbb2_mutation_samples']} / {n}.</p>",
            _table(["dimension", "level", "activating HER2", "profiled (n)", "prevalence", "95% CI (Wilson)"],
                   [[r["dimension"], r["level"], r["mutant"], r["profiled"], _pct(r["prevalence"]),
                     _ci(r["ci95"])] for r in st["prevalence_by"]], {2, 3})]


def _spectrum_section(raw: RawResults, n: int, figs: dict) -> list[str]:
    figs["spectrum"] = plots.spectrum_bars(raw["spectrum"])
    figs["lollipop"] = plots.lollipop(raw["lollipop"], n)
    return ["<h2>Mutation spectrum</h2>",
            _figure(figs["lollipop"][0], f"ERBB2 lollipop, engine protein changes on NP_004439.2 with the knowledge "
                    f"base's domains; n = {n} profiled samples."),
            _figure(figs["spectrum"][0], "Spectrum by alteration class (n in the title)."),
            _table(["alteration class", "oncogenicity", "domain", "exon", "mutations", "samples"],
                   [[r["alteration_class"], r["oncogenicity"], r["domain"], r["exon"], r["mutations"], r["samples"]]
                    for r in raw["spectrum"]], {4, 5})]


def _erbb2_rows_section(rows: list[dict]) -> list[str]:
    """Every ERBB2 row of the MAF (the first 2,000), profiled or not, with its engine call."""
    out = [f"<h3>Every ERBB2 row in the MAF (n = {len(rows)})</h3>",
           _table(["sample", "histology", "profiled", "position", "MAF protein change", "engine protein change",
                   "HGVS c.", "class", "oncogenicity", "called from", "error"],
                  [[r["sample_id"], r["histology"], "yes" if r["profiled"] else "NO (excluded)",
                    f"{r['chrom']}:{r['start_pos']} {r['ref'] or '-'}>{r['alt'] or '-'}", r["maf_protein_change"],
                    r["protein_change"], r["hgvs_c"], r["alteration_class"], r["oncogenicity"],
                    r["call_source"], r["error"]] for r in rows[:2000]])]
    if len(rows) > 2000:
        out.append(f"<p class='note'>First 2,000 of {len(rows)} rows shown; use --json for all.</p>")
    return out


def _comutation_section(raw: RawResults, st: dict, n: int, figs: dict) -> list[str]:
    out = ["<h2>Co-mutation and mutual exclusivity (samples profiled for both genes)</h2>",
           "<p class='note'>Two-sided Fisher exact test, Benjamini-Hochberg correction across the genes tested.</p>",
           _table(["gene", "HER2+ & gene+", "HER2+ only", "gene+ only", "neither", "n", "odds ratio", "p", "q (BH)"],
                  [[r["gene"], r["both_altered"], r["her2_only"], r["other_only"], r["neither"], r["n"],
                    _num(r["odds_ratio"]), _num(r["p"]), _num(r["q_bh"])] if r["assessed"] else
                   [r["gene"], "not assessed", "", "", "", 0, "", "", ""] for r in st["comutation"]],
                  {1, 2, 3, 4, 5})]
    keys = [("her2", "HER2 activating")] + [(d.key, d.label) for d in ALL]
    figs["oncoprint"] = plots.oncoprint(raw["oncoprint"], keys, n)
    out.append(_figure(figs["oncoprint"][0], f"Oncoprint-style matrix: {len(raw['oncoprint'])} altered samples "
                       f"of {n} profiled."))
    return out


def _brain_section(b: list[dict]) -> list[str]:
    out = ["<h2>Brain metastases</h2>"]
    if sum(r["known"] for r in b):
        out.append(_table(["driver group", "patients", "brain status known", "brain metastases", "rate"],
                          [[r["driver_group"], r["patients"], r["known"], r["brain"],
                            _pct(r["brain"] / r["known"]) if r["known"] else "-"] for r in b], {1, 2, 3}))
    else:
        out.append("<p>This study has no brain-metastasis attribute (e.g. BRAIN_METASTASIS); not reported.</p>")
    return out


def _provenance_section(m: dict) -> list[str]:
    out = ["<h2>Provenance</h2>"]
    used = m.get("files_used") or []
    out.append(_table(["file read", "as", "found by"], [[f["file"], f["role"], f["found_by"]] for f in used]))
    if m.get("files_not_read"):
        out.append(_table(["file not read", "why"], [[f["file"], f["why"]] for f in m["files_not_read"]]))
    out.append("<p class='note'>Import "
               f"{m.get('import_seconds', '-')} s. Knowledge base and engine: her2scope.</p>")
    return out


def _survival_section(m: dict, raw: RawResults, st: dict, figs: dict) -> list[str]:
    """Kaplan-Meier, log-rank and Cox on the study's endpoint (OS, else PFS); always a section,
    saying why when there is nothing to show."""
    endpoint = m.get("survival_endpoint")
    name = ENDPOINTS.get(endpoint, "survival")  # type: ignore[arg-type]  # None: the default
    short = endpoint or "survival"
    out = [f"<h2>{_e(name.capitalize())} by driver group</h2>"]
    if endpoint == "PFS":
        out.append("<p class='note'>The study has no overall survival (OS_MONTHS + OS_STATUS); progression-free "
                   "survival (PFS_MONTHS + PFS_STATUS) is used instead.</p>")
    out.append("<p class='note'>Driver group per patient, first match: HER2 activating, EGFR, KRAS, other driver ("
               + ", ".join(d.label for d in DRIVERS if d.key not in ("egfr", "kras")) + "), no driver detected. "
               f"Patients without {_e(short)}: "
               + ", ".join(f"{r['driver_group']} {r['missing_survival']}/{r['patients']}"
                           for r in raw["survival_missing"]) + ".</p>")
    if not st["km"]:
        out.append("<p>No survival data in this study: neither OS_MONTHS + OS_STATUS nor PFS_MONTHS + PFS_STATUS "
                   "(see the clinical attributes below); survival not assessed.</p>")
        return out
    lr = st["logrank"] or {}
    figs["km"] = plots.km_plot(st["km"], lr.get("p"), name)
    out.append(_figure(figs["km"][0], f"Kaplan-Meier {name}; n and events per group in the legend."))
    out.append(_table(["group", "n", "events", f"median {short} (months)", "95% CI"],
                      [[k["group"], k["n"], k["events"], _num(k["median"], "{:.1f}") if k["median"] else "not reached",
                        f"{_num(k['median_ci'][0], '{:.1f}')}-{_num(k['median_ci'][1], '{:.1f}')}"]
                       for k in st["km"]], {1, 2}))
    h = st.get("logrank_her2_vs_rest")
    vs = (f" {_e(' vs '.join(h['groups']))}: p = {_num(h.get('p'))}." if h and h.get("p") is not None else "")
    out.append(f"<p>Log-rank across groups ({_e(', '.join(lr.get('groups', [])))}): chi2 = "
               f"{_num(lr.get('test_statistic'))}, df = {lr.get('df', '-')}, p = {_num(lr.get('p'))}.{vs}</p>")
    cx = st.get("cox")
    if cx:
        dropped = "; ".join(f"{k}: {v}" for k, v in cx.get("dropped_covariates", {}).items())
        out.append(f"<h3>Cox proportional hazards, {_e(name)} (n = {cx['n']} complete cases, {cx['events']} "
                   f"events; {cx['excluded_incomplete']} excluded for missing covariates)</h3>"
                   f"<p class='note'>Covariates: {_e(', '.join(cx['covariates']))} (HER2 activating vs all other "
                   "profiled patients; age per 10 years; male vs female; stage III/IV vs I/II, or IV vs I-III when "
                   "the study records stage so; ever vs never smoker)."
                   + (f" Dropped: {_e(dropped)}." if dropped else "") + "</p>")
        if cx["error"]:
            out.append(f"<p class='warn'>Cox model not fitted: {_e(cx['error'])}</p>")
        else:
            out.append(_table(["covariate", "hazard ratio", "95% CI", "p"],
                              [[k, _num(v["hr"]), f"{_num(v['ci95'][0])}-{_num(v['ci95'][1])}", _num(v["p"])]
                               for k, v in cx["hazard_ratios"].items()]))
    return out


def _clinical_section(m: dict) -> list[str]:
    """Which clinical column was read as what, values not understood, columns not understood."""
    clinical = m.get("clinical") or {}
    attrs = clinical.get("attributes") or {}
    out = ["<h2>Clinical attributes</h2>",
           _table(["attribute", "file", "column", "patients with a value", "values not understood"],
                  [[k, v["file"], v["column"], v["patients_with_value"],
                    ", ".join(f"{raw} ({n})" for raw, n in v["unrecognised_values"].items()) or "-"]
                   if v else [k, "-", "not in the study", 0, "-"] for k, v in attrs.items()], {3})]
    if clinical.get("not_understood"):
        out.append("<p class='note'>Columns not understood (not used): "
                   + _e(", ".join(f"{d['file']}: {d['column']}" for d in clinical["not_understood"])) + "</p>")
    return out


def _amplification_section(s: dict, st: dict) -> list[str]:
    """ERBB2 amplification: its own numerator and denominator, beside (never merged with) mutations."""
    out = ["<h2>ERBB2 amplification (copy number; a separate alteration)</h2>"]
    if not s["amplification_assessed"]:
        why = ("the study has no discrete copy-number file (data_cna.txt)" if s["cna_profiled_samples"] is None
               else "no sample is profiled for ERBB2 copy number")
        out.append(f"<p>ERBB2 amplification: <b>not assessed</b> ({_e(why)}). Reported as not assessed, "
                   "never as 0 amplified samples.</p>")
        return out
    n, k = s["cna_profiled_samples"], s["her2_amplified_samples"]
    out.append(f"<p><b>{k} / {n}</b> samples profiled for ERBB2 copy number are amplified (discrete copy "
               f"number 2) = <b>{_pct(s['amplification_prevalence'])}</b> (Wilson 95% CI "
               f"{_ci(s['amplification_ci95'])}). Both an activating HER2 mutation and ERBB2 amplification: "
               f"<b>{s['mutation_and_amplification_samples']}</b> of {s['mutation_and_cna_profiled_samples']} "
               "samples profiled for both. Amplification is not part of the activating-mutation prevalence "
               "above, nor of the driver groups below.</p>")
    ov = st.get("amplification_overlap")
    if ov:
        out.append(f"<h3>Activating mutation vs amplification (samples profiled for both, n = {ov['n']})</h3>")
        out.append(_table(["activating mutation & amplified", "mutation only", "amplified only", "neither", "n",
                           "odds ratio", "p (Fisher)"],
                          [[ov["mutation_and_amplification"], ov["mutation_only"], ov["amplification_only"],
                            ov["neither"], ov["n"], _num(ov["odds_ratio"]), _num(ov["p"])]], {0, 1, 2, 3, 4}))
    if st.get("amplification_by"):
        out.append(_table(["dimension", "level", "amplified", "profiled for copy number (n)", "prevalence",
                           "95% CI (Wilson)"],
                          [[r["dimension"], r["level"], r["amplified"], r["profiled"], _pct(r["prevalence"]),
                            _ci(r["ci95"])] for r in st["amplification_by"]], {2, 3}))
    return out


def write_report(res: CohortAnalysis, output: Path, figures_dir: Path | None = None) -> None:
    """Write the HTML to ``output`` (and each figure into ``figures_dir``); raises OutputError naming
    the output or the figures folder that cannot be written."""
    doc, figs = build(res)
    with writing(output):
        make_folder(output.parent)
        write_output(output, doc)   # atomic for files; devices, FIFOs and "-" written in place
    if figures_dir:
        with writing(figures_dir):
            make_folder(figures_dir)
            for name, (png, svg) in figs.items():
                (figures_dir / f"{name}.png").write_bytes(png)
                (figures_dir / f"{name}.svg").write_bytes(svg)
