"""Every kind of bad input gives a {"input","record","error","message"} line naming the cause,
the rest of the batch is still processed, the exit status is 1 (2 for usage errors), and no
Python traceback reaches the user.

Reference facts used (SOURCES.md, key positions): GRCh38 chr17:39711955 is C (S310 codon TCC,
c.929C); GRCh38 chr17:39723967 is T (L755 codon TTG, c.2264T); GRCh38 = GRCh37 + 1,843,747.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib

import pysam
import pytest

from conftest import (ERROR_KEYS_SET, GRCH37_CONTIGS, annotate, assert_no_traceback, rec,
                      write_vcf)

S310F_38 = rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", ".")
L755S_38 = rec("chr17", 39_723_967, ".", "T", "C", 50, "PASS", ".")


@pytest.fixture
def good_vcf(tmp_path):
    """A well-formed file processed in the same batch as each bad input."""
    return write_vcf(tmp_path, "good.vcf", [L755S_38])


def _only(run, path) -> list[dict]:
    return [d for d in run.lines if d["input"] == str(path)]


def _error(d: dict) -> None:
    """An error line has exactly the four contract keys."""
    assert set(d) == ERROR_KEYS_SET, d
    assert isinstance(d["error"], str) and d["error"] and " " not in d["error"]
    assert isinstance(d["message"], str) and d["message"]


def _assert_batch_continued(run, good_vcf) -> None:
    good = _only(run, good_vcf)
    assert [(d["record"], d["protein_change"]) for d in good] == [(1, "p.L755S")], run.stdout


# --------------------------------------------------------------------------------------------
# REF not matching the reference, with the likely cause
# --------------------------------------------------------------------------------------------

def test_ref_mismatch_ref_alt_swapped(tmp_path, good_vcf):
    bad = write_vcf(tmp_path, "swap.vcf", [rec("chr17", 39_711_955, ".", "T", "C", 50, "PASS", "."),
                                           S310F_38])
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    first, second = _only(run, bad)
    _error(first)
    assert (first["record"], first["error"]) == (1, "ref_mismatch")
    assert "REF and ALT swapped" in first["message"]
    assert "39711955" in first["message"]
    assert (second["record"], second["protein_change"]) == (2, "p.S310F")
    _assert_batch_continued(run, good_vcf)


def test_ref_mismatch_wrong_strand(tmp_path, good_vcf):
    # G is the complement of the reference C at 39711955; A the complement of T at 39723967
    bad = write_vcf(tmp_path, "strand.vcf", [rec("chr17", 39_711_955, ".", "G", "A", 50, "PASS", "."),
                                             rec("chr17", 39_723_967, ".", "A", "G", 50, "PASS", ".")])
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    errs = _only(run, bad)
    assert [(d["record"], d["error"]) for d in errs] == [(1, "ref_mismatch"), (2, "ref_mismatch")]
    for d in errs:
        _error(d)
        assert "wrong strand" in d["message"]
    _assert_batch_continued(run, good_vcf)


def test_ref_mismatch_no_explanation_still_names_expected_base(tmp_path):
    bad = write_vcf(tmp_path, "odd.vcf", [rec("chr17", 39_711_955, ".", "A", "T", 50, "PASS", ".")])
    run = annotate(bad)
    assert run.returncode == 1
    [d] = run.lines
    _error(d)
    assert d["error"] == "ref_mismatch"
    assert "REF A" in d["message"] and "reference C" in d["message"]


def test_ref_mismatch_multi_sample_reported_once(tmp_path):
    bad = write_vcf(tmp_path, "ms.vcf", [rec("chr17", 39_711_955, ".", "T", "C", 50, "PASS", ".", "GT",
                                             "0/1", "0/1")], samples=("A", "B"))
    run = annotate(bad)
    assert run.returncode == 1
    assert [(d["record"], d["error"]) for d in run.lines] == [(1, "ref_mismatch")]


def test_wrong_build_grch38_positions_read_as_grch37(tmp_path, good_vcf):
    """The file says GRCh37 but its ERBB2 records are at GRCh38 positions (REF matches GRCh38
    there): they must not vanish as 'non-ERBB2' but come out as errors naming the wrong build."""
    bad = write_vcf(tmp_path, "build.vcf", [
        rec("17", 39_711_955, ".", "C", "T", 50, "PASS", "."),                # S310F on GRCh38
        rec("17", 39_724_730, ".", "C", "CATACGTGATGGC", 50, "PASS", "."),    # YVMA on GRCh38
    ], contigs=GRCH37_CONTIGS)
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    lines = _only(run, bad)
    assert [(d["record"], d.get("error")) for d in lines] == [(1, "wrong_build"), (2, "wrong_build")]
    assert "wrong genome build" in lines[0]["message"] and "GRCh38" in lines[0]["message"]
    assert "c.929" in lines[0]["message"]
    assert run.returncode == 1
    _assert_batch_continued(run, good_vcf)


def test_a_lone_other_build_match_beside_verified_records_is_a_warning(tmp_path, good_vcf):
    """One SNV can match the other build's ERBB2 base by chance; next to records that do fit
    the declared build it is reported as a warning on stderr, not silently skipped."""
    bad = write_vcf(tmp_path, "build2.vcf", [
        rec("17", 39_711_955, ".", "C", "T", 50, "PASS", "."),                # fits GRCh38 only
        rec("17", 39_711_955 - 1_843_747, ".", "C", "T", 50, "PASS", "."),    # the real GRCh37 S310F
    ], contigs=GRCH37_CONTIGS)
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    lines = _only(run, bad)
    assert [(d["record"], d["protein_change"]) for d in lines] == [(2, "p.S310F")]
    assert "warning" in run.stderr and "record 1" in run.stderr and "GRCh38" in run.stderr
    assert run.returncode == 0


def test_wrong_build_hgvs_g_with_build_option():
    """chr17:g.39711955C>T is S310F on GRCh38; read as GRCh37 the message must say so."""
    run = annotate("chr17:g.39711955C>T", "--build", "GRCh37")
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = run.lines
    _error(d)
    assert d["error"] == "ref_mismatch"
    assert "wrong genome build" in d["message"] and "GRCh38" in d["message"], d["message"]
    # the same expression on its own build is S310F; a base that matches neither build is
    # not blamed on the build
    ok = annotate("chr17:g.39711955C>T", "--build", "GRCh38")
    assert [x["protein_change"] for x in ok.lines] == ["p.S310F"]
    other = annotate("chr17:g.39711955A>T", "--build", "GRCh37")
    assert other.returncode == 1
    assert "wrong genome build" not in other.lines[0]["message"]


# --------------------------------------------------------------------------------------------
# malformed fields
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line,cause", [
    (rec("chr17", "39711955x", ".", "C", "T", 50, "PASS", "."), "POS"),
    (rec("chr17", 39_711_955, ".", "CZ", "T", 50, "PASS", "."), "REF"),
    (rec("chr17", 39_711_955, ".", "C", "T!", 50, "PASS", "."), "ALT"),
    (rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS"), "columns"),
    (rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", ".", "extra"), "columns"),
    ("chr17 39711955 . C T 50 PASS .", "columns"),
], ids=["pos-letters", "ref-letters", "alt-letters", "7-columns", "9-columns",
        "spaces-not-tabs"])
def test_malformed_vcf_fields(tmp_path, good_vcf, line, cause):
    bad = write_vcf(tmp_path, "bad.vcf", [line, S310F_38])
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    first, *rest = _only(run, bad)
    _error(first)
    assert (first["record"], first["error"]) == (1, "malformed_record"), run.stdout
    assert cause in first["message"]
    assert "record 1" in first["message"]
    assert [(d["record"], d["protein_change"]) for d in rest] == [(2, "p.S310F")]
    _assert_batch_continued(run, good_vcf)


def test_malformed_genotype(tmp_path):
    bad = write_vcf(tmp_path, "gt.vcf", [rec("chr17", 39_711_955, ".", "C", "T", 50, "PASS", ".", "GT", "0/3"),
                                         rec("chr17", 39_723_967, ".", "T", "C", 50, "PASS", ".", "GT", "0/1")],
                    samples=("S1",))
    run = annotate(bad)
    assert run.returncode == 1
    first, second = run.lines
    assert (first["record"], first["error"]) == (1, "malformed_record")
    assert "GT" in first["message"]
    assert (second["record"], second["protein_change"]) == (2, "p.L755S")


def test_malformed_header(tmp_path, good_vcf):
    bad = tmp_path / "nohead.vcf"
    bad.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr17,length=83257441>\n"
                   "#CHROM POS ID REF ALT QUAL FILTER INFO\n" + S310F_38 + "\n")
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, bad)
    _error(d)
    assert d["error"] == "malformed_record" and d["record"] is None
    assert "#CHROM" in d["message"] or "fixed columns" in d["message"]
    _assert_batch_continued(run, good_vcf)


def test_malformed_maf_row(tmp_path, good_vcf):
    header = ["Hugo_Symbol", "Chromosome", "Start_Position", "End_Position", "Reference_Allele",
              "Tumor_Seq_Allele2", "Tumor_Sample_Barcode", "NCBI_Build"]
    rows = [["ERBB2", "17", "37868208", "37868208", "C"],                        # too few columns
            ["ERBB2", "17", "37868208", "37868208", "C", "T", "S1", "GRCh37"],
            ["ERBB2", "17", "37868208", "37868208", "X", "T", "S2", "GRCh37"]]   # bad REF letter
    maf = tmp_path / "bad.maf"
    maf.write_text("\n".join("\t".join(r) for r in [header] + rows) + "\n")
    run = annotate(maf, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    lines = _only(run, maf)
    assert [(d["record"], d.get("error"), d.get("protein_change")) for d in lines] == [
        (1, "malformed_record", None), (2, None, "p.S310F"), (3, "malformed_record", None)]
    assert "columns" in lines[0]["message"]
    assert "Reference_Allele" in lines[2]["message"]
    _assert_batch_continued(run, good_vcf)


# --------------------------------------------------------------------------------------------
# HGVS on a reference sequence her2scope does not know
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("expr,named", [
    ("NM_001005862.3:c.100A>G", "NM_001005862.3"),   # another ERBB2 transcript
    ("NM_004448.3:c.2264T>C", "NM_004448.3"),        # an older version of the MANE transcript
    ("NC_000017.12:g.39711955C>T", "NC_000017.12"),  # no such chr17 version
])
def test_hgvs_unknown_reference_sequence(tmp_path, expr, named):
    text = tmp_path / "report.txt"
    text.write_text(f"# from a report\n{expr}\nNM_004448.4:c.929C>T\n")
    run = annotate(text, "NM_004448.4:c.2264T>C")
    assert_no_traceback(run)
    assert run.returncode == 1
    lines = _only(run, text)
    _error(lines[0])
    assert (lines[0]["record"], lines[0]["error"]) == (2, "unsupported_reference")   # text line 2
    assert named in lines[0]["message"]
    assert (lines[1]["record"], lines[1]["protein_change"], lines[1]["hgvs_c"]) == (
        3, "p.S310F", "NM_004448.4:c.929C>T")
    inline = _only(run, "NM_004448.4:c.2264T>C")
    assert [d["protein_change"] for d in inline] == ["p.L755S"]


def test_hgvs_unknown_reference_inline():
    run = annotate("NM_001005862.3:c.100A>G", "NM_004448.3:c.2264T>C")
    assert_no_traceback(run)
    assert run.returncode == 1
    assert [(d["input"], d["record"], d["error"]) for d in run.lines] == [
        ("NM_001005862.3:c.100A>G", 1, "unsupported_reference"),
        ("NM_004448.3:c.2264T>C", 1, "unsupported_reference")]
    for d in run.lines:
        _error(d)
        assert d["input"].split(":")[0] in d["message"]


# --------------------------------------------------------------------------------------------
# genome build: contradiction and absence
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    {"contigs": ("##contig=<ID=chr17,length=83257441>",)},
    {"contigs": ("##contig=<ID=chr17>",), "reference": "file:///refs/GRCh38_full_analysis_set.fa"},
], ids=["contig-length", "reference-line"])
def test_build_option_contradicting_header_is_an_error(tmp_path, good_vcf, header):
    bad = write_vcf(tmp_path, "hdr38.vcf", [S310F_38], **header)
    run = annotate(bad, good_vcf, "--build", "GRCh37")
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, bad)          # an error, and no result computed on either build
    _error(d)
    assert d["error"] == "build_conflict"
    assert "GRCh37" in d["message"] and "GRCh38" in d["message"]
    # good.vcf also says GRCh38 in its header: it conflicts too (never a silent override)
    [g] = _only(run, good_vcf)
    assert g["error"] == "build_conflict"


def test_build_option_agreeing_with_header_is_fine(tmp_path):
    ok = write_vcf(tmp_path, "hdr38.vcf", [S310F_38])
    run = annotate(ok, "--build", "GRCh38")
    assert run.returncode == 0, run.stderr
    assert [d["protein_change"] for d in run.lines] == ["p.S310F"]


def test_maf_build_conflict(tmp_path, demo_dir):
    run = annotate(demo_dir / "patient04_tcga_luad_erbb2.maf", "--build", "GRCh38")
    assert_no_traceback(run)
    assert run.returncode == 1
    assert run.lines and all(d.get("error") == "build_conflict" for d in run.lines)


def test_unknown_build(tmp_path, good_vcf):
    bad = write_vcf(tmp_path, "nobuild.vcf", [S310F_38], contigs=("##contig=<ID=chr17>",))
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, bad)
    _error(d)
    assert d["error"] == "unknown_build" and d["record"] is None
    assert "--build" in d["message"]
    _assert_batch_continued(run, good_vcf)
    # and with --build the same file is read
    run2 = annotate(bad, "--build", "GRCh38")
    assert run2.returncode == 0
    assert [d["protein_change"] for d in run2.lines] == ["p.S310F"]


# --------------------------------------------------------------------------------------------
# truncated and corrupt compressed files
# --------------------------------------------------------------------------------------------

def _bgzf_blocks(data: bytes) -> list[tuple[int, int]]:
    """(offset, size) of each BGZF block (BSIZE from the BC extra subfield)."""
    out, off = [], 0
    while off < len(data):
        xlen = struct.unpack_from("<H", data, off + 10)[0]
        x, bsize = off + 12, None
        while x < off + 12 + xlen:
            slen = struct.unpack_from("<H", data, x + 2)[0]
            if data[x:x + 2] == b"BC":
                bsize = struct.unpack_from("<H", data, x + 4)[0] + 1
            x += 4 + slen
        out.append((off, bsize))
        off += bsize
    return out


V777L_38 = rec("chr17", 39_724_747, ".", "G", "T", 50, "PASS", ".")


@pytest.fixture
def long_bgzip(tmp_path):
    """40,003 records on chr17: S310F first, L755S in the middle (record 20,002), V777L last
    (record 40,003); the rest lie outside ERBB2. Several dozen BGZF blocks."""
    filler = [rec("chr17", 50_000_000 + i, ".", "A", "G", 50, "PASS", f"DP={i % 997}")
              for i in range(40_000)]
    records = [S310F_38] + filler[:20_000] + [L755S_38] + filler[20_000:] + [V777L_38]
    src = write_vcf(tmp_path, "long.vcf", records, contigs=("##contig=<ID=chr17,length=83257441>",))
    gz = tmp_path / "long.vcf.gz"
    pysam.tabix_compress(str(src), str(gz), force=True)
    return gz


def _block_holding(data: bytes, needle: bytes) -> int:
    blocks = _bgzf_blocks(data)
    return next(i for i, (o, s) in enumerate(blocks) if needle in zlib.decompress(data[o:o + s], 31))


def test_demo_truncated_bgzip_keeps_records_before_damage(demo_dir, good_vcf):
    bad = demo_dir / "bad_truncated.vcf.gz"
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    lines = _only(run, bad)
    results = [d for d in lines if "error" not in d]
    errors = [d for d in lines if "error" in d]
    assert [(d["record"], d["protein_change"], d["hgvs_c"]) for d in results][:1] == [
        (1, "p.S310F", "NM_004448.4:c.929C>T")]
    assert [d["error"] for d in errors] == ["corrupt_file"]
    _error(errors[0])
    assert "truncated" in errors[0]["message"] or "damaged" in errors[0]["message"]
    _assert_batch_continued(run, good_vcf)


def test_truncated_bgzip_reports_every_complete_block_before_the_cut(tmp_path, long_bgzip):
    data = long_bgzip.read_bytes()
    blocks = _bgzf_blocks(data)
    holder = _block_holding(data, b"\t39723967\t")          # the block with L755S
    off, size = blocks[holder + 1]
    truncated = tmp_path / "cut.vcf.gz"
    truncated.write_bytes(data[:off + size // 2])            # cut inside the next block
    run = annotate(truncated)
    assert_no_traceback(run)
    assert run.returncode == 1
    got = [(d["record"], d.get("protein_change"), d.get("error")) for d in run.lines]
    assert (1, "p.S310F", None) in got
    assert (20_002, "p.L755S", None) in got, got    # it lies in a complete block before the cut
    assert (40_003, "p.V777L", None) not in got
    assert [e for _, _, e in got if e] == ["corrupt_file"]


def test_garbage_after_complete_bgzip_stream(tmp_path, long_bgzip):
    """Every record lies before the damage (junk appended after the BGZF EOF block), so every
    ERBB2 record, including the last one, must be reported, plus one corrupt_file error."""
    bad = tmp_path / "tail.vcf.gz"
    bad.write_bytes(long_bgzip.read_bytes() + b"this is not gzip data")
    run = annotate(bad)
    assert_no_traceback(run)
    got = [(d["record"], d.get("protein_change"), d.get("error")) for d in run.lines]
    assert [g for g in got if not g[2]] == [(1, "p.S310F", None), (20_002, "p.L755S", None),
                                            (40_003, "p.V777L", None)], got
    assert [e for _, _, e in got if e] == ["corrupt_file"]
    assert run.returncode == 1


def test_corrupt_bytes_inside_bgzip(tmp_path, long_bgzip):
    data = bytearray(long_bgzip.read_bytes())
    blocks = _bgzf_blocks(bytes(data))
    holder = _block_holding(bytes(data), b"\t39723967\t")
    off, size = blocks[holder + 1]                           # damage the block after L755S
    for i in range(off + 30, off + 70):
        data[i] ^= 0x5A
    bad = tmp_path / "flipped.vcf.gz"
    bad.write_bytes(bytes(data))
    run = annotate(bad)
    assert_no_traceback(run)
    assert run.returncode == 1
    got = [(d["record"], d.get("protein_change"), d.get("error")) for d in run.lines]
    assert (1, "p.S310F", None) in got
    assert (20_002, "p.L755S", None) in got, got
    assert [e for _, _, e in got if e] == ["corrupt_file"]


@pytest.mark.parametrize("payload", [
    b"\x1f\x8b" + bytes(range(256)) * 2,                     # gzip magic, then junk
    b"\x1f\x8b\x08\x04" + os.urandom(16) + b"\xff" * 300,    # a broken BGZF-looking header
], ids=["gzip-magic-then-junk", "broken-bgzf-header"])
def test_corrupt_gzip_bytes(tmp_path, good_vcf, payload):
    bad = tmp_path / "junk.vcf.gz"
    bad.write_bytes(payload)
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, bad)
    _error(d)
    assert d["error"] == "corrupt_file" and d["record"] is None
    _assert_batch_continued(run, good_vcf)


def test_gzip_with_damaged_deflate_data(tmp_path, good_vcf):
    """A real gzip header followed by damaged deflate data (a classic bad download)."""
    text = write_vcf(tmp_path, "s.vcf", [S310F_38]).read_bytes()
    data = bytearray(gzip.compress(text))
    for i in range(12, min(len(data) - 8, 40)):
        data[i] ^= 0xFF
    bad = tmp_path / "damaged.vcf.gz"
    bad.write_bytes(bytes(data))
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, bad)
    _error(d)
    assert d["error"] == "corrupt_file"
    _assert_batch_continued(run, good_vcf)


def test_truncated_bgzip_maf_keeps_rows_before_damage(tmp_path, demo_dir, good_vcf):
    """A big MAF (the demo rows first, then 30,000 KRAS rows), bgzipped and cut short."""
    demo = (demo_dir / "patient04_tcga_luad_erbb2.maf").read_text().splitlines()
    header, rows = demo[0], [r for r in demo[1:] if r.strip()]
    n_erbb2 = sum(1 for r in rows if r.split("\t")[0] == "ERBB2")
    kras = next(r for r in rows if r.startswith("KRAS\t"))
    src = tmp_path / "big.maf"
    src.write_text("\n".join([header] + rows + [kras] * 30_000) + "\n")
    gz = tmp_path / "big.maf.gz"
    pysam.tabix_compress(str(src), str(gz), force=True)
    data = gz.read_bytes()
    bad = tmp_path / "cut.maf.gz"
    bad.write_bytes(data[: len(data) * 2 // 3])
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    lines = _only(run, bad)
    results = [d for d in lines if "error" not in d]
    assert [d["record"] for d in results] == list(range(1, n_erbb2 + 1))
    errs = [d for d in lines if "error" in d]
    assert [d["error"] for d in errs] == ["corrupt_file"]
    _error(errs[0])
    _assert_batch_continued(run, good_vcf)


def test_truncated_gzip_hgvs_list_keeps_lines_before_damage(tmp_path, good_vcf):
    lines = ["NM_004448.4:c.929C>T"] + ["# padding %d" % i for i in range(60_000)] + ["NM_004448.4:c.2264T>C"]
    src = tmp_path / "list.txt"
    src.write_text("\n".join(lines) + "\n")
    gz = tmp_path / "list.txt.gz"
    pysam.tabix_compress(str(src), str(gz), force=True)
    data = gz.read_bytes()
    bad = tmp_path / "cut.txt.gz"
    bad.write_bytes(data[: len(data) // 2])
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    got = [(d["record"], d.get("protein_change"), d.get("error")) for d in _only(run, bad)]
    assert got[0] == (1, "p.S310F", None)
    assert [e for _, _, e in got if e] == ["corrupt_file"]
    assert (len(lines), "p.L755S", None) not in got
    _assert_batch_continued(run, good_vcf)


# --------------------------------------------------------------------------------------------
# empty and missing files
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,content", [
    ("empty.vcf", b""), ("empty.maf", b""), ("empty.txt", b""), ("blank.txt", b"\n  \n\r\n"),
], ids=["vcf", "maf", "txt", "whitespace-only"])
def test_empty_file(tmp_path, good_vcf, name, content):
    bad = tmp_path / name
    bad.write_bytes(content)
    run = annotate(bad, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, bad)
    _error(d)
    assert (d["record"], d["error"]) == (None, "empty_input")
    assert "empty" in d["message"]
    _assert_batch_continued(run, good_vcf)


def test_empty_bgzip(tmp_path, good_vcf):
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    gz = tmp_path / "empty.vcf.gz"
    pysam.tabix_compress(str(empty), str(gz), force=True)
    run = annotate(gz, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, gz)
    assert (d["record"], d["error"]) == (None, "empty_input")
    _assert_batch_continued(run, good_vcf)


def test_missing_file(tmp_path, good_vcf):
    missing = tmp_path / "does_not_exist.vcf"
    run = annotate(missing, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, missing)
    _error(d)
    assert d["record"] is None and d["error"] == "file_not_found"
    assert "does_not_exist.vcf" in d["message"]
    _assert_batch_continued(run, good_vcf)


def test_directory_as_input(tmp_path, good_vcf):
    run = annotate(tmp_path, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    [d] = _only(run, tmp_path)
    _error(d)
    assert "directory" in d["message"]


def test_batch_of_many_bad_inputs_keeps_order_and_counts(tmp_path, good_vcf):
    empty = tmp_path / "e.vcf"
    empty.write_bytes(b"")
    swap = write_vcf(tmp_path, "swap.vcf", [rec("chr17", 39_711_955, ".", "T", "C", 50, "PASS", ".")])
    run = annotate(empty, tmp_path / "missing.vcf", swap, good_vcf)
    assert_no_traceback(run)
    assert run.returncode == 1
    assert [d["input"] for d in run.lines] == [str(empty), str(tmp_path / "missing.vcf"), str(swap),
                                               str(good_vcf)]
    assert "3 record(s) failed" in run.stderr


# --------------------------------------------------------------------------------------------
# usage errors: exit status 2
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ("--format", "xml"), ("--build", "hg99"), ("--no-such-option",), ("--reference", "/no/such/genome.fa"),
], ids=["format-xml", "build-hg99", "unknown-option", "missing-reference"])
def test_usage_errors_exit_2(good_vcf, args):
    run = annotate(good_vcf, *args)
    assert_no_traceback(run)
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert run.stdout == ""
    assert run.stderr.strip()


def test_annotate_without_inputs_exit_2():
    run = annotate()
    assert_no_traceback(run)
    assert run.returncode == 2
