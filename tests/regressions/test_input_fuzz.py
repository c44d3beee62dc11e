"""Issue 8 (acceptance, "a 3,000-mutant input fuzzer"): damaged inputs never crash or hang
annotate, and every output line is valid JSON carrying the output contract.

Valid small inputs (pipeline VCFs and a GDC MAF from tests/data/callers, the demo VCF and
TCGA MAF, a bgzipped VCF, a gzipped MAF) are mutated 3,000 times with a fixed seed: byte
flips, deleted / duplicated / swapped lines, truncation, swapped fields, hostile numbers,
huge fields, CRLF line ends, unicode, tabs turned to spaces, extra columns.  Each mutant is
annotated in this process (as ``her2scope annotate --format jsonl`` does) under a time limit.

On a failure the message names the seed, the mutation and the file written for it, so it can
be replayed with ``her2scope annotate FILE``.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import signal
from pathlib import Path

import pysam

from her2scope.pipeline import Options, annotate_inputs
from her2scope.readers.base import FileSummary
from her2scope.render.records import write_jsonl
from her2scope.result import CONTRACT_KEYS, ERROR_KEYS, EXTRA_KEYS

from conftest import DEMO

MUTANTS = 3000
SEED = 20240508
SECONDS_PER_RUN = 10      # generous: a run takes milliseconds; this only catches hangs
DATA = Path(__file__).resolve().parents[1] / "data" / "callers"

HOSTILE = ["inf", "-inf", "nan", "NaN", "1e400", "-1", "-0", "99999999999999999999", "1.5", "",
           ".", "0", "²", "٣", "1_000", "0x1F", "+5", " 7", "1e-400", "Infinity", "9" * 5000]
NAMES = ["p.S99999999999999F", "p.?", "p.(=)", "p.Ter1255Lysext*?", "c.-99999999999_+9999999999del",
         "p.A775_G776insYVMA" * 50, "p.0", "p.M1?", "p.X", "%", "p.Ala771_Tyr772ins" + "Ala" * 3000,
         "c.2313_2324dup", "NM_004448.4:c.2313_2324dup", "p.771_771A>AYVMA", "p.G776VinsC", "p.",
         "ENSP00000269571.5:p.Ala771_Tyr772insTyrValMetAla", "p.Y772_A775dup%3D", "c.929C>T|x",
         "p.Ser310Phe,p.Ser310Tyr", "NC_000017.11:g.39711955C>T", "p.L755_T759del" * 2, "p.*1256W",
         "c.2313_2324dup" + "9" * 5000, "p.S" + "9" * 5000 + "F", "p.Ser" + "9" * 5000 + "Phe"]
UNICODE = ["é", "\u200b", "\ufeff", "😀", "\x00", "\x1f", "\u2028", "\u0085", "\ud800", "ß", "Ⅳ", "\t"]

# A snpEff-annotated single-sample VCF (ANN layout as snpEff writes its header).
SNPEFF = "\n".join([
    "##fileformat=VCFv4.2",
    "##reference=GRCh38",
    "##contig=<ID=chr17,length=83257441>",
    "##SnpEffVersion=\"5.1d (build 2022-04-19 15:49), by Pablo Cingolani\"",
    "##INFO=<ID=ANN,Number=.,Type=String,Description=\"Functional annotations: 'Allele | Annotation | "
    "Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | "
    "HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | "
    "ERRORS / WARNINGS / INFO'\">",
    '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
    '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
    "\t".join(["#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT", "S1"]),
    "\t".join(["chr17", "39723967", ".", "T", "C", "60", "PASS",
                "ANN=C|missense_variant|MODERATE|ERBB2|ENSG00000141736|transcript|NM_004448.4|"
                "protein_coding|19/27|c.2264T>C|p.Leu755Ser|2439/4557|2264/3768|755/1255||",
                "GT:AD", "0/1:70,30"]),
]) + "\n"


def _seeds() -> dict[str, bytes]:
    seeds = {p.name: p.read_bytes() for p in sorted(DATA.iterdir())}
    seeds["patient01_yvma_grch38.vcf"] = (DEMO / "patient01_yvma_grch38.vcf").read_bytes()
    seeds["patient03_split_l755p_grch38.vcf"] = (DEMO / "patient03_split_l755p_grch38.vcf").read_bytes()
    seeds["patient04_tcga_luad_erbb2.maf"] = (DEMO / "patient04_tcga_luad_erbb2.maf").read_bytes()
    seeds["snpeff_ann.vcf"] = SNPEFF.encode()
    return seeds


def _bgzip(data: bytes, tmp: Path) -> bytes:
    src, dst = tmp / "seed.vcf", tmp / "seed.vcf.gz"
    src.write_bytes(data)
    pysam.tabix_compress(str(src), str(dst), force=True)
    return dst.read_bytes()


# --------------------------------------------------------------------------------------------
# Mutations on text (lines and tab-separated fields) and on bytes
# --------------------------------------------------------------------------------------------

def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _data_line(rng: random.Random, lines: list[bytes]) -> int:
    """Index of a data line (or any line when there is none)."""
    data = [i for i, line in enumerate(lines) if line and not line.startswith(b"#")]
    return rng.choice(data) if data else rng.randrange(len(lines))


def _set_field(rng: random.Random, data: bytes, value: bytes) -> bytes:
    lines = _lines(data)
    i = _data_line(rng, lines)
    cols = lines[i].split(b"\t")
    j = rng.randrange(len(cols))
    if b":" in cols[j] and rng.random() < 0.6:       # a FORMAT/sample sub-field
        subs = cols[j].split(b":")
        k = rng.randrange(len(subs))
        if b"," in subs[k] and rng.random() < 0.5:
            parts = subs[k].split(b",")
            parts[rng.randrange(len(parts))] = value
            subs[k] = b",".join(parts)
        else:
            subs[k] = value
        cols[j] = b":".join(subs)
    elif b"|" in cols[j] and rng.random() < 0.7:     # a VEP CSQ / snpEff ANN sub-field
        subs = cols[j].split(b"|")
        subs[rng.randrange(len(subs))] = value
        cols[j] = b"|".join(subs)
    elif b";" in cols[j] and b"=" in cols[j] and rng.random() < 0.7:   # an INFO value
        items = cols[j].split(b";")
        k = rng.randrange(len(items))
        key = items[k].split(b"=", 1)[0]
        items[k] = key + b"=" + value
        cols[j] = b";".join(items)
    else:
        cols[j] = value
    lines[i] = b"\t".join(cols)
    return b"\n".join(lines)


def m_flip(rng, data):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if b:
            b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def m_delete_line(rng, data):
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def m_duplicate_line(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"\n".join(lines)


def m_swap_lines(rng, data):
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def m_truncate(rng, data):
    return data[:rng.randrange(len(data) + 1)]


def m_swap_fields(rng, data):
    lines = _lines(data)
    i = _data_line(rng, lines)
    cols = lines[i].split(b"\t")
    a, b = rng.randrange(len(cols)), rng.randrange(len(cols))
    cols[a], cols[b] = cols[b], cols[a]
    lines[i] = b"\t".join(cols)
    return b"\n".join(lines)


def m_hostile_number(rng, data):
    return _set_field(rng, data, rng.choice(HOSTILE).encode("utf-8", "surrogatepass"))


def m_odd_name(rng, data):
    return _set_field(rng, data, rng.choice(NAMES).encode())


def m_huge_field(rng, data):
    value = rng.choice([b"A" * 200_000, b"9" * 50_000, b"," * 20_000, b"0/1:" * 10_000,
                        b"GCATACGTGATG" * 5_000])
    return _set_field(rng, data, value)


def m_crlf(rng, data):
    if rng.random() < 0.5:
        return data.replace(b"\n", b"\r\n")
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] += rng.choice([b"\r", b"\r\r", b" ", b"\t"])
    return b"\n".join(lines)


def m_unicode(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    text = lines[i].decode("utf-8", "replace")
    at = rng.randrange(len(text) + 1)
    char = rng.choice(UNICODE)
    lines[i] = (text[:at] + char + text[at:]).encode("utf-8", "surrogatepass")
    return b"\n".join(lines)


def m_spaces(rng, data):
    lines = _lines(data)
    i = _data_line(rng, lines)
    lines[i] = lines[i].replace(b"\t", b" ")
    return b"\n".join(lines)


def m_extra_column(rng, data):
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines[i] += rng.choice([b"\tX", b"\t", b"\t\t\t"])
    return b"\n".join(lines)


def m_drop_header(rng, data):
    lines = [line for line in _lines(data)
             if not (line.startswith(b"#") and rng.random() < 0.3)]
    return b"\n".join(lines)


TEXT_MUTATIONS = [m_flip, m_delete_line, m_duplicate_line, m_swap_lines, m_truncate, m_swap_fields,
                  m_hostile_number, m_hostile_number, m_hostile_number, m_odd_name, m_odd_name,
                  m_huge_field, m_crlf,
                  m_unicode, m_spaces, m_extra_column, m_drop_header]


def _mutants(tmp: Path):
    """(label, file name, bytes) for every mutant, reproducibly."""
    rng = random.Random(SEED)
    seeds = _seeds()
    names = sorted(seeds)
    bgzipped = _bgzip(seeds["mutect2_tn_yvma_grch38.vcf"], tmp)
    gz_maf = gzip.compress(seeds["gdc_masked_somatic_yvma_grch38.maf"], mtime=0)
    for n in range(MUTANTS):
        kind = rng.random()
        if kind < 0.06:       # damage the compressed bytes themselves
            data = m_truncate(rng, bgzipped) if rng.random() < 0.5 else m_flip(rng, bgzipped)
            yield f"#{n} bgzip bytes", "m.vcf.gz", data
            continue
        if kind < 0.09:
            data = m_truncate(rng, gz_maf) if rng.random() < 0.5 else m_flip(rng, gz_maf)
            yield f"#{n} gzip MAF bytes", "m.maf.gz", data
            continue
        seed_name = rng.choice(names)
        data = seeds[seed_name]
        steps = []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            mutate = rng.choice(TEXT_MUTATIONS)
            data = mutate(rng, data)
            steps.append(mutate.__name__)
        label = f"#{n} {seed_name}: {', '.join(steps)}"
        if kind < 0.15:       # the mutated text, bgzipped as a pipeline would ship it
            yield label + " (bgzipped)", "m.vcf.gz", _bgzip(data, tmp)
        else:
            yield label, "m" + Path(seed_name).suffix, data


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------

class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"no result within {SECONDS_PER_RUN} s")


def _no_constants(name):
    raise ValueError(f"{name} is not JSON")


def _check_line(text: str, path: str) -> None:
    d = json.loads(text, parse_constant=_no_constants)
    assert isinstance(d, dict), text
    assert d["input"] == path
    if "error" in d:
        assert tuple(d) == ERROR_KEYS, d
        assert d["record"] is None or (type(d["record"]) is int and d["record"] >= 1), d
        assert isinstance(d["error"], str) and d["error"] and " " not in d["error"], d
        assert isinstance(d["message"], str) and d["message"].strip(), d
        return
    assert set(CONTRACT_KEYS + EXTRA_KEYS) <= set(d), sorted(set(CONTRACT_KEYS + EXTRA_KEYS) - set(d))
    assert (d["gene"], d["chrom"]) == ("ERBB2", "17"), d
    assert type(d["record"]) is int and d["record"] >= 1, d
    assert d["sample"] is None or isinstance(d["sample"], str), d
    assert d["build"] in ("GRCh37", "GRCh38", None), d
    assert d["vaf"] is None or (isinstance(d["vaf"], (int, float)) and 0 <= d["vaf"] <= 1), d
    assert d["depth"] is None or (type(d["depth"]) is int and d["depth"] >= 0), d
    assert isinstance(d["evidence"], list) and isinstance(d["notes"], list), d
    if d["status"] == "annotated":
        assert d["protein_change"] is None or d["protein_change"].startswith("p."), d
        assert d["oncogenicity"] in ("oncogenic", "likely_oncogenic", "uncertain_significance",
                                     "likely_benign", "benign"), d


def _annotate(path: Path) -> list[str]:
    """The jsonl output, split the way a consumer would (str.splitlines also breaks at
    U+2028, U+0085 ...: a record holding those raw would fall apart)."""
    summaries: list[FileSummary] = []
    out = io.StringIO()
    write_jsonl(annotate_inputs([str(path)], Options(), summaries), out)
    assert len(summaries) == 1
    return out.getvalue().splitlines()


def test_3000_mutated_inputs_never_crash_hang_or_write_invalid_lines(tmp_path):
    previous = signal.signal(signal.SIGALRM, _alarm)
    failures: list[str] = []
    runs = 0
    try:
        for label, name, data in _mutants(tmp_path):
            path = tmp_path / f"{runs}-{name}"
            path.write_bytes(data)
            runs += 1
            signal.alarm(SECONDS_PER_RUN)
            try:
                texts = _annotate(path)
                for text in texts:
                    _check_line(text, str(path))
            except Exception as exc:   # noqa: BLE001 - every failure is collected and reported
                failures.append(f"{label} -> {path}: {type(exc).__name__}: {str(exc)[:300]}")
            finally:
                signal.alarm(0)
            if len(failures) >= 20:
                break
            if not failures:
                path.unlink()
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert not failures, f"{len(failures)} failing mutant(s):\n" + "\n".join(failures)
    assert runs == MUTANTS
