"""VCF/BCF reading: compression, indexes, samples, multi-allelic records, contig names,
symbolic alleles, line endings, record numbering and the non-ERBB2 summary.

Expected values are independent facts (SOURCES.md of the ERBB2 reference data, key positions
table): S310F = GRCh38 chr17:39711955 C>T = GRCh37 37868208 = c.929C>T; the V777 codon
c.2329-2331 is GTG at GRCh38 39724747-39724749 (so G>T at 39724747 is GTG>TTG = V777L and
G>A is GTG>ATG = V777M); GRCh38 chr17:39724730 C>CATACGTGATGGC = c.2313_2324dup
p.(Tyr772_Ala775dup), left-aligned in VCF as 39724728 A>AGCATACGTGATG.
"""

from __future__ import annotations

import gzip
import re
import shutil

import pysam
import pytest

from conftest import (GRCH37_CONTIGS, annotate, assert_no_traceback, key_fields, rec, vcf_text,
                      write_vcf)

# NCBI gene span of NM_004448.4 on GRCh38 (1-based, SOURCES.md): used to decide independently
# which records of a test file are ERBB2 records.
ERBB2_GRCH38 = (39_700_064, 39_728_658)
SHIFT_37_TO_38 = 1_843_747

S310F = ("NM_004448.4:c.929C>T", "NP_004439.2:p.(Ser310Phe)", "p.S310F")
YVMA = ("NM_004448.4:c.2313_2324dup", "NP_004439.2:p.(Tyr772_Ala775dup)", "p.Y772_A775dup")
V777L = ("NM_004448.4:c.2329G>T", "NP_004439.2:p.(Val777Leu)", "p.V777L")
V777M = ("NM_004448.4:c.2329G>A", "NP_004439.2:p.(Val777Met)", "p.V777M")

SAMPLES = ("TUMOR_A", "TUMOR_B", "NORMAL")
FMT = "GT:AD:DP:AF"

# A sorted GRCh38 batch file with ERBB2 and non-ERBB2 records on several chromosomes.
BATCH = [
    rec("chr1", 1_000_000, ".", "A", "G", 50, "PASS", "DP=100", FMT,
        "0/1:50,50:100:0.5", "0/0:100,0:100:0", "0/0:100,0:100:0"),
    rec("chr1", 2_000_000, ".", "C", "T", 50, "PASS", "DP=100", FMT,
        "0/1:50,50:100:0.5", "0/1:50,50:100:0.5", "0/1:50,50:100:0.5"),
    rec("chr12", 25_245_351, ".", "C", "A", 60, "PASS", "DP=512", FMT,
        "0/1:400,112:512:0.219", "0/0:300,0:300:0", "0/0:350,0:350:0"),
    # S310F in TUMOR_A only
    rec("chr17", 39_711_955, "s310f", "C", "T", 60, "PASS", "DP=600", FMT,
        "0/1:150,50:200:0.25", "0/0:200,0:200:0", "0/0:200,0:200:0"),
    # YVMA dup (left-aligned form) in TUMOR_B only
    rec("chr17", 39_724_728, "yvma", "A", "AGCATACGTGATG", 60, "PASS", "DP=600", FMT,
        "0/0:200,0:200:0", "0/1:120,80:200:0.4", "0/0:200,0:200:0"),
    # multi-allelic V777L / V777M: TUMOR_A carries T, TUMOR_B carries A; VAF from AD only
    rec("chr17", 39_724_747, "v777", "G", "T,A", 60, "PASS", "DP=300", "GT:AD:DP",
        "0/1:80,20,0:100", "0/2:70,0,30:100", "0/0:100,0,0:100"),
    # chr17 but far from ERBB2
    rec("chr17", 50_000_000, ".", "G", "A", 50, "PASS", "DP=100", FMT,
        "0/1:50,50:100:0.5", "0/0:100,0:100:0", "0/0:100,0:100:0"),
    rec("chr18", 1_000, ".", "T", "C", 50, "PASS", "DP=100", FMT,
        "0/1:50,50:100:0.5", "0/0:100,0:100:0", "0/0:100,0:100:0"),
]


def _data_lines(text: str) -> list[list[str]]:
    return [line.rstrip("\r").split("\t") for line in text.split("\n") if line and not line.startswith("#")]


def _is_erbb2(cols: list[str]) -> bool:
    return cols[0] in ("chr17", "17", "NC_000017.11") and ERBB2_GRCH38[0] <= int(cols[1]) <= ERBB2_GRCH38[1]


def _names(d: dict) -> tuple:
    return d["hgvs_c"], d["hgvs_p"], d["protein_change"]


def _summary_line(stderr: str, path) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith(f"{path}:")]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def batch_vcf(tmp_path):
    return write_vcf(tmp_path, "batch.vcf", BATCH, samples=SAMPLES)


def _bgzip(src, dst):
    pysam.tabix_compress(str(src), str(dst), force=True)
    return dst


# --------------------------------------------------------------------------------------------
# multi-sample, multi-allelic, record numbering (plain .vcf)
# --------------------------------------------------------------------------------------------

def test_plain_vcf_multi_sample_multi_allelic(batch_vcf):
    run = annotate(batch_vcf)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert run.errors == []
    got = {(d["record"], d["sample"], d["protein_change"]): d for d in run.results}
    # Exactly: S310F in TUMOR_A, YVMA in TUMOR_B, V777L in TUMOR_A, V777M in TUMOR_B.
    # The 0/0 samples (and NORMAL everywhere) give no result.
    assert set(got) == {(4, "TUMOR_A", "p.S310F"), (5, "TUMOR_B", "p.Y772_A775dup"),
                        (6, "TUMOR_A", "p.V777L"), (6, "TUMOR_B", "p.V777M")}

    s310f = got[(4, "TUMOR_A", "p.S310F")]
    assert _names(s310f) == S310F
    assert (s310f["genotype"], s310f["depth"], s310f["vaf"]) == ("0/1", 200, 0.25)
    assert (s310f["chrom"], s310f["pos"], s310f["ref"], s310f["alt"]) == ("17", 39_711_955, "C", "T")
    assert s310f["build"] == "GRCh38"
    assert s310f["original"] == BATCH[3]        # the caller's record is kept verbatim

    yvma = got[(5, "TUMOR_B", "p.Y772_A775dup")]
    assert _names(yvma) == YVMA
    assert (yvma["pos"], yvma["ref"], yvma["alt"]) == (39_724_728, "A", "AGCATACGTGATG")
    assert (yvma["genotype"], yvma["depth"], yvma["vaf"]) == ("0/1", 200, 0.4)

    v777l = got[(6, "TUMOR_A", "p.V777L")]
    v777m = got[(6, "TUMOR_B", "p.V777M")]
    assert _names(v777l) == V777L
    assert _names(v777m) == V777M
    assert (v777l["ref"], v777l["alt"], v777m["ref"], v777m["alt"]) == ("G", "T", "G", "A")
    # VAF from AD when there is no AF: 20/100 and 30/100
    assert (v777l["genotype"], v777l["depth"], v777l["vaf"]) == ("0/1", 100, 0.2)
    assert (v777m["genotype"], v777m["depth"], v777m["vaf"]) == ("0/2", 100, 0.3)


def test_record_numbers_are_1_based_data_records(batch_vcf):
    text = batch_vcf.read_text()
    lines = _data_lines(text)
    expected = {i for i, cols in enumerate(lines, 1) if _is_erbb2(cols)}
    run = annotate(batch_vcf)
    assert {d["record"] for d in run.results} == expected
    for d in run.results:
        # the record number points at the very line the result came from
        cols = lines[d["record"] - 1]
        assert int(cols[1]) <= d["pos"] + len(cols[3]) and cols[0] == "chr17"


def test_multi_allelic_without_samples_gives_both_alleles(tmp_path):
    path = write_vcf(tmp_path, "multi.vcf", [rec("chr17", 39_724_747, ".", "G", "T,A", 50, "PASS",
                                                 "DP=100")])
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    assert sorted(_names(d) for d in run.results) == sorted([V777L, V777M])
    assert all(d["record"] == 1 and d["sample"] is None for d in run.results)


def test_sample_with_hom_ref_gives_no_result(tmp_path):
    path = write_vcf(tmp_path, "homref.vcf", [rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", ".",
                                                  "GT:AD:DP", "0/0:100,0:100", "0/1:60,40:100")],
                     samples=("REFONLY", "CARRIER"))
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    assert [(d["sample"], d["genotype"], d["vaf"]) for d in run.results] == [("CARRIER", "0/1", 0.4)]


def test_non_erbb2_records_are_skipped_and_counted(batch_vcf):
    lines = _data_lines(batch_vcf.read_text())
    n_total = len(lines)
    n_skipped = sum(1 for cols in lines if not _is_erbb2(cols))
    run = annotate(batch_vcf)
    assert all(d["gene"] == "ERBB2" for d in run.lines)
    assert not any(d["pos"] in (1_000_000, 2_000_000, 25_245_351, 50_000_000, 1_000) for d in run.results)
    summary = _summary_line(run.stderr, batch_vcf)
    assert f"{n_total} records" in summary
    assert f"{n_skipped} non-ERBB2 skipped" in summary


# --------------------------------------------------------------------------------------------
# .vcf.gz (bgzip and gzip), tabix, CSI, .bcf: same results as the plain file
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def _plain_result_cached(tmp_path_factory):
    path = write_vcf(tmp_path_factory.mktemp("plain"), "batch.vcf", BATCH, samples=SAMPLES)
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    return sorted(key_fields(d) for d in run.lines)


@pytest.fixture
def plain_result(_plain_result_cached):
    """The results of the plain, unindexed .vcf (computed once per module)."""
    return _plain_result_cached


def test_bgzip_unindexed_same_as_plain(tmp_path, batch_vcf, plain_result):
    gz = _bgzip(batch_vcf, tmp_path / "batch.vcf.gz")
    run = annotate(gz)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result
    assert "index used" not in _summary_line(run.stderr, gz)


def test_plain_gzip_same_as_plain(tmp_path, batch_vcf, plain_result):
    gz = tmp_path / "batch_plain_gzip.vcf.gz"
    with open(batch_vcf, "rb") as src, gzip.open(gz, "wb") as dst:
        shutil.copyfileobj(src, dst)
    run = annotate(gz)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result


@pytest.mark.parametrize("csi", [False, True], ids=["tabix", "csi"])
def test_indexed_same_as_plain(tmp_path, batch_vcf, plain_result, csi):
    gz = _bgzip(batch_vcf, tmp_path / "batch.vcf.gz")
    pysam.tabix_index(str(gz), preset="vcf", csi=csi, force=True)
    assert (tmp_path / ("batch.vcf.gz.csi" if csi else "batch.vcf.gz.tbi")).exists()
    run = annotate(gz)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result
    summary = _summary_line(run.stderr, gz)
    assert "index used" in summary
    lines = _data_lines(batch_vcf.read_text())
    assert f"{len(lines)} records" in summary
    assert f"{sum(1 for c in lines if not _is_erbb2(c))} non-ERBB2 skipped" in summary


def test_indexed_file_without_chr17_records(tmp_path):
    src = write_vcf(tmp_path, "no17.vcf", BATCH[:3] + BATCH[-1:], samples=SAMPLES)
    gz = _bgzip(src, tmp_path / "no17.vcf.gz")
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    run = annotate(gz)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert run.lines == []
    assert "4 non-ERBB2 skipped" in _summary_line(run.stderr, gz)


def test_bcf_same_as_plain(tmp_path, batch_vcf, plain_result):
    bcf = tmp_path / "batch.bcf"
    with pysam.VariantFile(str(batch_vcf)) as vin:
        with pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
            for r in vin:
                vout.write(r)
    assert bcf.read_bytes()[:2] == b"\x1f\x8b"  # BGZF-compressed BCF, as bcftools writes it
    run = annotate(bcf)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result
    lines = _data_lines(batch_vcf.read_text())
    assert f"{sum(1 for c in lines if not _is_erbb2(c))} non-ERBB2 skipped" in _summary_line(run.stderr, bcf)


# --------------------------------------------------------------------------------------------
# contig names, builds, line endings
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("contig,length", [("chr17", 83_257_441), ("17", 83_257_441),
                                           ("NC_000017.11", None)])
def test_grch38_contig_names(tmp_path, contig, length):
    header = (f"##contig=<ID={contig},length={length}>" if length else f"##contig=<ID={contig}>",)
    path = write_vcf(tmp_path, "c.vcf", [rec(contig, 39_711_955, ".", "C", "T", 50, "PASS", ".")],
                     contigs=header)
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    [d] = run.lines
    assert _names(d) == S310F
    assert (d["build"], d["chrom"], d["pos"], d["record"]) == ("GRCh38", "17", 39_711_955, 1)
    assert d["hgvs_g"] == "NC_000017.11:g.39711955C>T"


@pytest.mark.parametrize("contig", ["17", "chr17", "NC_000017.10"])
def test_grch37_contig_names(tmp_path, contig):
    header = (f"##contig=<ID={contig},length=81195210>",)
    pos = 39_711_955 - SHIFT_37_TO_38
    path = write_vcf(tmp_path, "c37.vcf", [rec(contig, pos, ".", "C", "T", 50, "PASS", ".")],
                     contigs=header)
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    [d] = run.lines
    assert pos == 37_868_208
    assert _names(d) == S310F
    assert (d["build"], d["pos"]) == ("GRCh37", 37_868_208)
    assert d["hgvs_g"] == "NC_000017.10:g.37868208C>T"


def test_grch37_and_grch38_give_the_same_names(tmp_path):
    """L755S: c.2264T>C at GRCh37 37880220 / GRCh38 39723967; YVMA 1,843,747 apart."""
    v38 = write_vcf(tmp_path, "v38.vcf", [
        rec("chr17", 39_723_967, ".", "T", "C", 50, "PASS", "."),
        rec("chr17", 39_724_728, ".", "A", "AGCATACGTGATG", 50, "PASS", ".")])
    v37 = write_vcf(tmp_path, "v37.vcf", [
        rec("17", 39_723_967 - SHIFT_37_TO_38, ".", "T", "C", 50, "PASS", "."),
        rec("17", 39_724_728 - SHIFT_37_TO_38, ".", "A", "AGCATACGTGATG", 50, "PASS", ".")],
        contigs=GRCH37_CONTIGS)
    r38, r37 = annotate(v38), annotate(v37)
    assert r38.returncode == r37.returncode == 0, (r38.stderr, r37.stderr)
    assert [_names(d) for d in r38.lines] == [_names(d) for d in r37.lines]
    assert _names(r38.lines[0]) == ("NM_004448.4:c.2264T>C", "NP_004439.2:p.(Leu755Ser)", "p.L755S")
    assert _names(r38.lines[1]) == YVMA
    assert r37.lines[0]["pos"] == 37_880_220
    assert {d["build"] for d in r37.lines} == {"GRCh37"}


def test_yvma_right_shifted_input_is_left_aligned(tmp_path):
    """The VEP-quoted form chr17:39724730 C>CATACGTGATGGC is reported VCF-style left-aligned."""
    path = write_vcf(tmp_path, "y.vcf", [rec("chr17", 39_724_730, ".", "C", "CATACGTGATGGC", 50, "PASS", ".")])
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    [d] = run.lines
    assert _names(d) == YVMA
    assert (d["pos"], d["ref"], d["alt"]) == (39_724_728, "A", "AGCATACGTGATG")
    assert d["record"] == 1


def test_windows_line_endings_same_results(tmp_path, batch_vcf, plain_result):
    crlf = tmp_path / "batch_crlf.vcf"
    crlf.write_bytes(batch_vcf.read_bytes().replace(b"\n", b"\r\n"))
    run = annotate(crlf)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result
    for d in run.results:
        assert "\r" not in d["original"] and not any("\r" in str(v) for v in d.values())


def test_windows_line_endings_bgzip(tmp_path, batch_vcf, plain_result):
    crlf = tmp_path / "batch_crlf.vcf"
    crlf.write_bytes(batch_vcf.read_bytes().replace(b"\n", b"\r\n"))
    gz = _bgzip(crlf, tmp_path / "batch_crlf.vcf.gz")
    run = annotate(gz)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result


# --------------------------------------------------------------------------------------------
# symbolic / structural alleles
# --------------------------------------------------------------------------------------------

def test_symbolic_alleles_pass_through_not_interpreted(tmp_path):
    path = write_vcf(tmp_path, "sv.vcf", [
        rec("chr17", 39_690_000, "del1", "N", "<DEL>", 50, "PASS", "SVTYPE=DEL;END=39730000"),
        rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", "."),
        rec("chr17", 39_699_000, "dup1", "N", "<DUP>", 50, "PASS", "SVTYPE=DUP;END=39740000"),
    ])
    run = annotate(path)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    by_record = {d["record"]: d for d in run.lines}
    assert set(by_record) == {1, 2, 3}
    assert _names(by_record[2]) == S310F
    for n, alt in ((1, "<DEL>"), (3, "<DUP>")):
        d = by_record[n]
        assert d["status"] == "not_interpreted"
        assert d["alt"] == alt
        assert d["hgvs_c"] is None and d["hgvs_p"] is None and d["protein_change"] is None
        assert d["oncogenicity"] is None
        assert any(alt in note for note in d["notes"])


@pytest.mark.parametrize("kind", ["vcf", "vcf.gz", "tabix", "bcf"])
def test_large_symbolic_dup_starting_far_upstream_is_reported(tmp_path, kind):
    """A copy-number <DUP> (an ERBB2 amplification call) usually spans megabases: it starts far
    upstream of ERBB2 and still covers it, so it must be passed through, not dropped."""
    path = write_vcf(tmp_path, "amp.vcf", [
        rec("chr1", 5_000_000, ".", "A", "G", 50, "PASS", "."),
        rec("chr17", 38_000_000, ".", "A", "G", 50, "PASS", "."),      # far upstream, not ERBB2
        rec("chr17", 39_000_000, "amp", "N", "<DUP>", 50, "PASS", "SVTYPE=DUP;END=40500000"),
        rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", "."),
    ])
    if kind != "vcf":
        gz = _bgzip(path, tmp_path / "amp.vcf.gz")
        if kind == "tabix":
            pysam.tabix_index(str(gz), preset="vcf", force=True)
        path = gz
    if kind == "bcf":
        path = tmp_path / "amp.bcf"
        with pysam.VariantFile(str(tmp_path / "amp.vcf")) as vin:
            with pysam.VariantFile(str(path), "wb", header=vin.header) as vout:
                for r in vin:
                    vout.write(r)
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    assert [(d["record"], d["status"], d["alt"]) for d in run.lines] == [
        (3, "not_interpreted", "<DUP>"), (4, "annotated", "T")]
    assert "2 non-ERBB2 skipped" in _summary_line(run.stderr, path)


def test_symbolic_allele_outside_erbb2_is_skipped(tmp_path):
    path = write_vcf(tmp_path, "sv2.vcf", [
        rec("chr17", 45_000_000, ".", "N", "<DEL>", 50, "PASS", "SVTYPE=DEL;END=45100000")])
    run = annotate(path)
    assert run.returncode == 0, run.stderr
    assert run.lines == []
    assert "1 non-ERBB2 skipped" in _summary_line(run.stderr, path)


def test_vcf_text_helper_is_well_formed():
    text = vcf_text([rec("chr17", 1, ".", "A", "C", 1, "PASS", ".")])
    assert re.search(r"^#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO$", text, re.M)


# --------------------------------------------------------------------------------------------
# an index that does not fit its file must not be trusted
# --------------------------------------------------------------------------------------------

def _indexed(tmp_path, name, records):
    src = write_vcf(tmp_path, name + ".vcf", records, samples=SAMPLES)
    gz = _bgzip(src, tmp_path / (name + ".vcf.gz"))
    pysam.tabix_index(str(gz), preset="vcf", force=True)
    return src, gz


def test_stale_index_is_not_trusted(tmp_path):
    """The .tbi was made for an earlier version of the file (re-bgzipped afterwards, a classic
    pipeline slip): the ERBB2 record of the current file must still be found and numbered."""
    old_records = [BATCH[0]] * 1 + [rec("chr1", 3_000_000 + i, ".", "A", "G", 50, "PASS", ".", FMT,
                                        "0/1:50,50:100:0.5", "0/0:100,0:100:0", "0/0:100,0:100:0")
                                    for i in range(3000)] + [BATCH[3]]
    _, gz = _indexed(tmp_path, "sample", old_records)
    new = write_vcf(tmp_path, "new.vcf", BATCH, samples=SAMPLES)
    _bgzip(new, gz)                          # replaces the data, keeps the old index
    run = annotate(gz)
    assert_no_traceback(run)
    expected = annotate(new)
    assert sorted(key_fields(d) for d in run.lines) == sorted(key_fields(d) for d in expected.lines)
    assert f"{len(BATCH)} records" in _summary_line(run.stderr, gz)


def test_truncated_indexed_file_reports_damage(tmp_path):
    """The index was made for the complete file; the data file was then cut short (a failed
    copy). Records before the damage are reported, and the damage is an error, not silence."""
    filler = [rec("chr17", 50_000_000 + i, ".", "A", "G", 50, "PASS", f"DP={i}", FMT,
                  "0/1:50,50:100:0.5", "0/0:100,0:100:0", "0/0:100,0:100:0") for i in range(30_000)]
    records = [BATCH[3]] + filler            # S310F first, then 30,000 chr17 records
    _, gz = _indexed(tmp_path, "cut", records)
    data = gz.read_bytes()
    index = gz.with_name(gz.name + ".tbi")
    index_bytes = index.read_bytes()
    gz.write_bytes(data[: len(data) // 2])
    index.write_bytes(index_bytes)           # the index is (re)written after the cut copy
    run = annotate(gz)
    assert_no_traceback(run)
    got = [(d["record"], d.get("protein_change"), d.get("error")) for d in run.lines]
    assert (1, "p.S310F", None) in got
    assert [e for _, _, e in got if e] == ["corrupt_file"], got
    assert run.returncode == 1


def test_csi_indexed_bcf_same_as_plain(tmp_path, batch_vcf, plain_result):
    """A BCF with a CSI index jumps to chromosome 17 and still numbers records exactly."""
    bcf = tmp_path / "batch_ix.bcf"
    with pysam.VariantFile(str(batch_vcf)) as vin:
        with pysam.VariantFile(str(bcf), "wb", header=vin.header) as vout:
            for r in vin:
                vout.write(r)
    pysam.tabix_index(str(bcf), preset="bcf", csi=True, force=True)   # CSI, as `bcftools index` writes
    assert (tmp_path / "batch_ix.bcf.csi").exists()
    run = annotate(bcf)
    assert_no_traceback(run)
    assert run.returncode == 0, run.stderr
    assert sorted(key_fields(d) for d in run.lines) == plain_result
    summary = _summary_line(run.stderr, bcf)
    assert "index used" in summary
    lines = _data_lines(batch_vcf.read_text())
    assert f"{len(lines)} records" in summary
