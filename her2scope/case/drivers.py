"""Other NSCLC drivers in the same result (EGFR, KRAS, ALK, ROS1, BRAF, MET, RET, NTRK).

The rules are data (``her2scope.knowledge.drivers``, with their sources): the cohort analytics
compile them to SQL, and this evaluates them in plain Python over the case's few records of
other genes: one definition, two uses, and a single-patient report needs no database.
Sources of records: MAF rows and VEP CSQ annotations in VCFs (``readers.gene_records``), and
alterations the case states (``other_alterations``, e.g. "EGFR p.L858R", "ALK fusion").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Her2scopeError
from ..knowledge.drivers import DRIVERS, DriverKind, DriverRule, Mutation
from ..readers.base import FileSummary
from ..readers.gene_records import GeneRecord, first_residue, read_gene_records
from ..vocabulary import StatedOutcome
from .stated import Kind, StatedAlteration, recognise


@dataclass(frozen=True)
class DriverFinding:
    driver: str          # e.g. "EGFR", "ALK fusion"
    detail: str          # e.g. "EGFR p.L858R (MAF row 7)"
    rule: str            # the rule in words

    def as_dict(self) -> dict:
        return {"driver": self.driver, "detail": self.detail, "rule": self.rule}


@dataclass(frozen=True)
class StatedReading:
    """A stated alteration and what became of it: a finding, the HER2 picture, or nothing
    (then ``note`` says why, and the report lists it as stated, not interpreted)."""

    text: str
    interpretation: str      # e.g. "EGFR exon 19 deletion"; "" when not interpreted
    outcome: StatedOutcome
    note: str = ""

    def as_dict(self) -> dict:
        return {"text": self.text, "interpretation": self.interpretation, "outcome": str(self.outcome),
                "note": self.note}


@dataclass(frozen=True)
class DriverReport:
    assessed: bool
    findings: tuple[DriverFinding, ...]
    note: str
    stated: tuple[StatedReading, ...] = ()
    problems: tuple[str, ...] = ()       # files (or parts of them) the driver rules could not read

    @property
    def not_interpreted(self) -> tuple[StatedReading, ...]:
        return tuple(s for s in self.stated if s.outcome in (StatedOutcome.not_interpreted, StatedOutcome.not_a_driver))

    def as_dict(self) -> dict:
        return {"assessed": self.assessed, "findings": [f.as_dict() for f in self.findings],
                "note": self.note, "stated": [s.as_dict() for s in self.stated],
                "stated_not_interpreted": [s.text for s in self.not_interpreted],
                "problems": list(self.problems)}


@dataclass(frozen=True)
class Located:
    """A mutation the rules look at, and where it came from ("f.maf row 7", "stated: KRAS G12C")."""

    mutation: Mutation
    where: str


@dataclass(frozen=True)
class StatedFusion:
    gene: str              # as stated: ALK, ROS1, RET, NTRK1/2/3 or NTRK (no one NTRK gene)
    where: str


def _located(rec: GeneRecord) -> Located:
    return Located(Mutation(rec.gene, rec.variant_class, rec.protein_change, rec.residue, rec.chrom,
                            rec.start, rec.end, rec.build), rec.where)


def _file_mutations(path: Path, problems: list[str]) -> list[Located]:
    """Mutation records of one MAF/VCF. Damage ends the records with a problem, never an
    exception: the records before it are kept (the HER2 picture reports the same file as failed)."""
    found: list[Located] = []
    summary = FileSummary(input=str(path))
    try:
        for rec in read_gene_records(str(path), summary):
            found.append(_located(rec))
    except Her2scopeError as exc:
        problems.append(f"{path.name}: other drivers checked in the first {summary.records} record(s) "
                        f"only: {exc.message}")
    return found


def _stated_mutation(s: StatedAlteration) -> Located:
    p = s.protein_change
    vclass = ("In_Frame_Del" if "del" in p and "delins" not in p else
              "In_Frame_Ins" if "ins" in p or "dup" in p else
              "Nonsense_Mutation" if p.endswith("*") else "Missense_Mutation")
    return Located(Mutation(s.gene, vclass, p, first_residue(p), "", 0, 0, "GRCh38"), f"stated: {s.text}")


def collect_rows(files: list[Path], stated: Sequence[StatedAlteration] | Sequence[str] = (),
                 problems: list[str] | None = None) -> tuple[list[Located], list[StatedFusion]]:
    """(mutations, fusions) from MAF/VCF files and stated alterations."""
    problems = [] if problems is None else problems
    mutations: list[Located] = []
    fusions: list[StatedFusion] = []
    for path in files:
        mutations += _file_mutations(path, problems)
    for item in stated:
        s = item if isinstance(item, StatedAlteration) else recognise(item)
        if s.kind is Kind.fusion:
            # A recognised fusion names its gene.
            fusions.append(StatedFusion(s.gene, f"stated: {s.text}"))  # type: ignore[arg-type]
        elif s.kind is Kind.protein_change:
            mutations.append(_stated_mutation(s))
    return mutations, fusions


# Named events a report states in words; each is a driver by the rules' own definition (the
# EGFR rule counts in-frame exon 19 deletions and exon 20 insertions; MET exon 14 skipping is
# the MET ex14 rule). MET amplification is not a cohort rule: it is flagged as stated.
_EVENT_DRIVER = {Kind.exon19_deletion: "egfr", Kind.exon20_insertion: "egfr", Kind.met_exon14: "met14"}


def _stated_findings(stated: list[StatedAlteration],
                     drivers: tuple[DriverRule, ...]) -> tuple[list[DriverFinding], list[StatedReading]]:
    by_key = {d.key: d for d in drivers}
    findings: list[DriverFinding] = []
    readings: list[StatedReading] = []
    for s in stated:
        where = f"stated: {s.text}"
        if s.kind in _EVENT_DRIVER:
            d = by_key[_EVENT_DRIVER[s.kind]]
            findings.append(DriverFinding(d.label, f"{s.label()} ({where})", d.rule))
            readings.append(StatedReading(s.text, s.label(), StatedOutcome.driver))
        elif s.kind is Kind.amplification and s.gene == "ERBB2":
            readings.append(StatedReading(s.text, s.label(), StatedOutcome.her2,
                                          "counted in the HER2 amplification result as a laboratory call"))
        elif s.kind is Kind.amplification:
            findings.append(DriverFinding(f"{s.gene} amplification", f"{s.label()} ({where})",
                                          f"{s.gene} amplification as stated by the laboratory "
                                          "(no copy-number threshold applied by her2scope)"))
            readings.append(StatedReading(s.text, s.label(), StatedOutcome.driver))
        elif s.kind is Kind.not_interpreted:
            readings.append(StatedReading(s.text, "", StatedOutcome.not_interpreted, s.why_not))
        else:   # protein changes and fusions: decided by the rules below
            readings.append(StatedReading(s.text, s.label(), StatedOutcome.pending))
    return findings, readings


def _fusion_matches(d: DriverRule, gene: str) -> bool:
    # "NTRK fusion" as stated names no one NTRK gene: the NTRK1/2/3 rule covers it.
    return d.kind is DriverKind.fusion and (gene in d.genes or gene == "NTRK" and "NTRK1" in d.genes)


def _coordinates_missing(rows: list[Located], matched: set[str]) -> list[str]:
    """Records a coordinate rule (MET exon 14) would count on a build the file does not state in
    a form her2scope reads: said as a problem, so that a missed MET exon 14 event is never silent."""
    out = []
    for d in DRIVERS:
        windowed = [c for c in d.clauses if c.windows]
        for row in rows:
            m = row.mutation
            if m.build is not None or row.where in matched or m.gene not in d.genes:
                continue
            if any(c.matches(replace(m, build=w.build)) for c in windowed for w in c.windows):
                out.append(f"{row.where}: {m.gene} record without a genome build her2scope reads (GRCh37 or "
                           f"GRCh38): the {d.label} rule ({d.rule}) works on coordinates and could not be applied")
    return out


def find_drivers(files: list[Path], stated: list[str]) -> DriverReport:
    recognised = [recognise(text) for text in stated]
    problems: list[str] = []
    mutations, fusions = collect_rows(files, recognised, problems)
    findings, readings = _stated_findings(recognised, DRIVERS)
    matched: set[str] = set()     # the "where" of every record a rule fired on

    def add(d: DriverRule, detail: str, where: str) -> None:
        findings.append(DriverFinding(d.label, f"{detail} ({where})", d.rule))
        matched.add(where)

    for d in DRIVERS:             # rule by rule, records in file order (as the report lists them)
        for row in mutations:
            if d.matches(row.mutation):
                add(d, f"{row.mutation.gene} {row.mutation.protein_change}", row.where)
    for fusion in fusions:
        for d in DRIVERS:
            if _fusion_matches(d, fusion.gene):
                add(d, f"{fusion.gene} fusion", fusion.where)
    problems += _coordinates_missing(mutations, matched)
    readings = [r if r.outcome is not StatedOutcome.pending else
                StatedReading(r.text, r.interpretation, StatedOutcome.driver) if f"stated: {r.text}" in matched else
                StatedReading(r.text, r.interpretation, StatedOutcome.not_a_driver,
                              "recognised, but no NSCLC driver rule matches it") for r in readings]
    note = ("EGFR, KRAS, BRAF, MET exon 14 checked in the sequencing records; fusions (ALK, ROS1, RET, "
            "NTRK) and amplifications only when stated or in a structural-variant result")
    return DriverReport(True, tuple(findings), note, tuple(readings), tuple(problems))
