"""Other NSCLC drivers in the same result (EGFR, KRAS, ALK, ROS1, BRAF, MET, RET, NTRK).

The rules are the cohort analytics' rules (``her2scope.cohort.drivers``), evaluated with the
same SQL in DuckDB over this case's few non-ERBB2 records: one definition, two uses.
Sources of records: MAF rows, VEP CSQ annotations in VCFs, and alterations the case states
(``other_alterations``, e.g. "EGFR p.L858R", "ALK fusion").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..genome.translate import ONE_LETTER
from .stated import Kind, StatedAlteration, recognise

_VEP_TO_MAF = {
    "missense_variant": "Missense_Mutation", "inframe_deletion": "In_Frame_Del",
    "inframe_insertion": "In_Frame_Ins", "stop_gained": "Nonsense_Mutation",
    "splice_acceptor_variant": "Splice_Site", "splice_donor_variant": "Splice_Site",
    "start_lost": "Translation_Start_Site", "stop_lost": "Nonstop_Mutation",
    "synonymous_variant": "Silent",
}
_THREE = re.compile("|".join(sorted(ONE_LETTER, key=len, reverse=True)))


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
    outcome: str             # "driver" | "her2" | "not_a_driver" | "not_interpreted"
    note: str = ""

    def as_dict(self) -> dict:
        return {"text": self.text, "interpretation": self.interpretation, "outcome": self.outcome,
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
        return tuple(s for s in self.stated if s.outcome in ("not_interpreted", "not_a_driver"))

    def as_dict(self) -> dict:
        return {"assessed": self.assessed, "findings": [f.as_dict() for f in self.findings],
                "note": self.note, "stated": [s.as_dict() for s in self.stated],
                "stated_not_interpreted": [s.text for s in self.not_interpreted],
                "problems": list(self.problems)}


def _short(p: str) -> str:
    p = p.split(":", 1)[-1].replace("(", "").replace(")", "")
    return _THREE.sub(lambda m: ONE_LETTER[m.group(0)], p)


def _aa_pos(p: str) -> int | None:
    m = re.search(r"(\d+)", p or "")
    return int(m.group(1)) if m else None


def _int(text: str) -> int:
    """A coordinate cell; anything that is not a plain non-negative integer counts as 0 (the
    coordinate rules then do not fire)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _variant_class(consequence: str, ref: str, alt: str) -> str:
    for term in consequence.split("&"):
        if term == "frameshift_variant":
            return "Frame_Shift_Del" if len(ref) > len(alt) else "Frame_Shift_Ins"
        if term in _VEP_TO_MAF:
            return _VEP_TO_MAF[term]
    return "Other"


def _build_or_none(text: str) -> str | None:
    """The stated build, or None: coordinate rules (MET exon 14) then simply do not fire."""
    from ..errors import Her2scopeError
    from ..genome.builds import parse_build

    try:
        return parse_build(text).value if text else None
    except Her2scopeError:
        return None


def _vcf_build(header: tuple[str, ...], path: Path) -> str | None:
    from ..errors import Her2scopeError
    from ..readers.vcf_header import parse_header

    try:
        return parse_header(list(header), str(path)).resolve_build(None, str(path))[0].value
    except Her2scopeError:
        return None


def _maf_converter(table, path: Path):
    def convert(row) -> list[dict]:
        cells = dict(zip(table.header, row.cells))
        p = cells.get("HGVSp_Short") or cells.get("Protein_Change") or ""
        return [dict(hugo=cells.get("Hugo_Symbol", ""), variant_class=cells.get("Variant_Classification", ""),
                     protein_change=p, aa_pos=_aa_pos(p), chrom=cells.get("Chromosome", "").removeprefix("chr"),
                     start_pos=_int(cells.get("Start_Position", "")), end_pos=_int(cells.get("End_Position", "")),
                     build=_build_or_none(cells.get("NCBI_Build", "")), where=f"{path.name} row {row.record}")]
    return convert


def _vcf_converter(table, path: Path):
    fmt = next((line for line in table.header if line.startswith("##INFO=<ID=CSQ")), "")
    m = re.search(r"Format: ?([^\"]+)", fmt)
    if not m:
        return None     # no VEP annotation: nothing to say about other genes
    fields = m.group(1).split("|")
    build = _vcf_build(table.header, path)

    def convert(row) -> list[dict]:
        cols = row.cells
        if len(cols) < 8:
            return []
        info = dict(kv.split("=", 1) for kv in cols[7].split(";") if "=" in kv)
        for entry in info.get("CSQ", "").split(","):
            f = dict(zip(fields, entry.split("|")))
            if not f.get("SYMBOL") or f.get("SYMBOL") == "ERBB2" or not f.get("HGVSp"):
                continue
            p = "p." + _short(f["HGVSp"]).split("p.", 1)[-1]
            start = _int(cols[1])
            return [dict(hugo=f["SYMBOL"], variant_class=_variant_class(f.get("Consequence", ""), cols[3], cols[4]),
                         protein_change=p, aa_pos=_aa_pos(p), chrom=cols[0].removeprefix("chr"),
                         start_pos=start, end_pos=start + len(cols[3]) - 1 if start else 0,
                         build=build, where=f"{path.name} record {row.record}")]
        return []
    return convert


def _file_rows(path: Path, problems: list[str]) -> list[dict]:
    """Mutation rows of one MAF/VCF. Damage ends the rows with a problem, never an exception:
    the rows before it are kept (the HER2 picture reports the same file as failed)."""
    from ..errors import Her2scopeError
    from ..readers.rows import read_rows

    rows: list[dict] = []
    seen = 0
    try:
        table = read_rows(str(path))
        convert = {"MAF": _maf_converter, "VCF": _vcf_converter}.get(table.format, lambda *_: None)(table, path)
        if convert is None:
            return rows
        for row in table.rows:
            rows += convert(row)
            seen = row.record
    except Her2scopeError as exc:
        problems.append(f"{path.name}: other drivers checked in the first {seen} record(s) only: {exc.message}")
    return rows


def collect_rows(files: list[Path], stated: list[StatedAlteration] | list[str] = (),
                 problems: list[str] | None = None) -> tuple[list[dict], list[dict]]:
    """(mutation rows, fusion rows) from MAF/VCF files and stated alterations."""
    problems = [] if problems is None else problems
    mutations: list[dict] = []
    fusions: list[dict] = []
    for path in files:
        mutations += _file_rows(path, problems)
    for item in stated:
        s = item if isinstance(item, StatedAlteration) else recognise(item)
        where = f"stated: {s.text}"
        if s.kind is Kind.fusion:
            fusions.append(dict(gene1=s.gene, gene2="", where=where))
        elif s.kind is Kind.protein_change:
            p = s.protein_change
            vclass = ("In_Frame_Del" if "del" in p and "delins" not in p else
                      "In_Frame_Ins" if "ins" in p or "dup" in p else
                      "Nonsense_Mutation" if p.endswith("*") else "Missense_Mutation")
            mutations.append(dict(hugo=s.gene, variant_class=vclass, protein_change=p, aa_pos=_aa_pos(p),
                                  chrom="", start_pos=0, end_pos=0, build="GRCh38", where=where))
    return mutations, fusions


# Named events a report states in words; each is a driver by the rules' own definition (the
# EGFR rule counts in-frame exon 19 deletions and exon 20 insertions; MET exon 14 skipping is
# the MET ex14 rule). MET amplification is not a cohort rule: it is flagged as stated.
_EVENT_DRIVER = {Kind.exon19_deletion: "egfr", Kind.exon20_insertion: "egfr", Kind.met_exon14: "met14"}


def _stated_findings(stated: list[StatedAlteration], drivers) -> tuple[list[DriverFinding], list[StatedReading]]:
    by_key = {d.key: d for d in drivers}
    findings: list[DriverFinding] = []
    readings: list[StatedReading] = []
    for s in stated:
        where = f"stated: {s.text}"
        if s.kind in _EVENT_DRIVER:
            d = by_key[_EVENT_DRIVER[s.kind]]
            findings.append(DriverFinding(d.label, f"{s.label()} ({where})", d.rule))
            readings.append(StatedReading(s.text, s.label(), "driver"))
        elif s.kind is Kind.amplification and s.gene == "ERBB2":
            readings.append(StatedReading(s.text, s.label(), "her2",
                                          "counted in the HER2 amplification result as a laboratory call"))
        elif s.kind is Kind.amplification:
            findings.append(DriverFinding(f"{s.gene} amplification", f"{s.label()} ({where})",
                                          f"{s.gene} amplification as stated by the laboratory "
                                          "(no copy-number threshold applied by her2scope)"))
            readings.append(StatedReading(s.text, s.label(), "driver"))
        elif s.kind is Kind.not_interpreted:
            readings.append(StatedReading(s.text, "", "not_interpreted", s.why_not))
        else:   # protein changes and fusions: decided by the rules below
            readings.append(StatedReading(s.text, s.label(), "pending"))
    return findings, readings


def find_drivers(files: list[Path], stated: list[str]) -> DriverReport:
    recognised = [recognise(text) for text in stated]
    try:
        import duckdb
        import pandas as pd  # noqa: F401  (duckdb registers pandas frames)
    except ImportError:
        readings = tuple(StatedReading(s.text, s.label() if s.interpreted else "", "not_interpreted",
                                       "other drivers not assessed: DuckDB is not installed") for s in recognised)
        return DriverReport(False, (), "other drivers not assessed: install her2scope[cohort] (DuckDB)", readings)
    from ..cohort.drivers import ALL, DRIVERS

    problems: list[str] = []
    mutations, fusions = collect_rows(files, recognised, problems)
    findings, readings = _stated_findings(recognised, DRIVERS)
    matched: set[str] = set()     # the "where" of every row a rule fired on

    def add(d, detail: str, where: str) -> None:
        findings.append(DriverFinding(d.label, f"{detail} ({where})", d.rule))
        matched.add(where)

    con = duckdb.connect()
    try:
        if mutations:
            import pandas as pd

            con.register("m", pd.DataFrame(mutations))
            for d in ALL:
                if d.kind != "mutation" or d not in DRIVERS:
                    continue
                for hugo, p, where in con.execute(
                        f"SELECT hugo, protein_change, \"where\" FROM m WHERE {d.sql}").fetchall():
                    add(d, f"{hugo} {p}", where)
        for row in fusions:
            for d in DRIVERS:
                # "NTRK fusion" as stated names no one NTRK gene: the NTRK1/2/3 rule covers it.
                if d.kind == "fusion" and (row["gene1"] in d.genes or row["gene1"] == "NTRK" and "NTRK1" in d.genes):
                    add(d, f"{row['gene1']} fusion", row["where"])
    finally:
        con.close()
    readings = [r if r.outcome != "pending" else
                StatedReading(r.text, r.interpretation, "driver") if f"stated: {r.text}" in matched else
                StatedReading(r.text, r.interpretation, "not_a_driver",
                              "recognised, but no NSCLC driver rule matches it") for r in readings]
    note = ("EGFR, KRAS, BRAF, MET exon 14 checked in the sequencing records; fusions (ALK, ROS1, RET, "
            "NTRK) and amplifications only when stated or in a structural-variant result")
    return DriverReport(True, tuple(findings), note, tuple(readings), tuple(problems))
