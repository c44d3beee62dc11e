"""Issue 12 item 5: in MAF + clinical mode the MAF's '#sequenced_samples:' line (written by the MSK
IMPACT and GENIE pipelines: every sample sequenced, space-separated) was ignored, so samples
sequenced without any call fell out of the denominator (886 instead of 915)."""

from __future__ import annotations

from pathlib import Path

from cohort_studies import S310F, TP53_R273H, YVMA, maf_row, write_maf

from her2scope.cohort.analysis import analyse
from her2scope.cohort.engines import DuckDBEngine


def test_sequenced_samples_without_calls_are_in_the_denominator(tmp_path: Path):
    maf = tmp_path / "data_mutations_extended.txt"
    # S1..S6 sequenced; calls only for S1, S2, S3; S7 is in the clinical table but not sequenced
    write_maf(maf, [maf_row(YVMA, "S1"), maf_row(S310F, "S2"), maf_row(TP53_R273H, "S3")],
              first_lines=("#sequenced_samples: S1 S2 S3 S4 S5 S6",))
    clin = tmp_path / "samples.tsv"
    clin.write_text("SAMPLE_ID\tSEX\n" + "".join(f"S{i}\t{'Male' if i % 2 else 'Female'}\n" for i in range(1, 8)))
    res = analyse(maf, DuckDBEngine(), clinical=clin, with_statistics=False)
    res.close()
    s = res.summary
    assert (s["profiled_samples"], s["her2_mutant_samples"]) == (6, 2)      # 3 without the line
    assert s["samples_total"] == 7 and s["samples_not_profiled_for_erbb2"] == 1
    assert any("'#sequenced_samples:' line" in w and w.startswith("3 sample(s)") for w in s["warnings"])


def test_a_sample_with_calls_missing_from_the_line_stays_profiled(tmp_path: Path):
    maf = tmp_path / "calls.maf"
    write_maf(maf, [maf_row(YVMA, "S1"), maf_row(YVMA, "S9")], first_lines=("#Sequenced_Samples: S1 S2",))
    res = analyse(maf, DuckDBEngine(), with_statistics=False)
    res.close()
    assert (res.summary["profiled_samples"], res.summary["her2_mutant_samples"]) == (3, 2)
