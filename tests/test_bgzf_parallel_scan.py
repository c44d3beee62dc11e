"""The BGZF reader inflates batches of blocks on worker threads and the scan searches each
block where it lies (only the line spanning two blocks is joined).  Tiny blocks put a block
boundary inside nearly every line; the expectations come from the plain text (line numbers by
enumerate, block offsets by summing the sizes written)."""

from __future__ import annotations

import struct
import zlib

import pytest

from her2scope.errors import CorruptFileError
from her2scope.readers.bgzf import BgzfReader
from her2scope.readers.compressed import decompression_errors
from her2scope.readers.vcf_scan import ScanState, read_header, scan

ERBB2_LO, ERBB2_HI = 39_688_094, 39_728_658   # GRCh38, 1-based


def bgzf_block(text: bytes) -> bytes:
    """One BGZF block (RFC 1952 member with the 'BC' extra subfield holding BSIZE - 1)."""
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    deflated = comp.compress(text) + comp.flush()
    bsize = 18 + len(deflated) + 8
    header = b"\x1f\x8b\x08\x04\0\0\0\0\0\xff\x06\0BC\x02\0" + struct.pack("<H", bsize - 1)
    return header + deflated + struct.pack("<II", zlib.crc32(text), len(text))


def write_bgzf(path, text: bytes, piece: int) -> list[int]:
    """``text`` in blocks of ``piece`` bytes plus the EOF block; the blocks' file offsets."""
    offsets, out = [], b""
    for i in range(0, len(text), piece):
        offsets.append(len(out))
        out += bgzf_block(text[i:i + piece])
    path.write_bytes(out + bgzf_block(b""))
    return offsets


def vcf_text() -> bytes:
    header = [b"##fileformat=VCFv4.2", b"##contig=<ID=chr17,length=83257441>",
              b"#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO"]
    body = []
    for i in range(3000):
        chrom, pos = (b"chr17", ERBB2_LO + 7 * i) if i % 3 == 0 else (b"chr1", 1000 + i)
        body.append(b"%s\t%d\t.\tA\tG\t50\tPASS\tDP=%d" % (chrom, pos, i))
    return b"\n".join(header + body) + b"\n"


def expected_hits(text: bytes) -> list[tuple[int, str]]:
    data = [line for line in text.decode().splitlines() if not line.startswith("#")]
    return [(n, line) for n, line in enumerate(data, 1)
            if line.startswith("chr17\t") and int(line.split("\t")[1]) <= ERBB2_HI]


def run_scan(stream) -> tuple[list[tuple[int, str]], ScanState]:
    _, rest = read_header(stream)
    state = ScanState()
    hits = list(scan(stream, rest, {"chr17", "17"}, ERBB2_LO, ERBB2_HI, state, decompression_errors()))
    return hits, state


@pytest.mark.parametrize("workers", [1, 3])
@pytest.mark.parametrize("piece", [37, 1000, 65280])
def test_scan_numbers_every_record_across_block_boundaries(tmp_path, workers, piece):
    text = vcf_text()
    path = tmp_path / "t.vcf.gz"
    write_bgzf(path, text, piece)
    with BgzfReader(str(path), workers=workers) as reader:
        hits, state = run_scan(reader)
    assert hits == expected_hits(text)
    assert len(hits) == 1000 - sum(1 for i in range(0, 3000, 3) if ERBB2_LO + 7 * i > ERBB2_HI)
    assert state.data_records == 3000 and state.truncated is None


@pytest.mark.parametrize("workers", [1, 3])
def test_reader_hands_over_every_block_before_a_damaged_one_then_names_its_offset(tmp_path, workers):
    text = vcf_text()
    path = tmp_path / "t.vcf.gz"
    offsets = write_bgzf(path, text, 500)
    data = bytearray(path.read_bytes())
    bad = 150                                   # far beyond the first batches
    for i in range(offsets[bad] + 20, offsets[bad] + 30):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    got = b""
    with BgzfReader(str(path), workers=workers) as reader:
        with pytest.raises(CorruptFileError, match=f"damaged BGZF block at byte {offsets[bad]}:"):
            while part := reader.read1():
                got += part
    assert got == text[:bad * 500]


def test_scan_of_a_file_cut_inside_a_block_keeps_whole_lines_before_the_cut(tmp_path):
    text = vcf_text()
    path = tmp_path / "t.vcf.gz"
    offsets = write_bgzf(path, text, 300)
    # Two bytes into block 200's data: nothing of it inflates, blocks 0-199 are whole.
    path.write_bytes(path.read_bytes()[:offsets[200] + 20])
    with BgzfReader(str(path), workers=2) as reader:
        hits, state = run_scan(reader)
    kept = text[:200 * 300]
    kept = kept[:kept.rfind(b"\n") + 1]
    assert isinstance(state.truncated, EOFError)
    assert f"truncated at byte {offsets[200]}" in str(state.truncated)
    assert state.data_records == sum(1 for line in kept.splitlines() if not line.startswith(b"#"))
    assert state.partial_line
    assert hits == expected_hits(kept)
