"""Open plain, gzip or BGZF text as a byte stream, and recognise the format by content."""

from __future__ import annotations

import zlib
from types import TracebackType
from typing import Protocol, cast

from isal import isal_zlib

from ..errors import CorruptFileError
from .bgzf import BgzfReader, is_bgzf

GZIP_MAGIC = b"\x1f\x8b"


class ByteStream(Protocol):
    """What the readers use of a decompressed stream (a file, ISA-L gzip, ``BgzfReader``)."""

    def read(self, size: int = -1, /) -> bytes: ...

    def close(self) -> None: ...

    def __enter__(self) -> ByteStream: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None, /) -> object: ...


def sniff(path: str) -> bytes:
    """The first bytes of the (decompressed) content; b'' for an empty file."""
    with open(path, "rb") as fh:
        head = fh.read(2)
    if head == GZIP_MAGIC:
        from isal import igzip  # lazy: only plain (non-BGZF) gzip needs the 5 ms gzip reader

        try:
            with igzip.open(path, "rb") as gz:  # type: ignore[no-untyped-call]
                return cast(bytes, gz.read(64))
        except Exception:   # any damage: the caller reports the file as corrupt
            return GZIP_MAGIC
    with open(path, "rb") as fh:
        return fh.read(64)


def is_gzip(path: str) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_bytes(path: str) -> ByteStream:
    """A binary stream of the decompressed content (ISA-L inflate for gzip/BGZF).

    Not the threaded ISA-L reader: it decompresses ahead in large blocks and, on a truncated
    file, raises before handing over the data that precedes the damage.
    """
    with open(path, "rb") as fh:
        head = fh.read(64)
    if head[:2] == GZIP_MAGIC:
        if is_bgzf(head):
            return BgzfReader(path)
        from isal import igzip  # lazy: as above

        return cast(ByteStream, igzip.open(path, "rb"))  # type: ignore[no-untyped-call]
    return open(path, "rb", buffering=0)


# Errors a damaged or truncated gzip/BGZF stream raises while being read.
def decompression_errors() -> tuple[type[BaseException], ...]:
    # isal declares ``error`` as an instance in its stubs; it is the exception class.
    isal_error = cast(type[BaseException], isal_zlib.error)
    return (EOFError, OSError, zlib.error, isal_error, ValueError, CorruptFileError)
