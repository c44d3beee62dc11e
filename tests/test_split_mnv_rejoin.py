"""Split complex events are rejoined when phase or VAF says they are one haplotype."""

from her2scope.pipeline import Options, annotate_inputs

HEAD = ("##fileformat=VCFv4.2\n##reference=GRCh38\n##contig=<ID=chr17,length=83257441>\n"
        "##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n"
        "##FORMAT=<ID=AF,Number=A,Type=Float,Description=\"VAF\">\n"
        "##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"Phase set\">\n"
        "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tTUMOR\n")
# L755 codon TTG = c.2263-2265 = GRCh38 chr17:39723966-39723968.
L755_C1, L755_C2 = 39723966, 39723967
# G776 codon GGT = c.2326-2328 = GRCh38 chr17:39724744-39724746.
G776_C1, G776_C2 = 39724744, 39724745


def _run(tmp_path, *records):
    path = tmp_path / "split.vcf"
    path.write_text(HEAD + "".join(f"chr17\t{p}\t.\t{r}\t{a}\t.\tPASS\t.\tGT:AF:PS\t{s}\n"
                                   for p, r, a, s in records))
    return [i.as_dict() for i in annotate_inputs([str(path)], Options())]


def test_two_phased_snvs_in_one_codon_are_l755p_not_synonymous_plus_l755s(tmp_path):
    out = _run(tmp_path, (L755_C1, "T", "C", "0|1:0.30:100"), (L755_C2, "T", "C", "0|1:0.31:100"))
    assert len(out) == 1
    d = out[0]
    assert d["protein_change"] == "p.L755P"
    assert d["hgvs_c"] == "NM_004448.4:c.2263_2264delinsCC"
    assert d["joined_records"] == [1, 2]
    assert "39723966" in d["original"] and "39723967" in d["original"]   # both originals kept
    assert (d["pos"], d["ref"], d["alt"]) == (L755_C1, "TT", "CC")


def test_matching_vaf_without_phase_joins(tmp_path):
    out = _run(tmp_path, (L755_C1, "T", "C", "0/1:0.30:."), (L755_C2, "T", "C", "0/1:0.33:."))
    assert [d["protein_change"] for d in out] == ["p.L755P"]


def test_different_vaf_keeps_them_apart_with_a_note(tmp_path):
    out = _run(tmp_path, (L755_C1, "T", "C", "0/1:0.05:."), (L755_C2, "T", "C", "0/1:0.45:."))
    assert [d["protein_change"] for d in out] == ["p.L755=", "p.L755S"]
    assert all(any("not joined" in n for n in d["notes"]) for d in out)


def test_phased_in_trans_is_not_joined(tmp_path):
    out = _run(tmp_path, (L755_C1, "T", "C", "0|1:0.30:100"), (L755_C2, "T", "C", "1|0:0.30:100"))
    assert [d["protein_change"] for d in out] == ["p.L755=", "p.L755S"]


def test_two_insertions_in_one_codon_are_g776delinsvc_not_two_frameshifts(tmp_path):
    # G G T -> G [T] G [TG] T = GTGTGT (Val-Cys): each insertion alone is a frameshift.
    out = _run(tmp_path, (G776_C1, "G", "GT", "0|1:0.2:7"), (G776_C2, "G", "GTG", "0|1:0.2:7"))
    assert len(out) == 1
    assert out[0]["protein_change"] == "p.G776delinsVC"
    assert out[0]["consequence"] == "inframe_insertion"


def test_substitution_beside_an_insertion_is_one_delins(tmp_path):
    # c.2327G>T and GTG inserted after c.2327 (VCF anchor on c.2327): G T GTG T = GTGTGT.
    out = _run(tmp_path, (G776_C2, "G", "T", "0|1:0.2:7"), (G776_C2, "G", "GGTG", "0|1:0.2:7"))
    assert [d["protein_change"] for d in out] == ["p.G776delinsVC"]


def test_records_in_different_codons_that_do_not_touch_stay_apart(tmp_path):
    from her2scope.genome.builds import Build
    from her2scope.genome.reference import BundledReference

    far = 39723977                                  # c.2274, codon 758
    base = BundledReference().sequence(Build.GRCh38, far - 1, far)
    alt = "A" if base != "A" else "G"
    out = _run(tmp_path, (L755_C2, "T", "C", "0|1:0.3:100"), (far, base, alt, "0|1:0.3:100"))
    assert len(out) == 2 and "error" not in out[1]
    assert out[0]["protein_change"] == "p.L755S" and out[1]["joined_records"] is None
