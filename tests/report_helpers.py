"""Shared helpers for the case/report tests."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from her2scope.case.schema import parse_case
from her2scope.report.model import report_for

DEMO = Path(str(resources.files("her2scope") / "demo_data"))
CASES = DEMO / "cases"

YVMA_VCF = "../patient01_yvma_grch38.vcf"
S310F_VCF = "../patient02_s310f_grch37.vcf.gz"


def case(prior_lines=1, region="US", histology="adenocarcinoma", stage="IVB", files=(YVMA_VCF,),
         sample_type="tissue", ihc=None, ish=None, copy_number=None, brain="unknown", **clinical):
    data = {"case_id": "T1", "clinical": {"histology": histology, "stage": stage, "region": region,
                                          "prior_lines": prior_lines, "brain_metastases": brain, **clinical}}
    if files is not None:
        ngs = {"sample_type": sample_type, "files": list(files)}
        if copy_number:
            ngs["copy_number"] = copy_number
        data["ngs"] = [ngs]
    if ihc:
        data["ihc"] = {"score": ihc, "scoring_system": "gastric"}
    if ish:
        data["ish"] = ish
    return parse_case(data)


def report(**kw):
    return report_for(case(**kw), CASES)


def verdicts(rep) -> dict[str, str]:
    return {o.label_id: o.verdict for o in rep.steps.options}
