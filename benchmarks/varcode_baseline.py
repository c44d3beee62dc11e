"""varcode as a baseline for the 5,000-variant set, offline (issue 14).  Runs in her2scope's venv:
writes the local genome files varcode needs, calls `varcode_runner.py` with the python of a
separate varcode venv, and compares the protein changes.

The genome is NM_004448.4 alone, built from the bundled GRCh38 ERBB2 locus (not from
her2scope's transcript sequence): the cDNA is the locus bases of the transcript's exons, and the
benchmark refuses to run unless that cDNA equals the bundled NM_004448.4 and its CDS translates
to NP_004439.2 (the knowledge loader's check).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "varcode_runner.py"
GENE_ID = "ENSG00000141736"


def varcode_python() -> Path | None:
    """VARCODE_PYTHON, else a `varcode-venv` directory beside the checkout (the README's
    setup), else None (varcode is reported as not installed)."""
    explicit = os.environ.get("VARCODE_PYTHON")
    if explicit:
        return Path(explicit)
    beside = HERE.parent.parent / "varcode-venv" / "bin" / "python"
    return beside if beside.exists() else None


def write_inputs(folder: Path) -> tuple[Path, Path, Path]:
    """GTF (Ensembl layout: gene, transcript, exon, CDS without the stop, start/stop codons),
    transcript cDNA FASTA and protein FASTA for NM_004448.4 on GRCh38."""
    from her2scope.genome.builds import Build
    from her2scope.genome.locus import erbb2_locus
    from her2scope.genome.transcript import TxPoint, erbb2
    from her2scope.genome.translate import translate

    folder.mkdir(parents=True, exist_ok=True)
    tx, locus = erbb2(), erbb2_locus()
    exons = tx.exons[Build.GRCh38]
    cdna = "".join(locus.sequence(Build.GRCh38, ex.g_start, ex.g_end) or "" for ex in exons)
    protein = translate(cdna[tx.cds_start:tx.cds_end])
    if cdna != tx.mrna or protein != tx.protein + "*":
        raise SystemExit("the locus exons do not give NM_004448.4 / NP_004439.2: not running varcode")
    gtf, cdna_fa, protein_fa = folder / "erbb2.gtf", folder / "erbb2_cdna.fa", folder / "erbb2_protein.fa"
    cdna_fa.write_text(f">{tx.accession} cdna chromosome:GRCh38:17\n{_wrap(cdna)}")
    protein_fa.write_text(f">{tx.protein_accession} pep transcript:{tx.accession}\n{_wrap(protein[:-1])}")

    def g(i: int) -> int:          # 1-based genomic position of transcript index i
        return tx.to_genome(Build.GRCh38, TxPoint(i)) + 1

    rows = [("gene", exons[0].g_start + 1, exons[-1].g_end, ".", {}),
            ("transcript", exons[0].g_start + 1, exons[-1].g_end, ".", {})]
    cds0, cds1 = g(tx.cds_start), g(tx.cds_end - 4)     # CDS without the stop codon (GTF)
    done = 0
    for ex in exons:
        ids = {"exon_number": str(ex.number), "exon_id": f"{tx.accession}.exon{ex.number}"}
        rows.append(("exon", ex.g_start + 1, ex.g_end, ".", ids))
        a, b = max(ex.g_start + 1, cds0), min(ex.g_end, cds1)
        if a <= b:
            rows.append(("CDS", a, b, str((3 - done % 3) % 3), {**ids, "protein_id": tx.protein_accession}))
            done += b - a + 1
    rows.append(("start_codon", cds0, g(tx.cds_start + 2), "0", {}))
    rows.append(("stop_codon", g(tx.cds_end - 3), g(tx.cds_end - 1), "0", {}))
    with open(gtf, "w") as fh:
        for kind, a, b, frame, extra in rows:
            attrs = {"gene_id": GENE_ID, "gene_name": tx.gene, "gene_biotype": "protein_coding"}
            if kind != "gene":
                attrs |= {"transcript_id": tx.accession, "transcript_name": f"{tx.gene}-201",
                          "transcript_biotype": "protein_coding"}
            attrs |= extra
            text = " ".join(f'{k} "{v}";' for k, v in attrs.items())
            fh.write(f"17\tbenchmark\t{kind}\t{a}\t{b}\t.\t+\t{frame}\t{text}\n")
    return gtf, cdna_fa, protein_fa


def _wrap(seq: str) -> str:
    return "".join(seq[i:i + 60] + "\n" for i in range(0, len(seq), 60))


def run(python: Path, vcf: Path, folder: Path, runs: int) -> tuple[list[float], dict]:
    """Whole-process wall times of `varcode_runner.py annotate` (pandas/varcode import, genome
    from its on-disk index, load_vcf, effects) and the last run's output."""
    files = [str(p) for p in write_inputs(folder)]
    cache = str(folder / "pyensembl_cache")
    subprocess.run([str(python), str(RUNNER), "index", *files, cache], check=True, capture_output=True)
    out = folder / "effects.json"
    times = []
    for _ in range(runs + 1):            # the first is the untimed warm-up
        t = time.perf_counter()
        proc = subprocess.run([str(python), str(RUNNER), "annotate", *files, cache, str(vcf), str(out)],
                              capture_output=True, text=True)
        times.append(time.perf_counter() - t)
        if proc.returncode:
            raise SystemExit(f"varcode failed: {proc.stderr[-3000:]}")
    return times[1:], json.loads(out.read_text())


# -- agreement -----------------------------------------------------------------------------
_AA = r"([A-Z*])(\d+)"
_CHANGE = re.compile(rf"^p\.{_AA}(?:_{_AA})?(=|\?|del|dup|ins|delins|[A-Z*])([A-Z*]*)$")
_FS = re.compile(r"^p\.([A-Z])(\d+)[A-Z*]?fs")


def agreement(ours: list[dict], theirs: list[dict], protein: str) -> dict[str, tuple[int, int]]:
    """Per kind of change: (agreeing, compared), matching records by their VCF POS/REF/ALT.

    Frameshifts agree when both name the same first changed residue.  Every other protein
    change is applied to NP_004439.2 as each tool states it (her2scope's HGVS p. notation,
    varcode's offset + reference + alternate residues) and the two resulting proteins, up to
    their first stop, must be equal: so an in-frame indel that HGVS shifts 3' (p.V25_C26dup)
    agrees with varcode's unshifted p.26insVC, as it describes the same protein."""
    mine = {}
    for row in ours:
        cols = row["original"].split("\t")
        mine[(int(cols[1]), cols[3], cols[4])] = row
    tally: dict[str, list[int]] = {}
    for row in theirs:
        our = mine.get((row["pos"], row["ref"], row["alt"]))
        if our is None or not our.get("protein_change"):
            continue
        kind, same = _judge(our["protein_change"], our["consequence"], row, protein)
        counts = tally.setdefault(kind, [0, 0])
        counts[0] += same
        counts[1] += 1
    return {k: (v[0], v[1]) for k, v in sorted(tally.items())}


def _judge(change: str, consequence: str, row: dict, protein: str) -> tuple[str, bool]:
    frameshift = _FS.match(change)
    if frameshift:
        ref, pos = frameshift.groups()
        return "frameshift", (row["effect"].startswith("FrameShift") and row["aa_pos"] == int(pos)
                              and row["aa_ref"][:1] == ref)
    if change == "p.M1?" or change.endswith("ext*?") or row["effect"] in ("StartLoss", "StopLoss"):
        return "start/stop lost", change == "p.M1?" and row["effect"] == "StartLoss" or (
            "ext" in change and row["effect"] == "StopLoss")
    ours = _apply_hgvs(protein, change)
    kind = "in-frame indel" if "inframe" in consequence else "single residue"
    return kind, ours is not None and _stop(ours) == _stop(_apply_varcode(protein, row))


def _stop(seq: str) -> str:
    cut = seq.find("*")
    return seq if cut < 0 else seq[:cut + 1]


def _apply_hgvs(p: str, change: str) -> str | None:
    """NP_004439.2 (with its stop) after a p. change as her2scope writes it; None: not parsed."""
    m = _CHANGE.match(change)
    if m is None:
        return None
    _a, first, _b, last, op, new = m.groups()
    n = int(first)
    m_ = int(last) if last else n
    p = p + "*"
    if op == "=":
        return p
    if op == "del":
        return p[:n - 1] + p[m_:]
    if op == "dup":
        return p[:m_] + p[n - 1:m_] + p[m_:]
    if op == "ins":
        return p[:n] + new + p[n:]
    if op == "delins":
        return p[:n - 1] + new + p[m_:]
    return p[:n - 1] + op + p[n:]            # one residue (or * for a stop) replaced


def _apply_varcode(p: str, row: dict) -> str:
    p = p + "*"
    if row["effect"] == "Silent" or row["aa_pos"] is None:
        return p
    s = row["aa_pos"] - 1
    if row["effect"] in ("PrematureStop", "FrameShiftTruncation"):
        return p[:s] + row["aa_alt"] + "*"
    return p[:s] + row["aa_alt"] + p[s + len(row["aa_ref"]):]
