"""The sweep's summary printed a failed file's path twice ("failed: b.vcf.gz: not_variant_file:
/abs/path/b.vcf.gz: ..."): the line names the file as given, the reason follows without the path;
files.parquet keeps the reader's whole message."""

from __future__ import annotations

import gzip

import pytest

pytest.importorskip("duckdb")

from her2scope.cli_sweep import _summary  # noqa: E402
from her2scope.sweep.discover import discover  # noqa: E402
from her2scope.sweep.local import run_local  # noqa: E402
from her2scope.sweep.worker import Settings  # noqa: E402


def test_failed_file_is_named_once(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    (root / "headless.vcf").write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\n")
    (root / "b.vcf.gz").write_bytes(gzip.compress(b"garbage\n"))
    inputs, skipped = discover(str(root))
    result = run_local(inputs, str(tmp_path / "out"), Settings(), jobs=1)
    failed = [line for line in _summary(result, skipped, str(tmp_path / "out")) if "failed: " in line]
    assert sorted(failed) == [
        "  failed: b.vcf.gz: not_variant_file: neither VCF, BCF nor MAF, and no line is an HGVS expression "
        "(1 line(s) failed)",
        "  failed: headless.vcf: malformed_record: header line 2: expected the 8 fixed columns #CHROM POS ID REF ALT "
        "QUAL FILTER INFO separated by tabs"]
    assert all(str(root) not in line for line in failed)
