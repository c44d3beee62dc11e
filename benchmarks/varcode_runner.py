"""varcode on a VCF against a local, offline ERBB2 genome (issue 14 baseline; never a her2scope
dependency).  Run by the python of a SEPARATE venv that has varcode installed (see
benchmarks/README.md, "varcode offline"); `sweep_benchmark.py` writes the inputs and calls it.

    VENV/bin/python benchmarks/varcode_runner.py index GTF CDNA_FA PROTEIN_FA CACHE_DIR
    VENV/bin/python benchmarks/varcode_runner.py annotate GTF CDNA_FA PROTEIN_FA CACHE_DIR VCF OUT_JSON

`index` builds pyensembl's database for the custom genome in CACHE_DIR (once, untimed).
`annotate` loads the VCF with that genome, computes every variant's effects and writes, per
variant, its top-priority effect on NM_004448.4 (class, short description, first changed
residue) and the seconds spent in `load_vcf` + `.effects()`.  Nothing is downloaded: the
genome is built only from the three local files.
"""

from __future__ import annotations

import json
import os
import sys
import time


def local_genome(gtf: str, cdna: str, protein: str, cache: str):
    os.environ["PYENSEMBL_CACHE_DIR"] = cache
    import pyensembl

    return pyensembl.Genome(
        reference_name="GRCh38", annotation_name="erbb2_local",
        gtf_path_or_url=gtf, transcript_fasta_paths_or_urls=[cdna],
        protein_fasta_paths_or_urls=[protein], cache_directory_path=cache)


def effect_row(variant, effect) -> dict:
    """The effect as plain fields.  A splice-region change comes as a set of possible outcomes:
    its normal-splicing coding effect is the one comparable with an HGVS p. change."""
    splice = type(effect).__name__
    outcomes = [getattr(c, "effect", c) for c in getattr(effect, "candidates", ())]
    normal = next((c for c in outcomes if type(c).__name__ == "NormalSplicing"), None)
    if normal is not None and getattr(normal, "coding_effect", None) is not None:
        effect = normal.coding_effect
    start = getattr(effect, "aa_mutation_start_offset", getattr(effect, "aa_pos", None))
    # A frameshift's residues run to the protein's end: the first few are enough to compare.
    cut = 12 if "FrameShift" in type(effect).__name__ else None
    return {
        "pos": variant.original_start, "ref": variant.original_ref, "alt": variant.original_alt,
        "effect": type(effect).__name__, "outer": splice, "short": effect.short_description,
        "aa_pos": None if start is None else start + 1,
        "aa_ref": (getattr(effect, "aa_ref", None) or "")[:cut],
        "aa_alt": (getattr(effect, "aa_alt", None) or "")[:cut],
    }


def annotate(genome, vcf: str) -> tuple[float, list[dict]]:
    import varcode

    t = time.perf_counter()
    variants = varcode.load_vcf(vcf, genome=genome, only_passing=False, distinct=False)
    effects = variants.effects()
    seconds = time.perf_counter() - t
    rows = [effect_row(v, e) for v, e in effects.top_priority_effect_per_variant().items()]
    return seconds, rows


def main(argv: list[str]) -> int:
    command, gtf, cdna, protein, cache = argv[:5]
    genome = local_genome(gtf, cdna, protein, cache)
    if command == "index":
        genome.index()
        tx = genome.transcript_by_id("NM_004448.4")
        print(json.dumps({"transcripts": len(genome.transcripts()), "protein_length": len(tx.protein_sequence),
                          "complete": tx.complete}))
        return 0
    vcf, out = argv[5:7]
    seconds, rows = annotate(genome, vcf)
    with open(out, "w") as fh:
        json.dump({"seconds": seconds, "variants": len(rows), "rows": rows}, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
