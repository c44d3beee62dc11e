"""A bgzipped VCF cut exactly at a BGZF block boundary inflated cleanly and was reported as read
in full ("all records interpreted", exit 0): a sorted file cut before chr17 then read as "no
ERBB2 variant" — a negative that is not true. Only the missing end-of-file marker (the empty
block every bgzip has written last since 2011) tells; its absence is now a whole-file
``corrupt_file`` error after the records before it, so the test is failed, never negative."""

from __future__ import annotations

import struct

from conftest import annotate, assert_no_traceback, sorted_vcf_gz_with_late_yvma

from her2scope.case.picture import Status, build_picture
from her2scope.case.schema import parse_case
from her2scope.readers.bgzf import BGZF_EOF


def _block_offsets(data: bytes) -> list[int]:
    offsets, off = [], 0
    while off < len(data):
        offsets.append(off)
        off += struct.unpack_from("<H", data, off + 16)[0] + 1
    return offsets


def test_cut_at_a_block_boundary_is_not_read_as_complete(tmp_path):
    whole = sorted_vcf_gz_with_late_yvma(tmp_path)
    data = whole.read_bytes()
    assert data.endswith(BGZF_EOF)
    cut = tmp_path / "cut.vcf.gz"
    cut.write_bytes(data[: _block_offsets(data)[len(_block_offsets(data)) // 2]])   # before chr17
    run = annotate(cut)
    assert_no_traceback(run)
    assert run.returncode == 1
    assert [(e["error"], e["record"]) for e in run.errors] == [("corrupt_file", None)]
    assert "end-of-file marker" in run.errors[0]["message"]
    case = parse_case({"case_id": "CUT", "clinical": {"histology": "adenocarcinoma", "stage": "IVB", "region": "US"},
                       "ngs": [{"sample_type": "tissue", "files": [str(cut)]}]})
    assert build_picture(case, tmp_path).mutation.status is Status.failed


def test_the_whole_file_is_still_complete(tmp_path):
    run = annotate(sorted_vcf_gz_with_late_yvma(tmp_path))
    assert run.returncode == 0 and not run.errors
    assert [d["protein_change"] for d in run.results] == ["p.Y772_A775dup"]
