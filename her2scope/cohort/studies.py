"""Find the files of a study: a cBioPortal study folder, or a plain MAF with an optional
clinical TSV. Only headers are read here; the data are streamed by ``importer``.

cBioPortal folder: ``meta_study.txt``; ``data_mutations*.txt[.gz]`` (MAF); optional
``data_clinical_sample.txt``, ``data_clinical_patient.txt``, ``data_gene_panel_matrix.txt`` with
gene panel files (``stable_id:`` / ``gene_list:``), ``case_lists/*sequenced*.txt``,
``data_sv.txt`` (fusions), ``data_CNA.txt`` (discrete copy number: ``Hugo_Symbol`` and/or
``Entrez_Gene_Id``, then one column per sample, values -2..2, ``NA`` = not profiled).
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .errors import StudyFileError

DEMO_NAME = "demo"
WHOLE_EXOME_IDS = frozenset({"WES", "WXS", "WGS", "WHOLE_EXOME", "WHOLE_GENOME"})


def demo_path() -> Path:
    """The bundled TCGA LUAD + LUSC study (cBioPortal layout)."""
    return Path(str(resources.files("her2scope.cohort") / "data" / "tcga_lung_firehose"))


@dataclass(frozen=True)
class TableFile:
    """A tab-separated file: where its header is and what columns it has."""

    path: Path
    header_line: int          # 1-based line number of the column header
    columns: tuple[str, ...]

    @property
    def skip(self) -> int:
        return self.header_line - 1

    def column(self, *names: str) -> str | None:
        """The first of ``names`` present (case-insensitive), as spelled in the file."""
        lower = {c.lower(): c for c in self.columns}
        for n in names:
            if n.lower() in lower:
                return lower[n.lower()]
        return None


@dataclass(frozen=True)
class Study:
    name: str
    root: Path
    kind: str                                   # "cbioportal" | "maf"
    mutations: tuple[TableFile, ...]
    clinical_sample: TableFile | None = None
    clinical_patient: TableFile | None = None
    gene_panel_matrix: TableFile | None = None
    gene_panels: dict[str, frozenset[str]] = field(default_factory=dict)
    sequenced_case_list: frozenset[str] | None = None
    sv: TableFile | None = None
    cna: TableFile | None = None               # data_CNA.txt (discrete copy number, genes x samples)
    meta: dict[str, str] = field(default_factory=dict)


def open_text(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", errors="replace", newline="")
    return open(path, encoding="utf-8", errors="replace", newline="")


def sniff_table(path: Path, required: tuple[str, ...] = ()) -> TableFile:
    """Skip leading '#' lines, read the header; ``required`` are alternatives-free column names."""
    if not path.is_file():
        raise StudyFileError(path, "file not found")
    try:
        with open_text(path) as fh:
            for n, line in enumerate(fh, start=1):
                if line.startswith("#"):
                    continue
                cols = tuple(c.strip() for c in line.rstrip("\r\n").split("\t"))
                break
            else:
                raise StudyFileError(path, "no header line (empty file?)")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise StudyFileError(path, f"cannot be read: {exc}") from exc
    table = TableFile(path, n, cols)
    missing = [r for r in required if table.column(r) is None]
    if missing:
        raise StudyFileError(path, f"missing column(s) {', '.join(missing)}; header is: "
                             + ", ".join(cols[:20]), n)
    if len(set(c.lower() for c in cols)) != len(cols):
        raise StudyFileError(path, "duplicate column names in the header", n)
    return table


def read_meta(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        if ":" not in line:
            raise StudyFileError(path, "expected 'key: value'", n)
        k, v = line.split(":", 1)
        out[k.strip()] = v.strip()
    return out


def _gene_panel(path: Path) -> tuple[str, frozenset[str]]:
    meta = read_meta(path)
    if "stable_id" not in meta or "gene_list" not in meta:
        raise StudyFileError(path, "a gene panel file needs 'stable_id:' and 'gene_list:'")
    genes = frozenset(g.strip().upper() for g in meta["gene_list"].split("\t") if g.strip())
    return meta["stable_id"], genes


def _case_list(root: Path) -> frozenset[str] | None:
    folder = root / "case_lists"
    if not folder.is_dir():
        return None
    for p in sorted(folder.glob("*.txt")):
        meta = read_meta(p)
        if meta.get("stable_id", "").endswith("_sequenced"):
            if "case_list_ids" not in meta:
                raise StudyFileError(p, "no 'case_list_ids:' line")
            return frozenset(s.strip() for s in meta["case_list_ids"].split("\t") if s.strip())
    return None


MAF_REQUIRED = ("Hugo_Symbol", "Tumor_Sample_Barcode")
CNA_GENE_COLUMNS = ("Hugo_Symbol", "Entrez_Gene_Id")     # non-sample columns of data_CNA.txt


def open_study(path: str | Path, clinical: str | Path | None = None) -> Study:
    """A cBioPortal folder, ``demo``, or a MAF file (with ``clinical``: a sample TSV)."""
    if str(path) == DEMO_NAME:
        path = demo_path()
    p = Path(path)
    if p.is_file():
        maf = sniff_table(p, MAF_REQUIRED)
        clin = sniff_table(Path(clinical), ()) if clinical else None
        if clin is not None and clin.column("SAMPLE_ID", "Tumor_Sample_Barcode") is None:
            raise StudyFileError(clin.path, "needs a SAMPLE_ID (or Tumor_Sample_Barcode) column",
                                 clin.header_line)
        return Study(p.name, p.parent, "maf", (maf,), clinical_sample=clin)
    if not p.is_dir():
        raise StudyFileError(p, "no such study folder or MAF file")
    meta_path = p / "meta_study.txt"
    meta = read_meta(meta_path) if meta_path.is_file() else {}
    mafs = sorted(x for x in p.iterdir() if x.name.startswith("data_mutations")
                  and x.name.endswith((".txt", ".txt.gz", ".maf", ".maf.gz")))
    if not mafs:
        raise StudyFileError(p, "no data_mutations*.txt (MAF) in the study folder")
    sample = p / "data_clinical_sample.txt"
    patient = p / "data_clinical_patient.txt"
    matrix = p / "data_gene_panel_matrix.txt"
    panels: dict[str, frozenset[str]] = {}
    for gp in sorted(list(p.glob("data_gene_panel_*.txt")) + list(p.glob("gene_panels/*.txt"))):
        if gp.name == matrix.name:
            continue
        pid, genes = _gene_panel(gp)
        panels[pid] = genes
    sv = p / "data_sv.txt"
    cna = p / "data_CNA.txt"
    if not cna.is_file() and (p / "data_CNA.txt.gz").is_file():
        cna = p / "data_CNA.txt.gz"
    cna_table = None
    if cna.is_file():
        cna_table = sniff_table(cna, ())
        if cna_table.column(*CNA_GENE_COLUMNS) is None:
            raise StudyFileError(cna, "a discrete copy-number matrix needs a Hugo_Symbol or Entrez_Gene_Id "
                                 "column", cna_table.header_line)
    return Study(
        name=meta.get("cancer_study_identifier", p.name), root=p, kind="cbioportal",
        mutations=tuple(sniff_table(m, MAF_REQUIRED) for m in mafs),
        clinical_sample=sniff_table(sample, ("SAMPLE_ID", "PATIENT_ID")) if sample.is_file() else None,
        clinical_patient=sniff_table(patient, ("PATIENT_ID",)) if patient.is_file() else None,
        gene_panel_matrix=sniff_table(matrix, ("SAMPLE_ID",)) if matrix.is_file() else None,
        gene_panels=panels, sequenced_case_list=_case_list(p),
        sv=sniff_table(sv, ("Sample_Id",)) if sv.is_file() else None, cna=cna_table, meta=meta)
