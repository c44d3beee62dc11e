"""Read just enough of a tabix (.tbi) or CSI index to jump to chromosome 17.

htslib stores, per reference sequence, a pseudo-bin with the virtual file offsets where the
sequence's records begin and end and how many records it holds.  With these, her2scope
seeks straight to chromosome 17 and still knows every record's 1-based number in the file
(the records of the sequences before it are counted, not read).  pysam's TabixFile gives
records but neither counts nor offsets, hence this small reader.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SequenceIndex:
    name: str
    begin: int              # virtual offset of its first record
    end: int                # virtual offset just past its last record
    records: int            # number of records (mapped)


@dataclass(frozen=True, slots=True)
class VcfIndex:
    path: str
    sequences: tuple[SequenceIndex, ...]

    def records_before(self, name: str) -> int:
        total = 0
        for seq in self.sequences:
            if seq.name == name:
                return total
            total += seq.records
        raise KeyError(name)

    def find(self, names: set[str]) -> SequenceIndex | None:
        return next((s for s in self.sequences if s.name in names), None)


def index_path(vcf: str) -> str | None:
    for ext in (".tbi", ".csi"):
        if os.path.exists(vcf + ext):
            return vcf + ext
    return None


class _Buf:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out


def _names(blob: bytes) -> list[str]:
    return [n.decode() for n in blob.split(b"\0") if n]


def read_index(path: str, header_contigs: list[str]) -> VcfIndex | None:
    """The per-sequence offsets and counts, or None when the index lacks them (then the
    caller scans the file instead; an index is a speed-up, never a source of truth)."""
    import gzip

    try:
        with gzip.open(path, "rb") as fh:
            b = _Buf(fh.read())
        magic = b.raw(4)
        if magic == b"TBI\1":
            n_ref = b.take("i")
            b.take("6i")
            names = _names(b.raw(b.take("i")))
            pseudo = 37450
            csi = False
        elif magic == b"CSI\1":
            _min_shift, depth, l_aux = b.take("3i")
            aux = b.raw(l_aux)
            names = []
            if l_aux >= 28:
                l_nm = struct.unpack_from("<i", aux, 24)[0]
                names = _names(aux[28:28 + l_nm])
            n_ref = b.take("i")
            pseudo = ((1 << ((depth + 1) * 3)) - 1) // 7 + 1
            csi = True
        else:
            return None
        if not names:
            names = header_contigs
        if len(names) < n_ref:
            return None
        sequences = []
        for tid in range(n_ref):
            meta = None
            for _ in range(b.take("i")):
                bin_id = b.take("I")
                if csi:
                    b.take("Q")
                n_chunk = b.take("i")
                chunks = [b.take("QQ") for _ in range(n_chunk)]
                if bin_id == pseudo and n_chunk == 2:
                    meta = chunks
            if not csi:
                b.raw(8 * b.take("i"))
            if meta is None:
                return None
            (begin, end), (mapped, _unmapped) = meta
            sequences.append(SequenceIndex(names[tid], begin, end, mapped))
        return VcfIndex(path, tuple(sequences))
    except (OSError, EOFError, struct.error, UnicodeDecodeError):
        return None
