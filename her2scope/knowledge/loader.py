"""Load and check the knowledge base (YAML) and the bundled cancerhotspots.org rows.

Loaded once per process per path (``functools.cache``); the objects are immutable.
Every evidence item must cite sources that the file defines, or loading fails.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import KnowledgeBaseError

_DATA = resources.files(__package__) / "data"
DEFAULT_KB = "erbb2_kb_v1.yaml"
HOTSPOT_FILE = "erbb2_hotspots_cancerhotspots_v2.tsv"
ONCOGENICITY_CLASSES = ("oncogenic", "likely_oncogenic", "uncertain_significance",
                        "likely_benign", "benign")


@dataclass(frozen=True, slots=True)
class Evidence:
    statement: str
    citations: tuple[str, ...]
    code: str | None = None

    def as_dict(self) -> dict:
        out: dict = {"statement": self.statement, "citations": list(self.citations)}
        if self.code:
            out["code"] = self.code
        return out


@dataclass(frozen=True, slots=True)
class Domain:
    id: str
    label: str
    start: int
    end: int
    citations: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlterationClass:
    id: str
    label: str
    activating: bool | None
    evidence: Evidence
    codes: tuple[Evidence, ...]          # VICC codes that apply to every member of the class


@dataclass(frozen=True, slots=True)
class CuratedVariant:
    protein_change: str
    hgvs_p: str
    known_as: tuple[str, ...]
    oncogenicity: str
    vicc_codes: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    last_reviewed: str


@dataclass(frozen=True, slots=True)
class Hotspot:
    """One cancerhotspots.org v2 row: a residue (or indel span) and one observed change."""

    residue: str          # "310" or "772-775"
    change: str           # hgvsp short, e.g. "p.S310F", "p.Y772_A775dup"
    position_count: int   # tumours with any change at the residue (summed over tumour types)
    change_count: int     # tumours with this change
    qvalue: str


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    released: str
    path: str
    sources: dict[str, dict]
    points: dict[str, int]
    thresholds: dict[str, int]
    code_text: dict[str, str]
    sop_citation: str
    domains: tuple[Domain, ...]
    classes: dict[str, AlterationClass]
    variants: dict[str, CuratedVariant]
    hotspots: tuple[Hotspot, ...]
    raw: dict

    def domain_at(self, residue: int) -> Domain | None:
        # Most specific (shortest) domain wins where ranges nest.
        hits = [d for d in self.domains if d.start <= residue <= d.end]
        return min(hits, key=lambda d: d.end - d.start) if hits else None

    def curated(self, protein_change: str | None) -> CuratedVariant | None:
        return self.variants.get(protein_change) if protein_change else None

    def hotspots_at(self, residue: int) -> list[Hotspot]:
        out = []
        for h in self.hotspots:
            lo, _, hi = h.residue.partition("-")
            if int(lo) <= residue <= int(hi or lo):
                out.append(h)
        return out

    def classify_points(self, points: int) -> str:
        t = self.thresholds
        if points >= t["oncogenic"]:
            return "oncogenic"
        if points >= t["likely_oncogenic"]:
            return "likely_oncogenic"
        if points <= t["benign"]:
            return "benign"
        if points <= t["likely_benign"]:
            return "likely_benign"
        return "uncertain_significance"


def _evidence(item: dict, known: dict, where: str) -> Evidence:
    cites = tuple(item.get("citations") or ())
    if not item.get("statement") or not cites:
        raise KnowledgeBaseError(f"{where}: every evidence item needs a statement and citations")
    missing = [c for c in cites if c not in known]
    if missing:
        raise KnowledgeBaseError(f"{where}: citations not defined under 'sources': {missing}")
    return Evidence(str(item["statement"]).strip(), cites, item.get("code"))


def _read_hotspots(path) -> tuple[Hotspot, ...]:
    rows = []
    with path.open() as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["symbol"] != "ERBB2":
                continue
            pos_n = change_n = 0
            for part in row["MUTATION_HOTSPOT_CANCERTYPE"].split(","):
                _, a, b = part.split("|")
                pos_n, change_n = pos_n + int(a), change_n + int(b)
            rows.append(Hotspot(row["amino_acid_position"], row["hgvsp"], pos_n, change_n,
                                row["qvalue"]))
    return tuple(rows)


@functools.cache
def load_knowledge(path: str | None = None) -> KnowledgeBase:
    """The knowledge base at ``path`` (default: the bundled current version)."""
    import yaml  # imported here: only commands that classify pay for it

    source = Path(path) if path else _DATA / DEFAULT_KB
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when available
        raw = yaml.load(source.read_text(), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeBaseError(f"cannot read knowledge base {source}: {exc}") from exc
    sources = raw.get("sources") or {}
    sop = raw["vicc_sop"]
    classes = {}
    for cid, c in (raw.get("alteration_classes") or {}).items():
        classes[cid] = AlterationClass(
            cid, c["label"], c.get("activating"),
            _evidence(c, sources, f"alteration class {cid}"),
            tuple(_evidence(e, sources, f"alteration class {cid} codes") for e in c.get("codes") or ()),
        )
    from ..errors import Her2scopeError
    from ..hgvs.parse import canonical_protein_change

    variants = {}
    for v in raw.get("curated_variants") or ():
        where = f"curated variant {v.get('protein_change')}"
        try:
            canonical = canonical_protein_change(v["protein_change"])
        except Her2scopeError as exc:
            raise KnowledgeBaseError(f"{where}: {exc.message}") from exc
        if canonical != v["protein_change"]:
            # Keys must be what the engine produces, or the entry would silently never match.
            raise KnowledgeBaseError(f"{where}: not in canonical form (expected {canonical})")
        if v["oncogenicity"] not in ONCOGENICITY_CLASSES:
            raise KnowledgeBaseError(f"{where}: unknown oncogenicity {v['oncogenicity']!r}")
        variants[v["protein_change"]] = CuratedVariant(
            v["protein_change"], v.get("hgvs_p", ""), tuple(v.get("known_as") or ()),
            v["oncogenicity"], tuple(v.get("vicc_codes") or ()),
            tuple(_evidence(e, sources, where) for e in v["evidence"]),
            str(v.get("last_reviewed", "")),
        )
    domains = tuple(
        Domain(d["id"], d["label"], int(d["start"]), int(d["end"]), tuple(d.get("citations") or ()))
        for d in raw.get("domains") or ())
    return KnowledgeBase(
        version=str(raw["knowledge_version"]), released=str(raw["released"]), path=str(source),
        sources=sources, points=dict(sop["points"]), thresholds=dict(sop["thresholds"]),
        code_text=dict(sop.get("codes") or {}), sop_citation=str(sop["citation"]),
        domains=domains, classes=classes, variants=variants,
        hotspots=_read_hotspots(_DATA / HOTSPOT_FILE), raw=raw,
    )
