"""The one content sniffer: which reader reads a file, decided by its (decompressed) content.

    detect_format(path) -> Detection    # .format: VCF, BCF, MAF or HGVS; or None and .reason

The rules come from the formats' own definitions, never from the file name:

- BCF (BCFv2.2, section 6): the decompressed stream begins with the magic ``BCF`` + version.
- VCF (VCFv4.x, section 1.1): the first line is the mandatory ``##fileformat=VCFvX.Y``.
- MAF (GDC MAF spec): optional ``#`` comment lines, then a header row whose first column is
  ``Hugo_Symbol``.
- Anything else that is text is HGVS text (one expression per line), read line by line.

Gzip and BGZF are looked through (a ``.vcf.gz`` is a VCF). What no reader can read - an empty
file, blank lines only, compressed data that cannot be inflated, binary content, a VCF body
without its ``##fileformat`` line - is a ``Detection`` without a format, carrying the reason
and the named error the engine raises for it (``Detection.require``). The web's upload check
and the registry's "is this text a result file" check call this too, so they cannot disagree
with the engine about what a file is.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from enum import Enum

from ..errors import CorruptFileError, EmptyInputError, InputError, MalformedRecordError
from .compressed import GZIP_MAGIC, ByteStream, decompression_errors, open_bytes, sniff
from .maf import looks_like_maf

HEAD_BYTES = 1 << 16          # how much decompressed content the text rules look at


class InputFormat(Enum):
    """The reader a file's content calls for (values as ``FileSummary.format`` spells them)."""

    VCF = "VCF"
    BCF = "BCF"
    MAF = "MAF"
    HGVS = "HGVS"

    @property
    def label(self) -> str:
        """The name shown to a person ("HGVS text": the format is a text file of expressions)."""
        return "HGVS text" if self is InputFormat.HGVS else self.value


@dataclass(frozen=True, slots=True)
class Detection:
    """What a file is: a format, or (``format`` None) why no reader can read it."""

    format: InputFormat | None
    reason: str = ""                               # without the file name
    error: type[InputError] = MalformedRecordError
    cause: BaseException | None = None             # the decompression error, when there was one

    def require(self, name: str) -> InputFormat:
        """The format, or the named error (its message starts with ``name``)."""
        if self.format is None:
            raise self.error(f"{name}: {self.reason}") from self.cause
        return self.format


def _refused(error: type[InputError], reason: str, cause: BaseException | None = None) -> Detection:
    return Detection(None, reason, error, cause)


def detect_format(path: str) -> Detection:
    """The format of the file at ``path`` by its content (see the module docstring). Never
    raises for what the file holds: a file that cannot be read is a Detection without format."""
    try:
        head = sniff(path)
    except decompression_errors() as exc:   # e.g. a gzip header followed by damaged data
        return _refused(CorruptFileError, f"damaged compressed data: {exc}", exc)
    if not head:
        return _refused(EmptyInputError, "the file is empty")
    if head.startswith(b"BCF"):
        return Detection(InputFormat.BCF)
    if head.startswith(b"##fileformat=VCF"):
        return Detection(InputFormat.VCF)
    if head.startswith(GZIP_MAGIC):        # sniff could not inflate even the first bytes
        return _refused(CorruptFileError, "compressed data that cannot be decompressed")
    if b"\0" in head:
        return _refused(MalformedRecordError, "binary content that is not VCF, BCF or MAF")
    return _detect_text(path)


def _detect_text(path: str) -> Detection:
    sample, damaged = read_head(path)
    if looks_like_maf(sample):
        return Detection(InputFormat.MAF)
    text = sample.decode("utf-8", "replace")
    if text.lstrip().startswith("#CHROM") or text.startswith("##"):
        return _refused(MalformedRecordError, "VCF without the ##fileformat line")
    if not text.strip() and not damaged and _blank_to_end(path):
        return _refused(EmptyInputError, "the file is empty (blank lines only)")
    # Damage after the first bytes is the HGVS reader's to report, after the lines before it.
    return Detection(InputFormat.HGVS)


def read_head(path: str, size: int = HEAD_BYTES) -> tuple[bytes, bool]:
    """Up to ``size`` bytes of the decompressed content, and whether damage (or a read error)
    stopped the read before that; the bytes before the damage are returned."""
    parts: list[bytes] = []
    got = 0
    try:
        with open_bytes(path) as fh:
            while got < size and (chunk := _read_some(fh, size - got)):
                parts.append(chunk)
                got += len(chunk)
    except decompression_errors():
        return b"".join(parts), True
    return b"".join(parts)[:size], False


def _read_some(fh: ByteStream, size: int) -> bytes:
    read1 = getattr(fh, "read1", fh.read)
    chunk: bytes = read1(size)
    return chunk


def _blank_to_end(path: str) -> bool:
    """Whether everything to the end of the file is blank (and undamaged): read in pieces,
    stopping at the first character that is not white space."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")   # a character may span pieces
    try:
        with open_bytes(path) as fh:
            while chunk := _read_some(fh, HEAD_BYTES):
                if decoder.decode(chunk).strip():
                    return False
    except decompression_errors():
        return False
    return not decoder.decode(b"", final=True).strip()
