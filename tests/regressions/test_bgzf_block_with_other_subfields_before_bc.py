"""BGZF blocks are recognised by their 'BC' extra subfield wherever it sits among the gzip extra
subfields (SAM/BAM specification 4.1: other subfields may precede it); bgzip writes it alone,
which the reader checks fast, but a block with another subfield first must read the same.
Expectations come from the plain text the blocks were made of."""

from __future__ import annotations

import struct
import zlib

import pytest

from her2scope.errors import CorruptFileError
from her2scope.readers.bgzf import BgzfReader


def block(text: bytes, before: bytes = b"") -> bytes:
    """One BGZF block; ``before``: whole extra subfields placed ahead of 'BC'."""
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = comp.compress(text) + comp.flush()
    extra_len = len(before) + 6
    bsize = 12 + extra_len + len(deflated) + 8
    header = b"\x1f\x8b\x08\x04\0\0\0\0\0\xff" + struct.pack("<H", extra_len) + before
    header += b"BC\x02\0" + struct.pack("<H", bsize - 1)
    return header + deflated + struct.pack("<II", zlib.crc32(text), len(text))


TEXT = b"".join(b"chr1\t%d\t.\tA\tG\t50\tPASS\tDP=%d\n" % (i, i) for i in range(1, 4001))
PIECES = [TEXT[i:i + 3000] for i in range(0, len(TEXT), 3000)]


def read_all(path) -> bytes:
    with BgzfReader(str(path), workers=2) as reader:
        return reader.read()


@pytest.mark.parametrize("before", [b"", b"XY\x03\0abc", b"AB\0\0" + b"CD\x01\0z"])
def test_blocks_with_other_subfields_before_bc_read_like_bgzip_blocks(tmp_path, before):
    path = tmp_path / "t.vcf.gz"
    path.write_bytes(b"".join(block(p, before) for p in PIECES) + block(b""))
    assert read_all(path) == TEXT


def test_mixed_layouts_in_one_file(tmp_path):
    path = tmp_path / "t.vcf.gz"
    path.write_bytes(b"".join(block(p, b"XY\x01\0q" if i % 2 else b"") for i, p in enumerate(PIECES))
                     + block(b""))
    assert read_all(path) == TEXT


def test_a_gzip_block_without_bc_after_good_blocks_is_damage_named_at_its_offset(tmp_path):
    good = block(PIECES[0])
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    plain_gzip = (b"\x1f\x8b\x08\x04\0\0\0\0\0\xff\x05\0XY\x01\0q" + comp.compress(PIECES[1]) + comp.flush()
                  + struct.pack("<II", zlib.crc32(PIECES[1]), len(PIECES[1])))
    path = tmp_path / "t.vcf.gz"
    path.write_bytes(good + plain_gzip + block(b""))
    with BgzfReader(str(path), workers=2) as reader:
        assert reader.read1() == PIECES[0]          # the block before the damage is handed over
        with pytest.raises(CorruptFileError, match=f"at byte {len(good)}"):
            reader.read()
