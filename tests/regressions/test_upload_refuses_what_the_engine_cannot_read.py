"""An upload the engine cannot read at all is refused at the upload (415), with the engine's reason.

The web's upload check repeated the engine's sniffing and disagreed with it: a file of blank
lines, a VCF body without its ``##fileformat`` line or gzip data that cannot be inflated passed
the check (as "HGVS text" or "VCF") and failed only later, inside the engine or the registry. The
check now asks the engine's sniffer (``readers.detect_format``): what it cannot read is refused
before anything runs, and the message is the engine's own reason.
"""

from __future__ import annotations

import pytest

from her2scope.web.uploads import UploadRejected, sniff_kind

HEADERLESS_VCF = (b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
                  b"chr17\t39724731\t.\tC\tT\t.\tPASS\t.\n")


@pytest.mark.parametrize("content,reason", [
    (b"\n\n   \n", "the file is empty (blank lines only)"),
    (HEADERLESS_VCF, "VCF without the ##fileformat line"),
    (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not deflate data", "compressed data that cannot be decompressed"),
], ids=["blank_lines", "vcf_without_fileformat", "damaged_gzip"])
def test_refused_with_the_engines_reason(tmp_path, content, reason):
    path = tmp_path / "upload.vcf"
    path.write_bytes(content)
    with pytest.raises(UploadRejected) as caught:
        sniff_kind(path)
    assert caught.value.status == 415
    assert caught.value.message == reason


def test_a_readable_vcf_is_still_accepted(tmp_path):
    path = tmp_path / "upload.txt"
    path.write_bytes(b"##fileformat=VCFv4.2\n" + HEADERLESS_VCF)
    assert sniff_kind(path) == "VCF"
