"""Find the files of a study: a cBioPortal study folder, or a plain MAF with an optional
clinical TSV. Only headers (and meta files) are read here; the data are streamed by ``importer``.

cBioPortal folder (the datahub layout): every data file is found through its meta file's
``data_filename`` (``meta_*.txt``: ``genetic_alteration_type`` + ``datatype`` say what it is), as
cBioPortal itself loads a study; a role without a meta file falls back to the usual file names,
matched case-insensitively (``data_mutations.txt``, ``data_mutations_extended.txt``,
``data_cna.txt`` = ``data_CNA.txt``, ``data_sv.txt``, ``data_clinical_sample.txt``,
``data_clinical_patient.txt``, ``data_gene_panel_matrix.txt``). Gene panel files
(``data_gene_panel_*.txt``, ``gene_panels/*.txt``: ``stable_id:`` / ``gene_list:``) and
``case_lists/*_sequenced.txt`` are read by content. ONE mutation file is read (the one the meta
file names): a second MAF in the folder (an ``_extended`` copy, a lifted-over copy) is listed as
not read, with a warning, never concatenated (that would count every variant twice).

Every file used and every file not read is listed (``Study.files`` / ``Study.ignored``), and the
output of every command shows them.
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
LFS_POINTER = "version https://git-lfs.github.com/spec/"
SEQUENCED_SAMPLES = "#sequenced_samples:"          # MAF comment line: every sample sequenced


def demo_path() -> Path:
    """The bundled TCGA LUAD + LUSC study (cBioPortal layout)."""
    return Path(str(resources.files("her2scope.cohort") / "data" / "tcga_lung_firehose"))


@dataclass(frozen=True)
class TableFile:
    """A tab-separated file: where its header is and what columns it has."""

    path: Path
    header_line: int          # 1-based line number of the column header
    columns: tuple[str, ...]  # a nameless header field is called _unnamed_<n> (n = 1-based column)
    sequenced_samples: frozenset[str] | None = None   # a MAF's '#sequenced_samples:' line

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
class FileUse:
    """A file the analysis reads, and why this one."""

    role: str                 # mutations, cna, sv, clinical_sample, clinical_patient, gene_panel_matrix, ...
    name: str                 # path relative to the study folder
    found_by: str             # e.g. "meta_cna.txt data_filename" or "usual name"


@dataclass(frozen=True)
class Study:
    name: str
    root: Path
    kind: str                                   # "cbioportal" | "maf"
    mutations: tuple[TableFile, ...]
    clinical_sample: TableFile | None = None
    clinical_patient: TableFile | None = None
    gene_panel_matrix: TableFile | None = None
    gene_panels: dict[str, frozenset[str]] = field(default_factory=dict)   # panel id (upper case) -> genes
    sequenced_case_list: frozenset[str] | None = None
    sv: TableFile | None = None
    cna: TableFile | None = None               # discrete copy number, genes x samples
    meta: dict[str, str] = field(default_factory=dict)
    files: tuple[FileUse, ...] = ()
    ignored: tuple[tuple[str, str], ...] = ()  # (file name, why it is not read)
    warnings: tuple[str, ...] = ()

    @property
    def sequenced_samples(self) -> frozenset[str] | None:
        """Samples listed on the MAF's '#sequenced_samples:' line (sequenced, with or without a call)."""
        sets = [t.sequenced_samples for t in self.mutations if t.sequenced_samples is not None]
        return frozenset().union(*sets) if sets else None


def open_text(path: Path):
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path), encoding="utf-8", errors="replace", newline="")
    return open(path, encoding="utf-8", errors="replace", newline="")


def _sequenced(line: str) -> frozenset[str] | None:
    if line.lower().startswith(SEQUENCED_SAMPLES):
        return frozenset(line[len(SEQUENCED_SAMPLES):].split())
    return None


def sniff_table(path: Path, required: tuple[str, ...] = ()) -> TableFile:
    """Skip leading '#' lines (keeping a '#sequenced_samples:' line), read the header."""
    if not path.is_file():
        raise StudyFileError(path, "file not found")
    sequenced = None
    try:
        with open_text(path) as fh:
            for n, line in enumerate(fh, start=1):
                if n == 1 and line.startswith(LFS_POINTER):
                    raise StudyFileError(path, "is a Git LFS pointer, not the data (clone the study with "
                                         "git-lfs, or download it from cBioPortal)", 1)
                if line.startswith("#"):
                    sequenced = _sequenced(line.rstrip("\r\n")) or sequenced
                    continue
                raw = tuple(c.strip() for c in line.rstrip("\r\n").split("\t"))
                break
            else:
                raise StudyFileError(path, "no header line (empty file?)")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise StudyFileError(path, f"cannot be read: {exc}") from exc
    # A nameless header field (e.g. the index column pandas writes) gets a name of its own, so
    # the rest of the file is read and the column can be named in messages.
    cols = tuple(c if c else f"_unnamed_{i}" for i, c in enumerate(raw, start=1))
    table = TableFile(path, n, cols, sequenced)
    missing = [r for r in required if table.column(r) is None]
    if missing:
        raise StudyFileError(path, f"missing column(s) {', '.join(missing)}; header is: "
                             + ", ".join(raw[:20]), n)
    seen: dict[str, int] = {}
    for i, c in enumerate(cols, start=1):
        if c.lower() in seen:
            raise StudyFileError(path, f"column name {c!r} appears twice in the header (columns "
                                 f"{seen[c.lower()]} and {i})", n, column=c)
        seen[c.lower()] = i
    return table


def read_meta(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StudyFileError(path, f"cannot be read: {exc}") from exc
    if text.startswith(LFS_POINTER):
        raise StudyFileError(path, "is a Git LFS pointer, not the file (clone the study with git-lfs, "
                             "or download it from cBioPortal)", 1)
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if ":" not in line:
            raise StudyFileError(path, "expected 'key: value'", n)
        k, v = line.split(":", 1)
        out[k.strip()] = v.strip()
    return out


def _meta_line(path: Path, key: str) -> int | None:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.split(":", 1)[0].strip() == key:
            return n
    return None


def _gene_panel(path: Path) -> tuple[str, frozenset[str]]:
    meta = read_meta(path)
    if "stable_id" not in meta or "gene_list" not in meta:
        raise StudyFileError(path, "a gene panel file needs 'stable_id:' and 'gene_list:'")
    genes = frozenset(g.strip().upper() for g in meta["gene_list"].split("\t") if g.strip())
    return meta["stable_id"].upper(), genes


def _case_list(root: Path) -> tuple[frozenset[str] | None, str | None]:
    folder = root / "case_lists"
    if not folder.is_dir():
        return None, None
    for p in sorted(folder.glob("*.txt")):
        meta = read_meta(p)
        if meta.get("stable_id", "").endswith("_sequenced"):
            if "case_list_ids" not in meta:
                raise StudyFileError(p, "no 'case_list_ids:' line")
            return frozenset(s.strip() for s in meta["case_list_ids"].split("\t") if s.strip()), \
                f"case_lists/{p.name}"
    return None, None


MAF_REQUIRED = ("Hugo_Symbol", "Tumor_Sample_Barcode")
CNA_GENE_COLUMNS = ("Hugo_Symbol", "Entrez_Gene_Id")     # non-sample columns of data_CNA.txt

# (genetic_alteration_type, datatype) of a meta file -> the role of its data file.
META_ROLES = {
    ("MUTATION_EXTENDED", "MAF"): "mutations",
    ("COPY_NUMBER_ALTERATION", "DISCRETE"): "cna",
    ("STRUCTURAL_VARIANT", "SV"): "sv",
    ("CLINICAL", "SAMPLE_ATTRIBUTES"): "clinical_sample",
    ("CLINICAL", "PATIENT_ATTRIBUTES"): "clinical_patient",
    ("GENE_PANEL_MATRIX", "GENE_PANEL_MATRIX"): "gene_panel_matrix",
}
# Without a meta file: the usual names, in order of preference (compared in lower case).
USUAL_NAMES = {
    "mutations": ("data_mutations.txt", "data_mutations_extended.txt", "data_mutations.txt.gz",
                  "data_mutations_extended.txt.gz"),
    "cna": ("data_cna.txt", "data_cna.txt.gz"),
    "sv": ("data_sv.txt",),
    "clinical_sample": ("data_clinical_sample.txt",),
    "clinical_patient": ("data_clinical_patient.txt",),
    "gene_panel_matrix": ("data_gene_panel_matrix.txt",),
}
REQUIRED = {"mutations": MAF_REQUIRED, "clinical_sample": ("SAMPLE_ID",), "clinical_patient": ("PATIENT_ID",),
            "gene_panel_matrix": ("SAMPLE_ID",), "sv": ("Sample_Id",), "cna": ()}


def _is_mutation_file(name: str) -> bool:
    low = name.lower()
    return low.startswith("data_mutations") and low.endswith((".txt", ".txt.gz", ".maf", ".maf.gz"))


def _is_meta(name: str) -> bool:
    low = name.lower()
    return low.endswith(".txt") and (low.startswith("meta_") or "_meta_" in low)


def _by_lower_name(root: Path) -> dict[str, Path]:
    return {p.name.lower(): p for p in sorted(root.iterdir()) if p.is_file()}


def _resolve(root: Path, meta_path: Path, name: str, warnings: list[str]) -> Path:
    """The data file a meta file names: exactly, else the one file whose name differs only in case."""
    p = root / name
    if p.is_file():
        return p
    alike = [q for q in sorted(root.iterdir()) if q.is_file() and q.name.lower() == Path(name).name.lower()]
    if len(alike) == 1 and "/" not in name:
        warnings.append(f"{meta_path.name} names {name}; read {alike[0].name} (same name in another case)")
        return alike[0]
    raise StudyFileError(meta_path, f"data_filename names {name!r}, which is not in the study folder",
                         _meta_line(meta_path, "data_filename"), column="data_filename")


def _from_meta(root: Path, warnings: list[str], ignored: list[tuple[str, str]]) -> dict[str, tuple[Path, str]]:
    found: dict[str, list[tuple[Path, Path, dict[str, str]]]] = {}
    for mp in sorted((p for p in root.iterdir() if p.is_file() and _is_meta(p.name)), key=lambda p: p.name):
        if mp.name.lower() == "meta_study.txt":
            continue
        meta = read_meta(mp)
        kind = (meta.get("genetic_alteration_type", "").upper(), meta.get("datatype", "").upper())
        role = META_ROLES.get(kind)
        if role is None:
            ignored.append((mp.name, f"{'/'.join(k for k in kind if k) or 'no genetic_alteration_type'}: "
                                     "not read by her2scope"))
            continue
        if not meta.get("data_filename"):
            raise StudyFileError(mp, "no 'data_filename:' line", column="data_filename")
        found.setdefault(role, []).append((mp, _resolve(root, mp, meta["data_filename"], warnings), meta))
    chosen: dict[str, tuple[Path, str]] = {}
    for role, entries in found.items():
        # one file per role; for mutations the profile cBioPortal calls "mutations" first
        entries.sort(key=lambda e: (e[2].get("stable_id", "").lower() != "mutations", e[0].name))
        mp, data, _ = entries[0]
        chosen[role] = (data, f"{mp.name} data_filename")
        for other_meta, other, _ in entries[1:]:
            if other != data:
                why = f"{other_meta.name} is a second {role} profile; {data.name} ({mp.name}) is read"
                ignored.append((other.name, why))
                warnings.append(f"{other.name} not read: {why}")
    return chosen


def _files_of_folder(root: Path) -> tuple[dict[str, tuple[Path, str]], list[str], list[tuple[str, str]]]:
    warnings: list[str] = []
    ignored: list[tuple[str, str]] = []
    chosen = _from_meta(root, warnings, ignored)
    names = _by_lower_name(root)
    for role, usual in USUAL_NAMES.items():
        if role in chosen:
            continue
        hit = next((names[u] for u in usual if u in names), None)
        if hit is None and role == "mutations":
            hit = next((p for low, p in names.items() if _is_mutation_file(low)), None)
        if hit is not None:
            chosen[role] = (hit, "usual name (no meta file)")
    used = {p.resolve() for p, _ in chosen.values()}
    for low, p in names.items():            # data files that look like ours but are not read: say so
        if p.resolve() in used:
            continue
        if _is_mutation_file(low):
            m = chosen.get("mutations")
            why = (f"only one mutation file is read ({m[0].name}, {m[1]}); reading both would count "
                   "every variant twice" if m else "not a mutation file her2scope reads")
            ignored.append((p.name, why))
            warnings.append(f"{p.name} not read: {why}")
        elif low in USUAL_NAMES["cna"] and "cna" in chosen:
            why = f"the copy-number file read is {chosen['cna'][0].name} ({chosen['cna'][1]})"
            ignored.append((p.name, why))
            warnings.append(f"{p.name} not read: {why}")
        elif low.startswith("data_") and not low.startswith("data_gene_panel_"):
            ignored.append((p.name, "not read by her2scope"))
    return chosen, warnings, ignored


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
        files = [FileUse("mutations", p.name, "command line")]
        if clin is not None:
            files.append(FileUse("clinical_sample", str(clin.path), "--clinical"))
        return Study(p.name, p.parent, "maf", (maf,), clinical_sample=clin, files=tuple(files))
    if not p.is_dir():
        raise StudyFileError(p, "no such study folder or MAF file")
    names = _by_lower_name(p)
    meta_path = names.get("meta_study.txt")
    meta = read_meta(meta_path) if meta_path else {}
    chosen, warnings, ignored = _files_of_folder(p)
    if "mutations" not in chosen:
        raise StudyFileError(p, "no mutation file: no meta file with genetic_alteration_type MUTATION_EXTENDED "
                             "and no data_mutations*.txt (MAF) in the study folder")
    tables = {role: sniff_table(path_, REQUIRED[role]) for role, (path_, _) in chosen.items()}
    sample, patient = tables.get("clinical_sample"), tables.get("clinical_patient")
    if sample is not None and patient is not None and sample.column("PATIENT_ID") is None:
        # Without it no sample reaches its patient row: every patient attribute (stage, smoking,
        # survival) would read as unknown instead of the study being refused.
        raise StudyFileError(sample.path, f"needs a PATIENT_ID column to link its samples to "
                             f"{patient.path.name}", sample.header_line)
    cna = tables.get("cna")
    if cna is not None and cna.column(*CNA_GENE_COLUMNS) is None:
        raise StudyFileError(cna.path, "a discrete copy-number matrix needs a Hugo_Symbol or Entrez_Gene_Id "
                             "column", cna.header_line)
    files = [FileUse(role, path_.name, how) for role, (path_, how) in sorted(chosen.items())]
    if meta_path:
        files.insert(0, FileUse("study", meta_path.name, "usual name"))
    panels: dict[str, frozenset[str]] = {}
    matrix = chosen.get("gene_panel_matrix", (None,))[0]
    for gp in sorted([q for low, q in names.items() if low.startswith("data_gene_panel_")]
                     + list(p.glob("gene_panels/*.txt"))):
        if matrix is not None and gp.resolve() == matrix.resolve() or gp.name.lower().startswith(
                "data_gene_panel_matrix"):
            continue
        pid, genes = _gene_panel(gp)
        panels[pid] = genes
        files.append(FileUse("gene_panel", str(gp.relative_to(p)), f"gene panel {pid}"))
    cases, case_file = _case_list(p)
    if case_file:
        files.append(FileUse("sequenced_case_list", case_file, "stable_id ending in _sequenced"))
    return Study(
        name=meta.get("cancer_study_identifier", p.name), root=p, kind="cbioportal",
        mutations=(tables["mutations"],), clinical_sample=tables.get("clinical_sample"),
        clinical_patient=tables.get("clinical_patient"), gene_panel_matrix=tables.get("gene_panel_matrix"),
        gene_panels=panels, sequenced_case_list=cases, sv=tables.get("sv"), cna=cna, meta=meta,
        files=tuple(files), ignored=tuple(ignored), warnings=tuple(warnings))
