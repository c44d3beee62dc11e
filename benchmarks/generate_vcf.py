"""Synthetic VCFs for the speed benchmarks (deterministic for a given seed).

``write_genome_vcf``  a genome-wide, bgzipped, position-sorted VCF (default 1,000,000 records
                      on chr1-chr22, GRCh38) with ~20 real ERBB2 variants among them.
``write_panel_vcf``   a 500-record gene-panel VCF (plain text), 50 of them in ERBB2.

The background records are random (their REF bases are not the real genome's: nothing
checks bases outside ERBB2, and no background record is placed inside ERBB2).  Every ERBB2
record carries the true GRCh38 REF: ``ERBB2_VARIANTS`` below was derived from the
NM_004448.4 exons (MANE Select, identical to GRCh38), and ``check_erbb2_refs`` re-checks
each record against the bundled exon sequence before any file is written.

Usage: python benchmarks/generate_vcf.py [--records N] [--seed S] [--out DIR]
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

# GRCh38 primary assembly lengths (NCBI GRCh38.p14 assembly report, chr1..chr22, X, Y, M).
GRCH38_LENGTHS = {
    "chr1": 248_956_422, "chr2": 242_193_529, "chr3": 198_295_559, "chr4": 190_214_555,
    "chr5": 181_538_259, "chr6": 170_805_979, "chr7": 159_345_973, "chr8": 145_138_636,
    "chr9": 138_394_717, "chr10": 133_797_422, "chr11": 135_086_622, "chr12": 133_275_309,
    "chr13": 114_364_328, "chr14": 107_043_718, "chr15": 101_991_189, "chr16": 90_338_345,
    "chr17": 83_257_441, "chr18": 80_373_285, "chr19": 58_617_616, "chr20": 64_444_167,
    "chr21": 46_709_983, "chr22": 50_818_468, "chrX": 156_040_895, "chrY": 57_227_415,
    "chrM": 16_569,
}
AUTOSOMES = [f"chr{i}" for i in range(1, 23)]

# ERBB2 (NM_004448.4) on GRCh38, 1-based inclusive.  Background records keep clear of it
# (with a margin, so no background deletion can reach into it).
ERBB2_START, ERBB2_END = 39_700_064, 39_728_658
ERBB2_MARGIN = 1_000

# Real ERBB2 variants (cancerhotspots v2 / the bundled knowledge base), GRCh38 VCF style.
# (POS, REF, ALT, protein change, c. change).  One change per codon, so none of them is
# rejoined with another; L755_T759del is left out because it overlaps L755S.
ERBB2_VARIANTS = [
    (39708403, "G", "A", "p.R103Q", "c.308G>A"),
    (39710409, "G", "T", "p.D277Y", "c.829G>T"),
    (39710457, "G", "A", "p.A293T", "c.877G>A"),
    (39711955, "C", "T", "p.S310F", "c.929C>T"),
    (39723335, "A", "G", "p.I655V", "c.1963A>G"),
    (39723351, "G", "A", "p.G660D", "c.1979G>A"),
    (39723405, "G", "A", "p.R678Q", "c.2033G>A"),
    (39723541, "G", "T", "p.V697L", "c.2089G>T"),
    (39723601, "G", "A", "p.E717K", "c.2149G>A"),
    (39723650, "C", "T", "p.T733I", "c.2198C>T"),
    (39723967, "T", "C", "p.L755S", "c.2264T>C"),
    (39724008, "G", "T", "p.D769Y", "c.2305G>T"),
    (39724730, "C", "CATACGTGATGGC", "p.Y772_A775dup", "c.2313_2324dup"),
    (39724744, "G", "GTGT", "p.G776delinsVC", "c.2326_2327insTGT"),
    (39724747, "G", "T", "p.V777L", "c.2329G>T"),
    (39724811, "C", "T", "p.T798I", "c.2393C>T"),
    (39725079, "G", "A", "p.V842I", "c.2524G>A"),
    (39725161, "T", "G", "p.L869R", "c.2606T>G"),
    (39725363, "C", "T", "p.R896C", "c.2686C>T"),
    (39727784, "C", "G", "p.P1170A", "c.3508C>G"),
]

# Approximate GRCh38 loci of other lung-cancer panel genes (for the panel VCF's background).
PANEL_GENES = {
    "ALK": ("chr2", 29_192_774, 29_921_586), "PIK3CA": ("chr3", 179_148_114, 179_240_093),
    "ROS1": ("chr6", 117_288_300, 117_425_855), "EGFR": ("chr7", 55_019_017, 55_211_628),
    "MET": ("chr7", 116_672_196, 116_798_377), "BRAF": ("chr7", 140_719_327, 140_924_929),
    "RET": ("chr10", 43_077_069, 43_130_351), "KRAS": ("chr12", 25_205_246, 25_250_936),
    "TP53": ("chr17", 7_661_779, 7_687_538), "STK11": ("chr19", 1_177_558, 1_228_431),
}

BASES = "ACGT"
SAMPLES = ("TUMOR", "NORMAL")


def header(samples=SAMPLES, source: str = "her2scope-benchmark") -> str:
    lines = [
        "##fileformat=VCFv4.2",
        f"##source={source}",
        "##reference=file:///refs/GRCh38_full_analysis_set_plus_decoy_hla.fa",
        *(f"##contig=<ID={name},length={length},assembly=GRCh38>"
          for name, length in GRCH38_LENGTHS.items()),
        '##FILTER=<ID=PASS,Description="All filters passed">',
        '##FILTER=<ID=LowQual,Description="Low quality">',
        '##FILTER=<ID=weak_evidence,Description="Weak evidence">',
        '##INFO=<ID=DP,Number=1,Type=Integer,Description="Total depth">',
        '##INFO=<ID=MQ,Number=1,Type=Float,Description="RMS mapping quality">',
        '##INFO=<ID=QD,Number=1,Type=Float,Description="Quality by depth">',
        '##INFO=<ID=SOR,Number=1,Type=Float,Description="Strand odds ratio">',
        '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">',
        '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">',
        '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="Read depth">',
        '##FORMAT=<ID=AF,Number=A,Type=Float,Description="Allele fraction">',
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t" + "\t".join(samples),
    ]
    return "\n".join(lines) + "\n"


def check_erbb2_refs(variants=ERBB2_VARIANTS) -> None:
    """Raise if a variant's REF is not the GRCh38 base(s) (checked against the bundled exons)."""
    from her2scope.genome.builds import Build
    from her2scope.genome.transcript import erbb2

    tx = erbb2()
    for pos, ref, _alt, *_ in variants:
        seq = tx.exonic_sequence(Build.GRCh38, pos - 1, pos - 1 + len(ref))
        if seq is None or seq.upper() != ref:
            raise ValueError(f"ERBB2 variant at chr17:{pos}: REF {ref} but the reference has {seq}")


def _alt_allele(rng: random.Random, ref_base: str) -> tuple[str, str]:
    """A random REF/ALT: ~85% SNV, ~7% deletion, ~6% insertion, ~2% two-allele SNV."""
    r = rng.random()
    alt_base = BASES[(BASES.index(ref_base) + rng.randrange(1, 4)) % 4]
    if r < 0.85:
        return ref_base, alt_base
    if r < 0.92:
        return ref_base + "".join(rng.choice(BASES) for _ in range(rng.randint(1, 8))), ref_base
    if r < 0.98:
        return ref_base, ref_base + "".join(rng.choice(BASES) for _ in range(rng.randint(1, 8)))
    other = BASES[(BASES.index(alt_base) + 1) % 4]
    if other == ref_base:
        other = BASES[(BASES.index(other) + 1) % 4]
    return ref_base, f"{alt_base},{other}"


def _sample_fields(rng: random.Random, n_alt: int, vaf: float | None = None) -> tuple[str, str, int]:
    """FORMAT values for a tumour (het) and normal (ref) sample, and the site depth."""
    dp_t, dp_n = rng.randint(30, 600), rng.randint(20, 400)
    af = vaf if vaf is not None else round(rng.uniform(0.05, 0.95), 3)
    alt_reads = max(1, round(dp_t * af))
    if n_alt == 1:
        gt = "1/1" if af > 0.9 else "0/1"
        tumour = f"{gt}:{dp_t - alt_reads},{alt_reads}:{dp_t}:{alt_reads / dp_t:.3f}"
        normal = f"0/0:{dp_n},0:{dp_n}:0"
    else:
        half = alt_reads // 2
        tumour = (f"1/2:{dp_t - alt_reads},{half},{alt_reads - half}:{dp_t}:"
                  f"{half / dp_t:.3f},{(alt_reads - half) / dp_t:.3f}")
        normal = f"0/0:{dp_n},0,0:{dp_n}:0,0"
    return tumour, normal, dp_t + dp_n


def _line(rng: random.Random, chrom: str, pos: int, ref: str, alt: str,
          vaf: float | None = None, two_samples: bool = True) -> str:
    tumour, normal, dp = _sample_fields(rng, alt.count(",") + 1, vaf)
    rsid = f"rs{rng.randint(1_000, 999_999_999)}" if rng.random() < 0.3 else "."
    qual = rng.randint(30, 3000)
    r = rng.random()
    filt = "PASS" if r < 0.9 else ("LowQual" if r < 0.95 else "weak_evidence")
    info = f"DP={dp};MQ={rng.uniform(40, 60):.2f};QD={rng.uniform(2, 35):.2f};SOR={rng.uniform(0.1, 3):.3f}"
    samples = f"{tumour}\t{normal}" if two_samples else tumour
    return f"{chrom}\t{pos}\t{rsid}\t{ref}\t{alt}\t{qual}\t{filt}\t{info}\tGT:AD:DP:AF\t{samples}\n"


def _background_positions(rng: random.Random, chrom: str, n: int) -> list[int]:
    length = GRCH38_LENGTHS[chrom]
    positions = sorted(rng.sample(range(1, length - 100), n))
    if chrom == "chr17":
        lo, hi = ERBB2_START - ERBB2_MARGIN, ERBB2_END + ERBB2_MARGIN
        positions = [p for p in positions if not lo <= p <= hi]
    return positions


def genome_lines(records: int = 1_000_000, seed: int = 38) -> list[str]:
    """The data lines of the genome-wide VCF, sorted by chromosome (header order) then POS."""
    rng = random.Random(seed)
    total = sum(GRCH38_LENGTHS[c] for c in AUTOSOMES)
    per_chrom = {c: GRCH38_LENGTHS[c] * records // total for c in AUTOSOMES}
    background = records - len(ERBB2_VARIANTS)
    per_chrom["chr1"] += background - sum(per_chrom.values())   # rounding remainder
    lines: list[str] = []
    for chrom in AUTOSOMES:
        n = per_chrom[chrom]
        positions = _background_positions(rng, chrom, n)
        while len(positions) < n:   # chr17: replace any that fell inside ERBB2
            positions = sorted(set(positions) | set(_background_positions(rng, chrom, n - len(positions))))
        if chrom == "chr17":
            # Insert the ERBB2 records at their sorted place among the background ones.
            at = bisect.bisect_left(positions, ERBB2_START)
            chrom_lines = [_line(rng, chrom, p, *_alt_allele(rng, rng.choice(BASES))) for p in positions]
            vafs = [round(0.04 + 0.045 * i, 3) for i in range(len(ERBB2_VARIANTS))]   # never rejoined
            erbb2_lines = [_line(rng, chrom, pos, ref, alt, vaf=vaf)
                           for (pos, ref, alt, *_), vaf in zip(ERBB2_VARIANTS, vafs)]
            lines.extend(chrom_lines[:at] + erbb2_lines + chrom_lines[at:])
        else:
            lines.extend(_line(rng, chrom, p, *_alt_allele(rng, rng.choice(BASES))) for p in positions)
    return lines


def write_genome_vcf(path: str | os.PathLike, records: int = 1_000_000, seed: int = 38) -> Path:
    """Write the bgzipped genome-wide VCF (no index) and return its path."""
    import pysam

    check_erbb2_refs()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    # pysam's BGZFile writes BGZF blocks (htslib bgzf, like `bgzip`), so tabix can index it.
    with pysam.BGZFile(str(tmp), "wb") as out:
        out.write(header().encode())
        lines = genome_lines(records, seed)
        for i in range(0, len(lines), 50_000):
            out.write("".join(lines[i:i + 50_000]).encode())
    os.replace(tmp, path)
    return path


def panel_lines(seed: int = 7, total: int = 500, in_erbb2: int = 50) -> list[str]:
    """A panel VCF's data lines: ``in_erbb2`` exonic ERBB2 SNVs (REF from the bundled exons,
    which equal GRCh38; one per codon, at least 3 codons apart) plus records in other genes."""
    from her2scope.genome.builds import Build
    from her2scope.genome.transcript import erbb2

    rng = random.Random(seed)
    tx = erbb2()
    codons = len(tx.cds) // 3
    chosen: list[int] = []
    while len(chosen) < in_erbb2:
        c = rng.randrange(1, codons)
        if all(abs(c - o) >= 3 for o in chosen):
            chosen.append(c)
    erbb2_records = []
    for codon in sorted(chosen):
        c_pos = 3 * (codon - 1) + rng.randrange(3) + 1            # 1-based c. position
        g0 = tx.to_genome(Build.GRCh38, _tx_point(tx.cds_start + c_pos - 1))
        ref = tx.exonic_sequence(Build.GRCh38, g0, g0 + 1).upper()
        alt = BASES[(BASES.index(ref) + rng.randrange(1, 4)) % 4]
        erbb2_records.append(("chr17", g0 + 1, ref, alt))
    check_erbb2_refs([(pos, ref, alt) for _c, pos, ref, alt in erbb2_records])
    others = []
    genes = list(PANEL_GENES.values())
    used: set[tuple[str, int]] = set()
    while len(others) < total - in_erbb2:
        chrom, start, end = rng.choice(genes)
        pos = rng.randint(start, end)
        if (chrom, pos) not in used:
            used.add((chrom, pos))
            others.append((chrom, pos, *_alt_allele(rng, rng.choice(BASES))))
    order = {c: i for i, c in enumerate(GRCH38_LENGTHS)}
    records = sorted(erbb2_records + others, key=lambda r: (order[r[0]], r[1]))
    vafs = iter([round(0.05 + 0.9 * i / total, 3) for i in range(total)])   # distinct: no rejoining
    return [_line(rng, chrom, pos, ref, alt, vaf=next(vafs)) for chrom, pos, ref, alt in records]


def coding_lines(n: int = 5_000, seed: int = 14) -> list[str]:
    """``n`` distinct ERBB2 coding variants, sites-only (no sample: nothing is rejoined), sorted:
    ~85% SNVs, the rest deletions (1-12 bases) and insertions (1-12 random bases), all inside
    one CDS exon, REF from the bundled exons (= GRCh38)."""
    from her2scope.genome.builds import Build
    from her2scope.genome.transcript import erbb2

    rng = random.Random(seed)
    tx = erbb2()
    exons = [ex for ex in tx.exons[Build.GRCh38] if ex.tx_end > tx.cds_start and ex.tx_start < tx.cds_end]
    seen: set[tuple[int, str, str]] = set()
    while len(seen) < n:
        c0 = rng.randrange(0, tx.cds_end - tx.cds_start)           # 0-based CDS index
        g0 = tx.to_genome(Build.GRCh38, _tx_point(tx.cds_start + c0))
        ex = next(e for e in exons if e.g_start <= g0 < e.g_end)
        r = rng.random()
        if r < 0.85:
            ref = tx.exonic_sequence(Build.GRCh38, g0, g0 + 1)
            alt = BASES[(BASES.index(ref) + rng.randrange(1, 4)) % 4]
            seen.add((g0 + 1, ref, alt))
            continue
        if g0 == ex.g_start:
            continue                                                 # keep the padding base exonic
        length = rng.randint(1, 12)
        if r < 0.93:
            if g0 + length > ex.g_end:
                continue
            ref = tx.exonic_sequence(Build.GRCh38, g0 - 1, g0 + length)
            alt = ref[0]
        else:
            ref = tx.exonic_sequence(Build.GRCh38, g0 - 1, g0)
            alt = ref + "".join(rng.choice(BASES) for _ in range(length))
        seen.add((g0, ref, alt))
    records = sorted(seen)
    check_erbb2_refs(records)
    return [f"chr17\t{pos}\t.\t{ref}\t{alt}\t50\tPASS\tDP={100 + i % 400}\n"
            for i, (pos, ref, alt) in enumerate(records)]


def write_coding_vcf(path: str | os.PathLike, n: int = 5_000, seed: int = 14) -> Path:
    """A sites-only VCF of ``n`` ERBB2 coding variants (the per-variant speed benchmark)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    head = header().split("#CHROM")[0] + "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
    path.write_text(head + "".join(coding_lines(n, seed)))
    return path


def _tx_point(index: int):
    from her2scope.genome.transcript import TxPoint

    return TxPoint(index)


def write_panel_vcf(path: str | os.PathLike, seed: int = 7) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header() + "".join(panel_lines(seed)))
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=38)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    print(write_genome_vcf(args.out / "genome_1m.vcf.gz", args.records, args.seed))
    print(write_panel_vcf(args.out / "panel_500.vcf"))


if __name__ == "__main__":
    main()
