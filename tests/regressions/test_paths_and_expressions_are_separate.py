"""annotate_inputs took one list and guessed, per string, whether it was a file or an HGVS
expression (a file when one of that name existed): a missing file that looked like HGVS was
annotated as a variant, and an expression that happened to name a file was opened. Paths and
expressions are now separate arguments (issue 11 item 5), and a reference provider can be
injected through Options."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from her2scope import Options, RecordError, VariantResult, annotate_inputs
from her2scope.genome.reference import BundledReference

YVMA_VCF = Path(str(resources.files("her2scope") / "demo_data" / "patient01_yvma_grch38.vcf"))


def test_a_missing_path_is_never_read_as_an_expression(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (item,) = list(annotate_inputs(["ERBB2 p.S310F"]))
    assert isinstance(item, RecordError) and item.error == "file_not_found" and item.record is None
    assert "pass it as an expression" in item.message
    (item,) = list(annotate_inputs(expressions=["ERBB2 p.S310F"]))
    assert isinstance(item, VariantResult) and item.protein_change == "p.S310F"


def test_an_expression_is_never_opened_as_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("p.S310F").write_text("##fileformat=VCFv4.2\nnot a variant file\n", encoding="utf-8")
    (item,) = list(annotate_inputs(expressions=["p.S310F"]))
    assert isinstance(item, VariantResult) and item.protein_change == "p.S310F"
    read = list(annotate_inputs(["p.S310F"]))              # as a path it is that file
    assert read and all(isinstance(i, RecordError) for i in read)


def test_files_then_expressions_each_with_a_summary():
    summaries: list = []
    items = list(annotate_inputs([YVMA_VCF], Options(), summaries, expressions=["ERBB2 p.S310F"]))
    assert [i.protein_change for i in items] == ["p.Y772_A775dup", "p.S310F"]
    assert [(s.input, s.format) for s in summaries] == [(str(YVMA_VCF), "VCF"), ("ERBB2 p.S310F", "HGVS")]


def test_a_bare_string_is_refused():
    with pytest.raises(TypeError):
        list(annotate_inputs(str(YVMA_VCF)))
    with pytest.raises(TypeError):
        list(annotate_inputs(expressions="p.S310F"))


class _AllAdenine:
    """A reference that says every base is A: the VCF's REF (not all A) must then be refused."""

    name = "all-A test reference"

    def __init__(self) -> None:
        self.calls = 0

    def sequence(self, build, start, end):
        self.calls += 1
        return "A" * (end - start)


def test_an_injected_reference_provider_is_used():
    fake = _AllAdenine()
    items = list(annotate_inputs([YVMA_VCF], Options(reference=fake)))
    assert fake.calls and items and all(isinstance(i, RecordError) and i.error == "ref_mismatch" for i in items)
    good = list(annotate_inputs([YVMA_VCF], Options(reference=BundledReference())))
    assert [i.protein_change for i in good] == ["p.Y772_A775dup"]
