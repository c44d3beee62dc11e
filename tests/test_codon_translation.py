"""Every single-nucleotide change in every codon of NM_004448.4 is named as the genetic code says.

The expected amino acid comes from an independent table (Python's own dict built here from
the NCBI standard code string), not from her2scope's translator.
"""

from her2scope.genome.builds import Build
from her2scope.genome.transcript import erbb2
from her2scope.hgvs.protein import ProteinChange

from helpers_engine import REF

NCBI_STANDARD = ("FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG",
                 "TTTTTTTTTTTTTTTTCCCCCCCCCCCCCCCCAAAAAAAAAAAAAAAAGGGGGGGGGGGGGGGG",
                 "TTTTCCCCAAAAGGGGTTTTCCCCAAAAGGGGTTTTCCCCAAAAGGGGTTTTCCCCAAAAGGGG",
                 "TCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAGTCAG")
CODE = {NCBI_STANDARD[1][i] + NCBI_STANDARD[2][i] + NCBI_STANDARD[3][i]: NCBI_STANDARD[0][i]
        for i in range(64)}


def test_every_codon_change():
    from her2scope.annotate import predict_effect
    from her2scope.variant import GenomicAllele

    tx = erbb2()
    cds = tx.cds
    protein = tx.protein
    assert "".join(CODE[cds[i:i + 3]] for i in range(0, len(cds) - 3, 3)) == protein
    checked = 0
    for codon_index in range(len(protein)):
        codon = cds[3 * codon_index:3 * codon_index + 3]
        for offset in range(3):
            c_pos = 3 * codon_index + offset                # 0-based CDS index
            g = tx.to_genome(Build.GRCh38, tx.from_cpos(tx.to_cpos(_point(tx, c_pos))))
            assert REF.sequence(Build.GRCh38, g, g + 1) == codon[offset]
            for base in "ACGT":
                if base == codon[offset]:
                    continue
                new = codon[:offset] + base + codon[offset + 1:]
                ref_aa, alt_aa = protein[codon_index], CODE[new]
                effect = predict_effect(tx, GenomicAllele(Build.GRCh38, g, codon[offset], base))
                change: ProteinChange = effect.change
                pos = codon_index + 1
                if codon_index == 0:
                    assert change.kind == "start_lost"
                elif alt_aa == ref_aa:
                    assert change.short == f"p.{ref_aa}{pos}="
                elif alt_aa == "*":
                    assert change.short == f"p.{ref_aa}{pos}*"
                else:
                    assert change.short == f"p.{ref_aa}{pos}{alt_aa}", (pos, codon, new)
                checked += 1
    assert checked == 1255 * 9


def _point(tx, cds_index):
    from her2scope.genome.transcript import TxPoint

    return TxPoint(tx.cds_start + cds_index)


def test_stop_codon_changes_are_extensions_or_retained():
    from her2scope.annotate import predict_effect
    from her2scope.genome.transcript import TxPoint
    from her2scope.variant import GenomicAllele

    tx = erbb2()
    stop = tx.cds[-3:]
    assert stop == "TGA"
    g = tx.to_genome(Build.GRCh38, TxPoint(tx.cds_end - 3))
    lost = predict_effect(tx, GenomicAllele(Build.GRCh38, g, "T", "C")).change   # TGA -> CGA (Arg)
    assert lost.kind == "ext" and lost.short.startswith("p.*1256Rext*")
    kept = predict_effect(tx, GenomicAllele(Build.GRCh38, g + 1, "G", "A")).change  # TGA -> TAA
    assert kept.short == "p.*1256="


def test_windowed_translation_equals_full_translation():
    """The in-frame fast path (translate only the changed codons) gives the same protein as
    translating the whole changed transcript, for every in-frame edit drawn here."""
    import random

    from her2scope.annotate import _alt_protein
    from her2scope.genome.translate import translate

    tx = erbb2()
    rng = random.Random(7)
    for _ in range(3000):
        t0 = rng.randrange(tx.cds_start + 3, tx.cds_end - 3)
        deleted = rng.choice([0, 0, 1, 2, 3, 6])
        t1 = min(t0 + deleted, tx.cds_end - 3)
        inserted = "".join(rng.choice("ACGT") for _ in range(rng.choice([0, 1, 2, 3, 6, 9, 12])))
        delta = len(inserted) - (t1 - t0)
        if delta % 3 or (t1 == t0 and not inserted):
            continue
        alt_mrna = tx.mrna[:t0] + inserted + tx.mrna[t1:]
        full = translate(alt_mrna[tx.cds_start:], to_stop=True)
        assert _alt_protein(tx, inserted, t0, t1, delta) == full, (t0, t1, inserted)
