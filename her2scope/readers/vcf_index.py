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
import sys

from ..errors import Her2scopeError
from .bgzf import decompress_all
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


def _names(blob: bytes) -> list[str]:
    return [n.decode() for n in blob.split(b"\0") if n]


def _pseudo_bins(rest: bytes, n_ref: int, pseudo: int, csi: bool) -> list[tuple[int, int, int]] | None:
    """Find each sequence's pseudo-bin by its byte pattern instead of walking every bin.

    The pattern (bin id, n_chunk = 2) could also occur by chance inside other numbers, so the
    hits are accepted only if they are exactly ``n_ref`` and chain up as a sorted file's must:
    each sequence begins where the previous one ended, offsets increase, counts are sane.
    Otherwise None, and the caller walks the bins.
    """
    key = struct.pack("<I", pseudo)
    gap = 8 if csi else 0          # CSI bins carry a 64-bit loffset before n_chunk
    hits = []
    i = rest.find(key)
    while i >= 0:
        if struct.unpack_from("<i", rest, i + 4 + gap)[0] == 2 and i + 8 + gap + 32 <= len(rest):
            b, e, m, u = struct.unpack_from("<4Q", rest, i + 8 + gap)
            hits.append((b, e, m, u))
        i = rest.find(key, i + 1)
    if len(hits) != n_ref:
        return None
    previous_end = None
    for b, e, m, u in hits:
        if not b < e or m > (1 << 40) or u > (1 << 40):
            return None
        if previous_end is not None and b != previous_end:
            return None
        previous_end = e
    return [(b, e, m) for b, e, m, _ in hits]


def read_index(path: str, header_contigs: list[str]) -> VcfIndex | None:
    """The per-sequence offsets and counts, or None when the index lacks them (then the
    caller scans the file instead; an index is a speed-up, never a source of truth)."""
    if sys.byteorder != "little":
        return None   # the bin walk below reads little-endian words directly
    try:
        with open(path, "rb") as fh:
            data = decompress_all(fh.read(), path)
        magic = data[:4]
        if magic == b"TBI\1":
            n_ref = struct.unpack_from("<i", data, 4)[0]
            l_nm = struct.unpack_from("<i", data, 32)[0]
            names = _names(data[36:36 + l_nm])
            start, pseudo, csi = 36 + l_nm, 37450, False
        elif magic == b"CSI\1":
            _min_shift, depth, l_aux = struct.unpack_from("<3i", data, 4)
            aux = data[16:16 + l_aux]
            names = _names(aux[28:28 + struct.unpack_from("<i", aux, 24)[0]]) if l_aux >= 28 else []
            n_ref = struct.unpack_from("<i", data, 16 + l_aux)[0]
            start, pseudo, csi = 20 + l_aux, ((1 << ((depth + 1) * 3)) - 1) // 7 + 1, True
        else:
            return None
        names = names or header_contigs
        if len(names) < n_ref:
            return None
        rest = data[start:]
        found = _pseudo_bins(rest, n_ref, pseudo, csi)
        if found is not None:
            return VcfIndex(path, tuple(SequenceIndex(names[t], b, e, m) for t, (b, e, m) in enumerate(found)))
        rest += b"\0" * (-len(rest) % 4)
        # Every field after the names is a multiple of 4 bytes: walk them as uint32 words
        # (a struct call per field made this 8x slower on a genome-wide index).
        words = memoryview(rest).cast("I")
        head = 4 if csi else 2          # CSI bin: bin, loffset (2 words), n_chunk; TBI: bin, n_chunk
        i = 0
        sequences = []
        for tid in range(n_ref):
            n_bin = words[i]
            i += 1
            meta = None
            for _ in range(n_bin):
                n_chunk = words[i + head - 1]
                if words[i] == pseudo and n_chunk == 2:
                    meta = struct.unpack_from("<4Q", rest, 4 * (i + head))
                i += head + 4 * n_chunk
            if not csi:
                i += 1 + 2 * words[i]     # linear index: n_intv, then 64-bit offsets
            if meta is None:
                return None
            begin, end, mapped, _unmapped = meta
            sequences.append(SequenceIndex(names[tid], begin, end, mapped))
        return VcfIndex(path, tuple(sequences))
    except (OSError, EOFError, struct.error, IndexError, UnicodeDecodeError, ValueError, Her2scopeError):
        return None
