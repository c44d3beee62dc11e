"""The headline listed options whose verdict is 'needs information' or 'needs tissue test' under
"On label once a condition is met", which reads as a promise when the missing result (a failed
NGS, a plasma 'not detected') may as well exclude the option. They are now "not decided yet"."""

from __future__ import annotations

from report_helpers import S310F_VCF, report, verdicts


def test_plasma_not_detected_options_are_undecided_not_promised():
    rep = report(files=["plasma_no_erbb2_grch37.vcf"], sample_type="plasma")
    pending = [o for o in rep.steps.options if o.verdict in ("needs_tissue_test", "needs_information")]
    assert pending, verdicts(rep)
    headline = rep.headline()
    assert "once a condition is met" not in headline
    assert "Not decided yet, a result or fact is missing" in headline
    assert all(o.drug in headline for o in pending)


def test_on_label_options_keep_their_own_sentence():
    headline = report(files=[S310F_VCF]).headline()
    assert "On-label in US for this line" in headline
