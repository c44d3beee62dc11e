"""What changed: between two knowledge files, and between two reports of one case."""

from __future__ import annotations

from pathlib import Path

import yaml

from .calls_diff import diff_calls, is_variant_kb


def _yaml(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text())


def _index(items, key) -> dict:
    # Trials v2 are keyed by registry id ("id"; NCT, EU CT or jRCT number), v1 by "nct": an NCT trial
    # keeps its key across the two, so a v1 -> v2 diff compares it instead of listing it twice.
    return {(item.get("id") if key == "nct" and item.get("id") else item[key]): item for item in items or []}


def diff_knowledge(old_path: str, new_path: str) -> list[str]:
    """Works on any of the knowledge files (variant KB, next steps, trials): each section
    that is a list of keyed entries is compared entry by entry."""
    old, new = _yaml(old_path), _yaml(new_path)
    out = [f"knowledge_version {old.get('knowledge_version')} ({old.get('released')}) -> "
           f"{new.get('knowledge_version')} ({new.get('released')})"]
    sections = (("curated_variants", "protein_change", ("oncogenicity", "vicc_codes")),
                ("therapy_labels", "id", ("status", "date", "variant_scope", "line", "histology", "current")),
                ("trials", "nct", ("status", "line", "alteration_classes", "brain_metastases_allowed")),
                ("non_drug_steps", "id", ("text",)))
    for section, key, fields in sections:
        if section not in old and section not in new:
            continue
        a, b = _index(old.get(section), key), _index(new.get(section), key)
        for k in b.keys() - a.keys():
            out.append(f"{section}: added {k}" + (f" ({b[k].get(fields[0])})" if fields[0] in b[k] else ""))
        for k in a.keys() - b.keys():
            out.append(f"{section}: removed {k}")
        for k in sorted(a.keys() & b.keys()):
            for f in fields:
                if a[k].get(f) != b[k].get(f):
                    out.append(f"{section}: {k}: {f} {a[k].get(f)!r} -> {b[k].get(f)!r}")
            if [e.get("citations") for e in a[k].get("evidence", [])] != [e.get("citations") for e in b[k].get("evidence", [])]:
                out.append(f"{section}: {k}: evidence changed")
    for section in ("actionability",):
        if section in old or section in new:
            for fw in set(old.get(section, {})) | set(new.get(section, {})):
                a = _index(old.get(section, {}).get(fw), "id")
                b = _index(new.get(section, {}).get(fw), "id")
                for k in sorted(a.keys() | b.keys()):
                    if a.get(k, {}).get("tier", a.get(k, {}).get("level")) != b.get(k, {}).get("tier", b.get(k, {}).get("level")):
                        out.append(f"{section}/{fw}: {k}: {a.get(k, {}).get('tier', a.get(k, {}).get('level'))!r} -> "
                                   f"{b.get(k, {}).get('tier', b.get(k, {}).get('level'))!r}")
    if is_variant_kb(old) and is_variant_kb(new):
        # v2 keeps its curated variants in fragments: compare the loaded bases, and every call (issue 9)
        out = [line for line in out if not line.startswith("curated_variants:")] + diff_calls(old_path, new_path)
    return out if len(out) > 1 else []


def diff_reports(old: dict, new: dict) -> list[str]:
    """Findings that differ between an earlier report of a case and today's."""
    out = []
    if old.get("knowledge") != new.get("knowledge"):
        out.append(f"knowledge: {old.get('knowledge')} -> {new.get('knowledge')}")
    for dim in ("mutation", "amplification", "protein_expression"):
        a, b = old.get("her2", {}).get(dim, {}), new.get("her2", {}).get(dim, {})
        if a.get("status") != b.get("status"):
            out.append(f"{dim}: {a.get('status')} -> {b.get('status')}")
    va = {v.get("protein_change") or v.get("hgvs_c"): v for v in old.get("variants", [])}
    vb = {v.get("protein_change") or v.get("hgvs_c"): v for v in new.get("variants", [])}
    for k in sorted(va.keys() | vb.keys(), key=str):
        a, b = va.get(k, {}), vb.get(k, {})
        for f in ("oncogenicity", "oncogenicity_rule", "alteration_class", "hgvs_c"):
            if a.get(f) != b.get(f):
                out.append(f"variant {k}: {f} {a.get(f)} -> {b.get(f)}")
    oa = {o["label_id"]: o["verdict"] for o in old.get("therapy_options", [])}
    ob = {o["label_id"]: o["verdict"] for o in new.get("therapy_options", [])}
    for k in sorted(oa.keys() | ob.keys()):
        if oa.get(k) != ob.get(k):
            out.append(f"therapy {k}: {oa.get(k)} -> {ob.get(k)}")
    ta = {t["nct"]: t["verdict"] for t in old.get("trials", [])}
    tb = {t["nct"]: t["verdict"] for t in new.get("trials", [])}
    for k in sorted(ta.keys() | tb.keys()):
        if ta.get(k) != tb.get(k):
            out.append(f"trial {k}: {ta.get(k)} -> {tb.get(k)}")
    return out
