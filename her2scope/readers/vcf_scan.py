"""Find the ERBB2 lines of an unindexed VCF fast, with their data-record numbers.

Parsing every record of a genome-wide VCF in Python is ~100x slower than decompressing it.
Instead one compiled regular expression searches the decompressed bytes for lines that
start with a chromosome-17 name *and* whose POS can lie near ERBB2 (see ``candidate_regex``),
only those lines' POS is read in Python, and newlines are counted in bulk to number the
records.  Only lines that can overlap ERBB2 are decoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .compressed import ByteStream

CHUNK = 8 << 20
MAX_REF_SPAN = 100_000          # a sequence-resolved record starting this far before ERBB2 may overlap it
MAX_SYMBOLIC_SPAN = 10_000_000  # symbolic CNV/DUP calls (amplicons) can start megabases before it


@dataclass(slots=True)
class ScanState:
    data_records: int = 0     # data records seen so far
    truncated: BaseException | None = None
    partial_line: bool = False


def read_chunk(stream: ByteStream, size: int) -> bytes:
    """Up to ``size`` bytes; never loses data already decompressed when the stream then fails
    (``read1`` returns what one decompression step produced)."""
    read1 = getattr(stream, "read1", None)
    if read1 is None:
        return stream.read(size)
    parts: list[bytes] = []
    total = 0
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


def read_header(stream: ByteStream) -> tuple[list[str], bytes]:
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


def _decimal_prefixes(low: int, hi: int) -> list[bytes]:
    """Regex pieces that every plain decimal (no sign, no leading zero) in [low, hi] matches,
    each ending with the tab after POS.  A superset is fine (each hit is checked again),
    so per digit count only the leading digits are pinned, keeping at most 10 alternatives:
    for ERBB2 on GRCh38, [39,600,064, 39,728,658] gives ``396[0-9]{5}\\t|397[0-9]{5}\\t``."""
    low = max(low, 1)
    pieces: list[bytes] = []
    for digits in range(len(str(low)), len(str(hi)) + 1):
        a, b = max(low, 10 ** (digits - 1)), min(hi, 10 ** digits - 1)
        for kept in range(digits, 0, -1):
            scale = 10 ** (digits - kept)
            if b // scale - a // scale < 10:
                break
        pieces += [b"%d[0-9]{%d}\t" % (p, digits - kept) for p in range(a // scale, b // scale + 1)]
    return pieces


def candidate_regex(chrom_names: set[str], low: int, hi: int,
                    symbolic_low: int | None = None) -> re.Pattern[bytes]:
    """Matches "\\n" + a chr17 name + tab where POS either is a plain decimal in [low, hi] or is
    anything else (sign, leading zero, spaces, no digits, no tab after it).  A line it skips
    therefore has a plain decimal POS outside [low, hi], which the checks in ``scan`` would
    have rejected anyway; odd POS values still reach those checks, so a malformed POS is
    still handed to the record parser.

    Why a regex and not ``bytes.find`` per name: the four chr17 spellings cost four passes
    over the data, each slow because the patterns end in a tab (frequent in VCF, so the
    fast search cannot skip ahead); one regex pass is ~3x cheaper.  Filtering POS inside the
    regex also spares a Python-level step for each of the tens of thousands of chr17 lines
    that are nowhere near ERBB2 (the whole of chr17 in the indexed path)."""
    if not chrom_names:
        return re.compile(b"(?!)")   # matches nothing (an empty alternation would match "")
    names = b"|".join(re.escape(n.encode()) for n in sorted(chrom_names, key=len, reverse=True))
    near = b"".join(p + b"|" for p in _decimal_prefixes(low, hi))
    far = b""
    if symbolic_low is not None and symbolic_low < low:
        # Further upstream only symbolic or breakend ALTs (<DUP>, <CNV>, N[chr..[) can reach
        # ERBB2: match them by looking ahead to the ALT column (ID and REF skipped).
        spans = b"|".join(_decimal_prefixes(symbolic_low, low - 1))
        far = b"(?:" + spans + rb")(?=[^\t\n]*\t[^\t\n]*\t[^\t\n]*[<\[\]])|"
    # A chr17 name followed by a space is a line written with spaces instead of tabs: let it
    # through so the record parser can say so, instead of skipping it as "not ERBB2".
    return re.compile(b"\n(?:" + names + b")(?: |\t(?:" + far + near + b"(?![1-9][0-9]*\t)))")


@dataclass(frozen=True, slots=True)
class BlockHits:
    """The ERBB2 candidates among one piece's whole lines: those after its first line end up to
    its last (the line spanning two pieces is the caller's).  Found on a worker thread for BGZF."""
    first: int                             # the piece's first "\n" (-1: none)
    last: int                              # its last "\n"
    lines: int                             # line ends after ``first`` up to ``last``
    hits: tuple[tuple[int, str], ...]      # (line ends from ``first`` to its start, line)


@dataclass(frozen=True, slots=True)
class _Search:
    """``BlockHits`` of a piece (a picklable, thread-safe callable: a compiled regex and ints)."""
    candidates: re.Pattern[bytes]
    low: int
    lo: int
    hi: int

    def __call__(self, piece: bytes) -> BlockHits:
        first = piece.find(b"\n")
        if first < 0:
            return BlockHits(-1, -1, 0, ())
        last = piece.rfind(b"\n")
        if last == first:
            return BlockHits(first, last, 0, ())
        hits = tuple(_hits(piece, first, last + 1, self.candidates, self.low, self.lo, self.hi))
        return BlockHits(first, last, piece.count(b"\n", first + 1, last + 1), hits)


def scan(stream: ByteStream, rest: bytes, chrom_names: set[str], lo: int, hi: int, state: ScanState,
         errors: tuple[type[BaseException], ...]) -> Iterator[tuple[int, str]]:
    """Yield (data record number, line) for records on ``chrom_names`` with POS in
    [lo - MAX_REF_SPAN, hi]; ``lo``/``hi`` are 1-based.  A stream that fails mid-way stops
    the scan with ``state.truncated`` set; everything before the damage has been yielded.

    Each piece the stream hands over (a BGZF block) is searched where it lies, never copied
    (for BGZF on the thread that inflated it): only the line that spans two pieces is joined
    (with the carry-over) and searched here."""
    low = lo - MAX_REF_SPAN
    candidates = candidate_regex(chrom_names, low, hi, lo - MAX_SYMBOLIC_SPAN)
    low = lo - MAX_SYMBOLIC_SPAN   # what the regex lets through from further up is symbolic
    search = _Search(candidates, low, lo, hi)
    carry = rest      # the unfinished last line of the data read so far
    for piece, found in _pieces(stream, state, errors, search):
        block = found if isinstance(found, BlockHits) else search(piece)
        if block.first < 0:
            carry += piece
            continue
        # The line spanning the boundary (with any whole lines left in the carry), prefixed
        # with "\n" so its first line matches like the others.
        head = b"".join((b"\n", carry, memoryview(piece)[:block.first + 1]))
        yield from _matches(head, 0, len(head), candidates, low, lo, hi, state)
        # The piece's own whole lines: the "\n" at ``first`` ends the line just searched.
        for ends, line in block.hits:
            yield state.data_records + ends, line
        state.data_records += block.lines
        carry = piece[block.last + 1:]
    if state.truncated is not None:
        cut = carry.rfind(b"\n") + 1
        state.partial_line = cut < len(carry)
        carry = carry[:cut]
    elif carry and not carry.endswith(b"\n"):
        carry += b"\n"
    if carry:
        tail = b"\n" + carry
        yield from _matches(tail, 0, len(tail), candidates, low, lo, hi, state)


def _pieces(stream: ByteStream, state: ScanState, errors: tuple[type[BaseException], ...],
            search: _Search) -> Iterator[tuple[bytes, object]]:
    """The stream's data as it comes, with what ``search`` found in it when a worker searched it
    (a BGZF block); otherwise ``read1``: what one decompression step produced, so the data
    before a failure is handed over.  A failure ends it with ``state.truncated`` set."""
    blocks = getattr(stream, "blocks", None)
    if blocks is not None:
        source: Iterator[tuple[bytes, object]] = blocks(search)
    else:
        source = _unsearched(stream)
    while True:
        try:
            piece = next(source, None)
        except errors as exc:
            state.truncated = exc
            return
        if piece is None:
            return
        yield piece


def _unsearched(stream: ByteStream) -> Iterator[tuple[bytes, object]]:
    read1 = getattr(stream, "read1", None)
    while piece := (read1(1 << 16) if read1 is not None else stream.read(CHUNK)):
        yield piece, None


def _hits(text: bytes, start: int, end: int, candidates: re.Pattern[bytes], low: int, lo: int,
          hi: int) -> Iterator[tuple[int, str]]:
    """Candidate lines in ``text[start:end]`` (whole lines, the "\n" at ``start`` ending the line
    before them), each with the number of line ends from ``start`` to its start: counted in
    bulk between hits, never line by line."""
    counted_to, ends = start, 0
    for match in candidates.finditer(text, start, end):
        h = match.start()
        ends += text.count(b"\n", counted_to, h + 1)
        counted_to = h + 1
        nl = text.find(b"\n", h + 1)
        tab1 = text.find(b"\t", h + 1, nl)
        tab2 = text.find(b"\t", tab1 + 1, nl) if tab1 >= 0 else -1   # never past this line
        field = text[tab1 + 1:tab2 if tab2 >= 0 else nl] if tab1 >= 0 else b""
        # Only a plain decimal is a position; anything else ("-5", "+5", " 5", "inf") is
        # handed to the record parser, which reports it.
        pos = int(field) if field.isdigit() and len(field) <= 18 else lo
        if low <= pos <= hi:
            yield ends, text[h + 1:nl].decode("utf-8", "replace")


def _matches(text: bytes, start: int, end: int, candidates: re.Pattern[bytes], low: int, lo: int,
             hi: int, state: ScanState) -> Iterator[tuple[int, str]]:
    """Candidate lines in ``text[start:end]`` numbered from ``state.data_records``, which then
    counts the lines."""
    for ends, line in _hits(text, start, end, candidates, low, lo, hi):
        yield state.data_records + ends, line
    state.data_records += text.count(b"\n", start + 1, end)
