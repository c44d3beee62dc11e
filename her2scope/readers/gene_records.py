"""Variants of any gene in a MAF or a VEP-annotated VCF, in MAF terms: what the case report's
check for other NSCLC drivers (EGFR, KRAS, BRAF, MET ...) reads.

The variant readers yield ERBB2 only. This reads every data row (``rows.read_rows``) and gives,
per row, the gene, the MAF Variant_Classification, the short protein change and the
coordinates as the file states them. A VCF row gives its first VEP CSQ entry of another gene
that names a protein change; a VCF without a CSQ layout gives no records (nothing to say about
other genes). Damage ends the records with the ``Her2scopeError`` of ``read_rows`` after the
records before it; ``FileSummary.records`` then says how many data rows were read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import Her2scopeError
from ..genome.builds import parse_build
from ..genome.translate import ONE_LETTER
from .base import FileSummary
from .rows import Row, Table, read_rows
from .vcf_header import csq_layout, parse_header
from .vcf_info import csq_entries, parse_info

# VEP consequence terms -> MAF Variant_Classification (the vocabulary of the driver rules).
_VEP_TO_MAF = {
    "missense_variant": "Missense_Mutation", "inframe_deletion": "In_Frame_Del",
    "inframe_insertion": "In_Frame_Ins", "stop_gained": "Nonsense_Mutation",
    "splice_acceptor_variant": "Splice_Site", "splice_donor_variant": "Splice_Site",
    "start_lost": "Translation_Start_Site", "stop_lost": "Nonstop_Mutation",
    "synonymous_variant": "Silent",
}
_THREE = re.compile("|".join(sorted(ONE_LETTER, key=len, reverse=True)))
_DIGITS = re.compile(r"(\d+)")
# The MAF columns holding a short protein change (p.L858R), in order of preference; HGVSp is
# three-letter (p.Leu858Arg) and is not compared with the rules' short forms.
_MAF_PROTEIN = ("HGVSp_Short", "Protein_Change")


@dataclass(frozen=True, slots=True)
class GeneRecord:
    gene: str               # Hugo symbol ("" when the row names none)
    variant_class: str      # MAF Variant_Classification ("" when the row gives none; "Other")
    protein_change: str     # short form, "p.L858R" ("" when none)
    chrom: str              # without "chr"
    start: int              # 1-based; 0 when missing or not a plain number
    end: int                # 0 when missing or not a plain number
    build: str | None       # "GRCh37" | "GRCh38"; None when not stated or not recognised
    where: str              # "file.maf row 7", "file.vcf record 3"

    @property
    def residue(self) -> int | None:
        return first_residue(self.protein_change)


def first_residue(protein_change: str | None) -> int | None:
    """The first residue number in a protein change (``p.E746_A750del`` -> 746; ``p.ELREA746del``
    -> 746), or None."""
    m = _DIGITS.search(protein_change or "")
    return int(m.group(1)) if m else None


def short_protein(hgvsp: str) -> str:
    """A VEP HGVSp (``ENSP...:p.Leu858Arg``, ``p.(Gly12Cys)``) in short form: ``p.L858R``."""
    text = hgvsp.split(":", 1)[-1].replace("(", "").replace(")", "")
    return "p." + _THREE.sub(lambda m: ONE_LETTER[m.group(0)], text).split("p.", 1)[-1]


def _coordinate(text: str) -> int:
    """A coordinate cell; anything that is not a plain non-negative integer counts as 0 (the
    coordinate rules then do not fire)."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else 0


def _build_or_none(text: str) -> str | None:
    """The stated build, or None: coordinate rules (MET exon 14) then simply do not fire."""
    try:
        return parse_build(text).value if text else None
    except Her2scopeError:
        return None


def _vep_class(consequence: str, ref: str, alt: str) -> str:
    for term in consequence.split("&"):
        if term == "frameshift_variant":
            return "Frame_Shift_Del" if len(ref) > len(alt) else "Frame_Shift_Ins"
        if term in _VEP_TO_MAF:
            return _VEP_TO_MAF[term]
    return "Other"


def _maf_record(table: Table, name: str) -> Callable[[Row], GeneRecord | None]:
    def record(row: Row) -> GeneRecord | None:
        cells = dict(zip(table.header, row.cells))
        p = next((cells[c] for c in _MAF_PROTEIN if cells.get(c)), "")
        return GeneRecord(cells.get("Hugo_Symbol", ""), cells.get("Variant_Classification", ""), p,
                          cells.get("Chromosome", "").removeprefix("chr"),
                          _coordinate(cells.get("Start_Position", "")), _coordinate(cells.get("End_Position", "")),
                          _build_or_none(cells.get("NCBI_Build", "")), f"{name} row {row.record}")
    return record


def _vcf_build(header: tuple[str, ...], path: str) -> str | None:
    try:
        return parse_header(list(header), path).resolve_build(None, path)[0].value
    except Her2scopeError:
        return None


def _vcf_record(table: Table, name: str, path: str) -> Callable[[Row], GeneRecord | None] | None:
    layout = csq_layout(table.header)
    if not layout:
        return None     # no VEP annotation: nothing to say about other genes
    build = _vcf_build(table.header, path)

    def record(row: Row) -> GeneRecord | None:
        cols = row.cells
        if len(cols) < 8:
            return None
        for f in csq_entries(parse_info(cols[7]), layout):
            if not f.get("SYMBOL") or f.get("SYMBOL") == "ERBB2" or not f.get("HGVSp"):
                continue
            start = _coordinate(cols[1])
            return GeneRecord(f["SYMBOL"], _vep_class(f.get("Consequence", ""), cols[3], cols[4]),
                              short_protein(f["HGVSp"]), cols[0].removeprefix("chr"), start,
                              start + len(cols[3]) - 1 if start else 0, build, f"{name} record {row.record}")
        return None
    return record


def read_gene_records(path: str, summary: FileSummary) -> Iterator[GeneRecord]:
    """The records of ``path`` (MAF, VCF or BCF; any other format gives none). Raises a
    ``Her2scopeError`` when the file is damaged, after the records before the damage."""
    name = os.path.basename(path)
    table = read_rows(path)
    summary.format = table.format or summary.format
    convert: Callable[[Row], GeneRecord | None] | None
    if table.format == "MAF":
        convert = _maf_record(table, name)
    elif table.format in ("VCF", "BCF"):     # BCF rows are its records as VCF text
        convert = _vcf_record(table, name, path)
    else:
        convert = None
    if convert is None:
        return
    for row in table.rows:
        summary.records = row.record
        found = convert(row)
        if found is not None:
            yield found
