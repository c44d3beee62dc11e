"""Find the ERBB2 lines of an unindexed VCF fast, with their data-record numbers.

Parsing every record of a genome-wide VCF in Python is ~100x slower than decompressing it.
Instead the decompressed bytes are searched for lines that start with a chromosome-17
name (``bytes.find`` runs at memory speed), only those lines' POS is read, and newlines
are counted in bulk to number the records.  Only lines that can overlap ERBB2 are decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

CHUNK = 8 << 20
MAX_REF_SPAN = 100_000    # a record starting this far before ERBB2 may still overlap it


@dataclass(slots=True)
class ScanState:
    data_records: int = 0     # data records seen so far
    truncated: BaseException | None = None
    partial_line: bool = False


def read_chunk(stream, size: int) -> bytes:
    """Up to ``size`` bytes; never loses data already decompressed when the stream then fails
    (``read1`` returns what one decompression step produced)."""
    read1 = getattr(stream, "read1", None)
    if read1 is None:
        return stream.read(size)
    parts, total = [], 0
    while total < size:
        try:
            part = read1(min(size - total, 1 << 16))
        except Exception:
            if parts:
                break   # hand over what came before; the next call raises again
            raise
        if not part:
            break
        parts.append(part)
        total += len(part)
    return b"".join(parts)


def read_header(stream) -> tuple[list[str], bytes]:
    """Header lines (decoded, without line ends) and the bytes after them."""
    buf = b""
    lines: list[str] = []
    while True:
        nl = buf.find(b"\n")
        if nl < 0:
            chunk = read_chunk(stream, 1 << 16)
            if not chunk:
                if buf.startswith(b"#"):
                    lines.append(buf.decode("utf-8", "replace").rstrip("\r"))
                    buf = b""
                return lines, buf
            buf += chunk
            continue
        if not buf.startswith(b"#"):
            return lines, buf
        lines.append(buf[:nl].decode("utf-8", "replace").rstrip("\r"))
        buf = buf[nl + 1:]


def scan(stream, rest: bytes, chrom_names: set[str], lo: int, hi: int, state: ScanState,
         errors: tuple[type[BaseException], ...]) -> Iterator[tuple[int, str]]:
    """Yield (data record number, line) for records on ``chrom_names`` with POS in
    [lo - MAX_REF_SPAN, hi]; ``lo``/``hi`` are 1-based.  A stream that fails mid-way stops
    the scan with ``state.truncated`` set; everything before the damage has been yielded."""
    patterns = [b"\n" + name.encode() + b"\t" for name in chrom_names]
    low = lo - MAX_REF_SPAN
    buf = rest
    eof = False
    while not eof:
        try:
            chunk = read_chunk(stream, CHUNK)
        except errors as exc:
            state.truncated = exc
            chunk = b""
        if not chunk:
            eof = True
            if state.truncated is not None:
                cut = buf.rfind(b"\n") + 1
                state.partial_line = cut < len(buf)
                buf = buf[:cut]
            elif buf and not buf.endswith(b"\n"):
                buf += b"\n"
        else:
            buf += chunk
        end = buf.rfind(b"\n") + 1
        if end == 0:
            continue
        # Search a view prefixed with "\n" so the first line matches like the others.
        block = b"\n" + buf[:end]
        hits = []
        for pat in patterns:
            i = block.find(pat)
            while i >= 0:
                hits.append(i)
                i = block.find(pat, i + 1)
        hits.sort()
        counted_to, line_no = 0, state.data_records
        for h in hits:
            line_no += block.count(b"\n", counted_to, h + 1)
            counted_to = h + 1
            tab1 = block.index(b"\t", h + 1)
            tab2 = block.find(b"\t", tab1 + 1)
            try:
                pos = int(block[tab1 + 1:tab2])
            except ValueError:
                pos = lo  # malformed POS: let the record parser report it
            if low <= pos <= hi:
                nl = block.find(b"\n", h + 1)
                yield line_no, block[h + 1:nl].decode("utf-8", "replace")
        state.data_records += block.count(b"\n") - 1
        buf = buf[end:]
        if state.truncated is not None:
            return
