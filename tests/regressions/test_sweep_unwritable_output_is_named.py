"""`her2scope sweep -o OUT` where OUT cannot be made (a file stands in its way) raised a TypeError
(OutputError was called with one argument) instead of the named output error."""

from __future__ import annotations

import pytest

from her2scope.errors import OutputError
from her2scope.sweep.discover import discover
from her2scope.sweep.local import Settings, run_local


def test_output_folder_that_cannot_be_made_is_an_output_error(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.vcf").write_text("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be")
    with pytest.raises(OutputError) as err:
        run_local(discover(str(tmp_path / "in"))[0], str(blocker), Settings(), jobs=1, progress=False)
    assert err.value.code == "cannot_write" and str(blocker) in str(err.value)
