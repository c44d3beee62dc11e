"""Decompress the BGZF bytes between two virtual offsets (as stored in a tabix/CSI index)."""

from __future__ import annotations

import os
import struct
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from isal import isal_zlib

from ..errors import CorruptFileError

# The empty block bgzip writes last (SAM/BAM specification, section 4.1.2).
BGZF_EOF = bytes.fromhex("1f8b08040000000000ff0600424302001b0003000000000000000000")

if TYPE_CHECKING:
    from concurrent.futures import Future

_MAX_BLOCK = 1 << 16
# What bgzip writes at the start of every block: gzip magic, deflate, FEXTRA; then (from byte
# 10) XLEN = 6 and the one subfield 'BC' of length 2 holding the block size - 1.
_BGZIP_HEAD = b"\x1f\x8b\x08\x04"
_BGZIP_EXTRA = b"\x06\x00BC\x02\x00"


def _block_size(data: bytes, off: int, where: str) -> int:
    if data[off:off + 2] != b"\x1f\x8b" or len(data) < off + 18:
        raise CorruptFileError(f"{where}: no BGZF block at byte {off}")
    xlen = struct.unpack_from("<H", data, off + 10)[0]
    x = off + 12
    while x < off + 12 + xlen:
        si1, si2, slen = data[x], data[x + 1], struct.unpack_from("<H", data, x + 2)[0]
        if si1 == 66 and si2 == 67:
            return int(struct.unpack_from("<H", data, x + 4)[0]) + 1
        x += 4 + slen
    raise CorruptFileError(f"{where}: a gzip block at byte {off} is not BGZF")


def decompress_all(data: bytes, where: str) -> bytes:
    """A whole BGZF file, block by block (several times faster than a generic multi-member
    gzip reader on index files)."""
    parts, off = [], 0
    while off < len(data):
        size = _block_size(data, off, where)
        parts.append(isal_zlib.decompress(data[off:off + size], 31))
        off += size
    return b"".join(parts)


def read_range(path: str, begin: int, end: int, *,
               past: Callable[[bytes], bool] | None = None) -> bytes:
    """Text between two virtual offsets.  ``past(block_text)`` may end the read early (after
    that block, cut at its last line end): a sorted file needs no text beyond a region."""
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
        except isal_zlib.error as exc:  # type: ignore[misc]  # isal's stub: an instance
            raise CorruptFileError(f"{path}: damaged BGZF block at byte {coff}: {exc}") from exc
        lo = ubeg if coff == cbeg else 0
        hi = uend if coff == cend else len(text)
        parts.append(text[lo:hi])
        off += bsize
        coff += bsize
        if past is not None and coff <= cend and past(parts[-1]):
            joined = b"".join(parts)
            return joined[:joined.rfind(b"\n") + 1]
    return b"".join(parts)


def is_bgzf(head: bytes) -> bool:
    """A gzip member header with the 'BC' extra subfield (bgzip's block size)."""
    if len(head) < 18 or head[:2] != b"\x1f\x8b" or not head[3] & 4:
        return False
    xlen = struct.unpack_from("<H", head, 10)[0]
    x = 12
    while x + 4 <= 12 + xlen and x + 4 <= len(head):
        if head[x] == 66 and head[x + 1] == 67:
            return True
        x += 4 + struct.unpack_from("<H", head, x + 2)[0]
    return False


Searched = tuple[bytes, object]   # an inflated block's text and what ``search`` found in it


def _inflate_batch(path: str, raw: Sequence[tuple[int, bytes | memoryview, bool]],
                   error: BaseException | None, search: Callable[[bytes], object] | None,
                   ) -> tuple[list[Searched], BaseException | None]:
    """Inflate one batch of compressed blocks ``(file offset, bytes, complete)`` in order and run
    ``search`` on each text (None: not searched).  A damaged block ends the batch with its error
    (the blocks before it are kept), as does the error met while reading the batch (``error``).

    Searching here, right after inflating, reads the text while it is still in the CPU cache,
    and spares the caller's thread, which would otherwise do all the searching alone."""
    out: list[Searched] = []
    for offset, data, complete in raw:
        if not complete:
            # A cut-off last block: keep what inflates before the cut (the caller uses whole
            # lines only); ``error`` reports the truncation.
            try:
                text = isal_zlib.decompressobj(31).decompress(data)
            except isal_zlib.error:  # type: ignore[misc]  # isal's stub: an instance
                text = b""
        else:
            try:
                text = isal_zlib.decompress(data, 31)
            except isal_zlib.error as exc:  # type: ignore[misc]  # isal's stub: an instance
                return out, CorruptFileError(f"{path}: damaged BGZF block at byte {offset}: {exc}")
        if text:
            out.append((text, None if search is None else search(text)))
    return out, error


class BgzfReader:
    """Decompresses a BGZF file block by block, as a read-only binary stream.

    Every block is a complete gzip member, so damage is confined to one block: all blocks
    before it are handed over first, then the error is raised (a generic gzip reader
    decompresses ahead and loses what precedes the damage).  Blocks are independent: the
    caller's thread reads the compressed batches (cheap, in file order) and ``workers`` threads
    inflate them (ISA-L releases the GIL while inflating) and, once ``blocks(search)`` is called,
    search them too; batches are handed over in file order.  ``read1()`` returns one block's text.
    """

    _BATCH = 16          # blocks per worker task at most (~1 MB of text); the first are small

    def __init__(self, path: str, workers: int | None = None) -> None:
        self._path = path
        self._fh = open(path, "rb")
        self._offset = 0
        self._buf, self._pos = b"", 0   # compressed bytes read ahead, the next one
        self._view = memoryview(self._buf)
        # Every core inflates: the caller's thread mostly waits (the workers search the blocks).
        self._workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool = ThreadPoolExecutor(max_workers=self._workers)
        self._batch = 1   # a caller that only reads the header should not wait for megabytes
        self._inflight: deque[Future[tuple[list[Searched], BaseException | None]]] = deque()
        self._search: Callable[[bytes], object] | None = None
        self._eof = False
        self._ended_with_eof_marker = False
        self._ready: list[Searched] = []   # handed-over batch, reversed (next block last)
        self._error: BaseException | None = None
        self._done = False
        self._fill()

    def _fill(self) -> None:
        """Queue the inflation of the next compressed batches, one more than there are workers
        (so a worker never idles while the caller takes a batch)."""
        while not self._eof and len(self._inflight) <= self._workers:
            raw, error, eof = self._read_raw(self._batch)
            self._eof = eof
            self._inflight.append(self._pool.submit(_inflate_batch, self._path, raw, error, self._search))
            self._batch = min(self._batch * 4, self._BATCH)

    def _read_raw(self, blocks: int) -> tuple[list[tuple[int, memoryview, bool]],
                                              BaseException | None, bool]:
        """Up to ``blocks`` compressed blocks as (offset, bytes, complete), the error that ends
        the file early if any, and whether the file ended."""
        out: list[tuple[int, memoryview, bool]] = []
        for _ in range(blocks):
            have = self._ensure(18)
            if not have:
                if not self._ended_with_eof_marker:
                    # A file cut exactly at a block boundary inflates cleanly: only the missing
                    # end-of-file marker (written by every bgzip since 2011) tells. The records
                    # read are kept; the file is not called complete (a negative needs that).
                    return out, EOFError(f"{self._path}: no BGZF end-of-file marker at byte {self._offset}: "
                                         "the file may be cut at a block boundary"), True
                return out, None, True
            size = self._block_size(have)
            if size is None:
                return out, CorruptFileError(
                    f"{self._path}: damaged or non-BGZF data at byte {self._offset}"), True
            have = self._ensure(size)
            block = self._view[self._pos:self._pos + have]
            self._pos += have
            if have < size:
                out.append((self._offset, block, False))
                return out, EOFError(f"{self._path}: the last BGZF block is truncated at byte "
                                     f"{self._offset}"), True
            out.append((self._offset, block, True))
            self._ended_with_eof_marker = size == len(BGZF_EOF) and bytes(block) == BGZF_EOF
            self._offset += size
        return out, None, False

    def _block_size(self, have: int) -> int | None:
        """The size of the block whose header starts at ``_pos`` (``have`` bytes of it are
        there), or None when it is no BGZF block.  What bgzip writes (the 'BC' subfield alone)
        is recognised without copying or parsing the header: this runs once per block on the
        thread that must keep the workers fed."""
        buf, pos = self._buf, self._pos
        header = 18
        if have == 18 and buf.startswith(_BGZIP_HEAD, pos) and buf.startswith(_BGZIP_EXTRA, pos + 10):
            size = int.from_bytes(buf[pos + 16:pos + 18], "little") + 1
        else:
            # Other subfields may come before 'BC' (the BGZF spec allows them): read them all.
            if have < 18 or not buf.startswith(b"\x1f\x8b", pos) or not buf[pos + 3] & 4:
                return None
            header = 12 + int.from_bytes(buf[pos + 10:pos + 12], "little")
            if self._ensure(header) < header:
                return None
            try:
                size = _block_size(self._buf, self._pos, self._path)
            except CorruptFileError:
                return None
        # A block size not above its own header's is damage too (it would never advance).
        return size if size > header else None

    def _ensure(self, size: int) -> int:
        """Make ``size`` compressed bytes from the next one available (fewer at the end of the
        file); how many are.  The file is read a megabyte at a time: a system call per block
        would cost this thread a GIL hand-over per block."""
        if len(self._buf) - self._pos < size:
            self._buf = self._buf[self._pos:] + self._fh.read(max(size, 1 << 20))
            self._view = memoryview(self._buf)   # blocks are handed to the workers as views
            self._pos = 0
        return min(size, len(self._buf) - self._pos)

    def _next(self) -> Searched | None:
        """The next block's text and search result (None: not searched); None at the end."""
        while not self._ready:
            if self._error is not None:
                raise self._error
            if self._done or not self._inflight:
                self._done = True
                return None
            blocks, error = self._inflight.popleft().result()
            self._ready, self._error = blocks[::-1], error
            if error is not None:
                self._done = True
                for future in self._inflight:   # nothing after the damage is handed over
                    future.cancel()
                self._inflight.clear()
            else:
                self._fill()
        return self._ready.pop()

    def read1(self, size: int = -1) -> bytes:
        block = self._next()
        if block is None:
            return b""
        text = block[0]
        if 0 <= size < len(text):
            self._ready.append((text[size:], None))
            text = text[:size]
        return text

    def blocks(self, search: Callable[[bytes], object]) -> Iterator[Searched]:
        """The rest of the text block by block, each with ``search(text)`` computed on a worker
        thread (None for the blocks inflated before this call, and a block's unread rest)."""
        self._search = search
        while (block := self._next()) is not None:
            yield block

    def read(self, size: int = -1) -> bytes:
        parts, total = [], 0
        while size < 0 or total < size:
            part = self.read1(-1 if size < 0 else size - total)
            if not part:
                break
            parts.append(part)
            total += len(part)
        return b"".join(parts)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._fh.close()

    def __enter__(self) -> "BgzfReader":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
