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
class DriverReport:
    assessed: bool
    findings: tuple[DriverFinding, ...]
    note: str

    def as_dict(self) -> dict:
        return {"assessed": self.assessed, "findings": [f.as_dict() for f in self.findings],
                "note": self.note}


def _short(p: str) -> str:
    p = p.split(":", 1)[-1].replace("(", "").replace(")", "")
    return _THREE.sub(lambda m: ONE_LETTER[m.group(0)], p)


def _aa_pos(p: str) -> int | None:
    m = re.search(r"(\d+)", p or "")
    return int(m.group(1)) if m else None


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


def _vcf_build(text: str, path: Path) -> str | None:
    from ..errors import Her2scopeError
    from ..readers.vcf_header import parse_header

    header = [line for line in text.splitlines() if line.startswith("#")]
    try:
        return parse_header(header, str(path)).resolve_build(None, str(path))[0].value
    except Her2scopeError:
        return None


def collect_rows(files: list[Path], stated: list[str]) -> tuple[list[dict], list[dict]]:
    """(mutation rows, fusion rows) from MAF/VCF files and stated alterations."""
    from ..readers.compressed import open_bytes

    mutations: list[dict] = []
    fusions: list[dict] = []
    for path in files:
        try:
            with open_bytes(str(path)) as fh:
                text = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        lines = [l for l in text.splitlines() if l and not l.startswith("##")]
        if lines and lines[0].startswith("Hugo_Symbol"):
            header = lines[0].split("\t")
            for n, line in enumerate(lines[1:], 1):
                row = dict(zip(header, (c.strip().strip('"') for c in line.split("\t"))))
                p = row.get("HGVSp_Short") or row.get("Protein_Change") or ""
                build = _build_or_none(row.get("NCBI_Build", ""))
                mutations.append(dict(hugo=row.get("Hugo_Symbol", ""), variant_class=row.get("Variant_Classification", ""),
                                      protein_change=p, aa_pos=_aa_pos(p), chrom=row.get("Chromosome", "").removeprefix("chr"),
                                      start_pos=int(row.get("Start_Position") or 0), end_pos=int(row.get("End_Position") or 0),
                                      build=build, where=f"{path.name} row {n}"))
        elif lines and lines[0].startswith("#CHROM"):
            fmt = next((l for l in text.splitlines() if l.startswith("##INFO=<ID=CSQ")), "")
            m = re.search(r"Format: ?([^\"]+)", fmt)
            if not m:
                continue
            fields = m.group(1).split("|")
            build = _vcf_build(text, path)
            for n, line in enumerate(lines[1:], 1):
                cols = line.split("\t")
                info = dict(kv.split("=", 1) for kv in cols[7].split(";") if "=" in kv) if len(cols) > 7 else {}
                for entry in info.get("CSQ", "").split(","):
                    f = dict(zip(fields, entry.split("|")))
                    if not f.get("SYMBOL") or f.get("SYMBOL") == "ERBB2" or not f.get("HGVSp"):
                        continue
                    p = "p." + _short(f["HGVSp"]).split("p.", 1)[-1]
                    mutations.append(dict(hugo=f["SYMBOL"], variant_class=_variant_class(f.get("Consequence", ""), cols[3], cols[4]),
                                          protein_change=p, aa_pos=_aa_pos(p), chrom=cols[0].removeprefix("chr"),
                                          start_pos=int(cols[1]), end_pos=int(cols[1]) + len(cols[3]) - 1,
                                          build=build, where=f"{path.name} record {n}"))
                    break
    for text in stated:
        parts = text.split()
        gene = parts[0].upper()
        rest = " ".join(parts[1:])
        if "fusion" in rest.lower() or "rearrangement" in rest.lower():
            fusions.append(dict(gene1=gene, gene2="", where=f"stated: {text}"))
        elif rest:
            p = "p." + _short(rest).removeprefix("p.")
            vclass = ("In_Frame_Del" if "del" in p and "delins" not in p else
                      "In_Frame_Ins" if "ins" in p or "dup" in p else
                      "Nonsense_Mutation" if p.endswith("*") else "Missense_Mutation")
            mutations.append(dict(hugo=gene, variant_class=vclass, protein_change=p, aa_pos=_aa_pos(p),
                                  chrom="", start_pos=0, end_pos=0, build="GRCh38", where=f"stated: {text}"))
    return mutations, fusions


def find_drivers(files: list[Path], stated: list[str]) -> DriverReport:
    try:
        import duckdb
        import pandas as pd  # noqa: F401  (duckdb registers pandas frames)
    except ImportError:
        return DriverReport(False, (), "other drivers not assessed: install her2scope[cohort] (DuckDB)")
    from ..cohort.drivers import ALL, DRIVERS

    mutations, fusions = collect_rows(files, stated)
    findings: list[DriverFinding] = []
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
                    findings.append(DriverFinding(d.label, f"{hugo} {p} ({where})", d.rule))
        for row in fusions:
            for d in DRIVERS:
                if d.kind == "fusion" and row["gene1"] in d.genes:
                    findings.append(DriverFinding(d.label, f"{row['gene1']} fusion ({row['where']})", d.rule))
    finally:
        con.close()
    note = ("EGFR, KRAS, BRAF, MET exon 14 checked in the sequencing records; fusions (ALK, ROS1, RET, "
            "NTRK) only when stated or in a structural-variant result")
    return DriverReport(True, tuple(findings), note)
