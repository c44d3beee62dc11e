"""Decompress the BGZF bytes between two virtual offsets (as stored in a tabix/CSI index)."""

from __future__ import annotations

import struct

from ..errors import CorruptFileError

_MAX_BLOCK = 1 << 16


def _block_size(data: bytes, off: int, where: str) -> int:
    if data[off:off + 2] != b"\x1f\x8b" or len(data) < off + 18:
        raise CorruptFileError(f"{where}: no BGZF block at byte {off}")
    xlen = struct.unpack_from("<H", data, off + 10)[0]
    x = off + 12
    while x < off + 12 + xlen:
        si1, si2, slen = data[x], data[x + 1], struct.unpack_from("<H", data, x + 2)[0]
        if si1 == 66 and si2 == 67:
            return struct.unpack_from("<H", data, x + 4)[0] + 1
        x += 4 + slen
    raise CorruptFileError(f"{where}: a gzip block at byte {off} is not BGZF")


def decompress_all(data: bytes, where: str) -> bytes:
    """A whole BGZF file, block by block (several times faster than a generic multi-member
    gzip reader on index files)."""
    from isal import isal_zlib

    parts, off = [], 0
    while off < len(data):
        size = _block_size(data, off, where)
        parts.append(isal_zlib.decompress(data[off:off + size], 31))
        off += size
    return b"".join(parts)


def read_range(path: str, begin: int, end: int) -> bytes:
    from isal import isal_zlib

    cbeg, ubeg = begin >> 16, begin & 0xFFFF
    cend, uend = end >> 16, end & 0xFFFF
    with open(path, "rb") as fh:
        fh.seek(cbeg)
        data = fh.read(cend - cbeg + _MAX_BLOCK)
    parts = []
    off, coff = 0, cbeg
    while coff <= cend and off < len(data):
        if data[off:off + 2] != b"\x1f\x8b" or len(data) < off + 18:
            raise CorruptFileError(f"{path}: no BGZF block at byte {coff}: the index does not fit the file")
        xlen = struct.unpack_from("<H", data, off + 10)[0]
        bsize = None
        x = off + 12
        while x < off + 12 + xlen:
            si1, si2, slen = data[x], data[x + 1], struct.unpack_from("<H", data, x + 2)[0]
            if si1 == 66 and si2 == 67:
                bsize = struct.unpack_from("<H", data, x + 4)[0] + 1
            x += 4 + slen
        if bsize is None:
            raise CorruptFileError(f"{path}: a gzip block at byte {coff} is not BGZF")
        try:
            text = isal_zlib.decompress(data[off:off + bsize], 31)
        except isal_zlib.error as exc:
            raise CorruptFileError(f"{path}: damaged BGZF block at byte {coff}: {exc}") from exc
        lo = ubeg if coff == cbeg else 0
        hi = uend if coff == cend else len(text)
        parts.append(text[lo:hi])
        off += bsize
        coff += bsize
    return b"".join(parts)
