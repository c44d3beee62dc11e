"""What two ERBB2 variant knowledge bases call differently, and why.

Each knowledge base is loaded as the engine loads it and every protein change that either one
names - its curated variants and the representative (and not-called) variants of its class rules -
is classified with both. A change whose call or deciding rule differs is listed as
``old call (rule; codes, points) -> new call (rule; codes, points)`` with the new call's evidence
keys, so a reviewer sees what moved and on what grounds.
"""

from __future__ import annotations

from ..classify import Classification, classify
from ..errors import Her2scopeError
from ..hgvs.parse import parse_protein
from ..knowledge.loader import KnowledgeBase, load_knowledge


def _names(kb: KnowledgeBase) -> list[str]:
    names = list(kb.variants)
    for rule in kb.rules:
        names += list(rule.representative_variants) + list(rule.not_called)
    return names


def _call(text: str, kb: KnowledgeBase) -> Classification | None:
    try:
        change = parse_protein(None, text).change
    except Her2scopeError:
        return None
    consequences: frozenset = frozenset()
    return classify(change, consequences, kb)


def _describe(c: Classification | None) -> str:
    if c is None:
        return "not interpretable"
    codes = ", ".join(c.vicc_codes) or "no codes"
    return f"{c.oncogenicity} ({c.rule}; {codes}; {c.vicc_points} point{'' if abs(c.vicc_points) == 1 else 's'})"


def _why(c: Classification, kb: KnowledgeBase) -> str:
    if c.rule.startswith("curated_variant:"):
        entry = kb.variants[c.rule.partition(":")[2]]
        cites = list(dict.fromkeys(x for e in entry.evidence for x in e.citations))
        return "curated evidence: " + ", ".join(cites[:6]) + (" ..." if len(cites) > 6 else "")
    if c.rule.startswith("class_rule:"):
        rule = next(r for r in kb.rules if r.id == c.rule.partition(":")[2])
        cites = list(dict.fromkeys(x for e in rule.evidence for x in e.citations))
        return f"class rule {rule.id}: " + ", ".join(cites[:6])
    return "SOP points"


def diff_curated(old: KnowledgeBase, new: KnowledgeBase) -> list[str]:
    """Curated entries added, removed or changed (call, codes, cited sources)."""
    out = [f"curated_variants: added {k} ({new.variants[k].oncogenicity.value})"
           for k in new.variants if k not in old.variants]
    out += [f"curated_variants: removed {k}" for k in old.variants if k not in new.variants]
    for k in sorted(old.variants.keys() & new.variants.keys()):
        a, b = old.variants[k], new.variants[k]
        if a.oncogenicity != b.oncogenicity:
            out.append(f"curated_variants: {k}: oncogenicity {a.oncogenicity.value!r} -> {b.oncogenicity.value!r}")
        if a.vicc_codes != b.vicc_codes:
            out.append(f"curated_variants: {k}: vicc_codes {list(a.vicc_codes)!r} -> {list(b.vicc_codes)!r}")
        if [e.citations for e in a.evidence] != [e.citations for e in b.evidence]:
            out.append(f"curated_variants: {k}: evidence changed")
    return out


def diff_calls(old_path: str, new_path: str) -> list[str]:
    """Curated entries that changed, then one line per protein change whose call or deciding rule
    differs between the two bases."""
    old, new = load_knowledge(old_path), load_knowledge(new_path)
    out = diff_curated(old, new)
    for name in dict.fromkeys(_names(old) + _names(new)):
        a, b = _call(name, old), _call(name, new)
        if a is not None and b is not None and (a.oncogenicity, a.rule) == (b.oncogenicity, b.rule):
            continue
        if a is None and b is None:
            continue
        line = f"calls: {name}: {_describe(a)} -> {_describe(b)}"
        if b is not None:
            line += f"; why: {_why(b, new)}"
        out.append(line)
    return out


def is_variant_kb(raw: object) -> bool:
    return isinstance(raw, dict) and "vicc_sop" in raw
