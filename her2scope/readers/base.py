"""What every reader yields besides observations: per-record errors and a file summary."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Her2scopeError
from .compressed import ByteStream


@dataclass(frozen=True, slots=True)
class RecordError:
    """A record (or, with ``record=None``, a whole file) that could not be interpreted."""

    input: str
    record: int | None
    error: str
    message: str

    def as_dict(self) -> dict[str, str | int | None]:
        return {"input": self.input, "record": self.record, "error": self.error,
                "message": self.message}

    @classmethod
    def of(cls, input: str, record: int | None, exc: Her2scopeError) -> "RecordError":
        return cls(input, record, exc.code, exc.message)


@dataclass(frozen=True, slots=True)
class NoCall:
    """A sample without a genotype call (GT ``./.``, or an all-missing column) at an ERBB2
    record: whether it carries that ALT is unknown, so that position was not assessed in it."""

    record: int
    sample: str
    site: str                     # "chr17:39724730 C>CATACGTGATGGC"


@dataclass(slots=True)
class FileSummary:
    """Counts a reader fills in as it goes (mutable on purpose: it is the reader's tally)."""

    input: str
    format: str = "unknown"
    build: str | None = None
    records: int = 0              # data records seen (or counted) in the file
    erbb2_records: int = 0        # records overlapping ERBB2
    errors: int = 0
    used_index: bool = False
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # shown on stderr; the record is not annotated
    no_calls: list[NoCall] = field(default_factory=list)  # ERBB2 records a sample has no call for

    @property
    def skipped_non_erbb2(self) -> int:
        return max(self.records - self.erbb2_records, 0)


def read_until_damage(stream: ByteStream,
                      errors: tuple[type[BaseException], ...]) -> tuple[bytes, BaseException | None]:
    """All bytes a (decompressing) stream yields, and the error that stopped it early (or None).

    Read piecewise, so a damaged or truncated compressed file still gives the data before the
    damage instead of nothing."""
    parts: list[bytes] = []
    read1 = getattr(stream, "read1", stream.read)
    try:
        while chunk := read1(1 << 16):
            parts.append(chunk)
    except errors as exc:
        return b"".join(parts), exc
    return b"".join(parts), None


_LINE_END = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> list[str]:
    """Lines split at CR LF, CR or LF only.  ``str.splitlines`` also splits at characters
    such as U+2028 or U+0085 that can sit inside a field: that would cut a row in two and
    shift every later record number."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
