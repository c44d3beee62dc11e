"""--reference GENOME.fa supplies bases outside the bundled ERBB2 locus (and, when given, takes
precedence inside it); without it nothing outside the locus is guessed."""

import pytest

from her2scope.errors import NeedsReferenceError
from her2scope.genome.builds import Build
from her2scope.genome.reference import FastaReference, reference_for
from her2scope.genome.transcript import erbb2
from her2scope.pipeline import Options, annotate_inputs

INTRON19 = "GTAAGTTTTTTCCAGG"   # synthetic donor-side intron 19 sequence placed after exon 19


@pytest.fixture(scope="module")
def grch38_fasta(tmp_path_factory):
    """A full-length GRCh38 chr17 (N everywhere) with the real ERBB2 exons written in, and a
    synthetic run of T just after exon 19 so that an intronic deletion has to shift."""
    import pysam

    tx = erbb2()
    length = Build.GRCh38.chr17_length
    seq = bytearray(b"N" * length)
    for ex in tx.exons[Build.GRCh38]:
        seq[ex.g_start:ex.g_end] = tx.mrna[ex.tx_start:ex.tx_end].encode()
    ex19 = next(e for e in tx.exons[Build.GRCh38] if e.number == 19)
    seq[ex19.g_end:ex19.g_end + len(INTRON19)] = INTRON19.encode()
    path = tmp_path_factory.mktemp("ref") / "chr17.fa"
    with open(path, "wb") as fh:
        fh.write(b">chr17\n")
        fh.write(bytes(seq))
        fh.write(b"\n")
    pysam.faidx(str(path))
    return str(path), ex19


def _vcf(tmp_path, pos, ref, alt):
    path = tmp_path / "intronic.vcf"
    path.write_text("##fileformat=VCFv4.2\n##contig=<ID=chr17,length=83257441>\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                    f"chr17\t{pos}\t.\t{ref}\t{alt}\t.\tPASS\t.\n")
    return str(path)


def test_fasta_build_is_read_from_chr17_length(grch38_fasta):
    path, _ = grch38_fasta
    assert FastaReference(path).build is Build.GRCh38


def test_intronic_deletion_is_named_from_the_fasta_when_one_is_given(grch38_fasta, tmp_path):
    path, ex19 = grch38_fasta
    # Delete one T of the synthetic TTTTTT run at c.2307+6..+11 (1-based genome ex19.g_end + 6 ..).
    run_start = ex19.g_end + INTRON19.index("TTTTTT")          # 0-based
    pos = run_start          # VCF padding base is the base before the run ('G' of GTAAG)
    vcf = _vcf(tmp_path, pos, "GT", "G")
    # Without the FASTA the bundled (real) intron 19 answers: c.2307+5_+6 is gc there, not GT.
    without = list(annotate_inputs([vcf], Options()))
    assert without[0].error == "ref_mismatch"
    with_ref = [i.as_dict() for i in annotate_inputs([vcf], Options(reference=path))]
    d = with_ref[0]
    # 3' rule: the deleted T is the last of the run: c.2307+11del.
    assert d["hgvs_c"] == "NM_004448.4:c.2307+11del", d
    assert d["consequence"] == "intron_variant"
    assert (d["pos"], d["ref"], d["alt"]) == (pos, "GT", "G")      # already left-aligned
    assert d["reference_checked"] is True


def test_intronic_snv_is_checked_against_the_bundled_locus(tmp_path, grch38_fasta):
    path, ex19 = grch38_fasta
    donor = ex19.g_end + 1                        # 1-based position of c.2307+1 (G of GT)
    vcf = _vcf(tmp_path, donor, "G", "A")
    d = next(iter(annotate_inputs([vcf], Options()))).as_dict()
    assert d["hgvs_c"] == "NM_004448.4:c.2307+1G>A"
    assert d["consequence"] == "splice_donor_variant" and d["hgvs_p"] == "NP_004439.2:p.?"
    assert d["reference_checked"] is True        # the bundled GRCh38 intron 19 has g there
    # A wrong REF at that intronic base is caught, with or without the FASTA.
    bad = _vcf(tmp_path, donor, "C", "A")
    assert next(iter(annotate_inputs([bad], Options()))).error == "ref_mismatch"
    err = next(iter(annotate_inputs([bad], Options(reference=path))))
    assert err.error == "ref_mismatch"


def test_indel_needing_bases_past_the_locus_still_needs_the_fasta(grch38_fasta, tmp_path):
    # The bundled locus ends at the last base of exon 27 (the mRNA's ...AAAACA).  Deleting that
    # final A: the 3' rule needs the next genomic base, which only a FASTA can give.
    path, _ = grch38_fasta
    tx = erbb2()
    last = tx.exons[Build.GRCh38][-1].g_end          # 1-based position of the last base
    assert tx.mrna[-2:] == "CA"
    vcf = _vcf(tmp_path, last - 1, "CA", "C")
    err = next(iter(annotate_inputs([vcf], Options())))
    assert err.error == "needs_reference" and "--reference" in err.message
    # The synthetic FASTA has N after the exon: no shift, a 3' UTR deletion.
    d = next(iter(annotate_inputs([vcf], Options(reference=path)))).as_dict()
    assert d["hgvs_c"] == f"NM_004448.4:c.*{len(tx.mrna) - tx.cds_end}del"
    assert d["consequence"] == "3_prime_UTR_variant"


def test_fasta_of_another_build_does_not_answer(grch38_fasta):
    path, _ = grch38_fasta
    ref = reference_for(path)
    # GRCh37 chr17:37,800,001 lies outside the bundled ERBB2 locus (37,844,347-37,884,911).
    assert ref.sequence(Build.GRCh37, 37800000, 37800001) is None
    with pytest.raises(NeedsReferenceError):
        from her2scope.normalize import shift
        from her2scope.variant import GenomicAllele

        shift(GenomicAllele(Build.GRCh37, 37800000, "A", ""), ref, right=True)
