"""Protein changes on NP_004439.2: derived by comparing translations, printed in HGVS.

The comparison trims the longest common prefix first, which places an ambiguous insertion
or deletion at its most C-terminal (3') position, then checks whether an insertion copies
the residues just before it (a duplication).  That single rule makes every spelling of one
event meet: p.A775_G776insYVMA, p.E770_A771insAYVM and p.M774_A775insAYVM all become
p.Y772_A775dup; p.P780_Y781insGSP and p.V777_G778insGSP become p.G778_P780dup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..genome.translate import THREE_LETTER


def _three(seq: str) -> str:
    return "".join(THREE_LETTER[a] for a in seq)


def _short(seq: str) -> str:
    return seq


@dataclass(frozen=True, slots=True)
class ProteinChange:
    """``kind`` is one of: missense, synonymous, nonsense, del, ins, dup, delins, fs, ext,
    start_lost.  Positions are 1-based residues; ``ref`` are the reference residues start..end
    (for ``ins`` the two flanking residues), ``alt`` the new residues."""

    kind: str
    start: int
    end: int
    ref: str
    alt: str = ""
    ter: int | None = None        # fs / ext: position of the new stop (None = none found, '?')
    # ``short``, rendered on first use: it is asked for many times per variant (curated entry,
    # hotspot rows, rules). Not part of the value (no init, eq, hash or repr).
    _short: str = field(default="", init=False, repr=False, compare=False)

    def _render(self, aa: Callable[[str], str]) -> str:
        stop = aa("*")
        first = f"{aa(self.ref[0])}{self.start}"
        span = first if self.end == self.start else f"{first}_{aa(self.ref[-1])}{self.end}"
        k = self.kind
        if k == "missense":
            return f"{first}{aa(self.alt)}"
        if k == "synonymous":
            return f"{span}="
        if k == "nonsense":
            return f"{first}{stop}"
        if k in ("del", "dup"):
            return f"{span}{k}"
        if k == "ins":
            return f"{span}ins{aa(self.alt)}"
        if k == "delins":
            return f"{span}delins{aa(self.alt)}"
        if k == "fs":
            new = aa(self.alt) if self.alt else ""
            if not new:
                return f"{first}fs"
            ter = "?" if self.ter is None else str(self.ter)
            return f"{first}{new}fs{stop}{ter}"
        if k == "ext":
            ter = "?" if self.ter is None else str(self.ter)
            return f"{first}{aa(self.alt)}ext{stop}{ter}"
        if k == "start_lost":
            return f"{first}?"
        raise ValueError(f"unknown protein change kind {k!r}")

    @property
    def hgvs(self) -> str:
        """Three-letter HGVS without prefix or parentheses: ``Tyr772_Ala775dup``."""
        return self._render(_three)

    @property
    def short(self) -> str:
        """One-letter form as VEP's HGVSp_Short: ``p.Y772_A775dup``, ``p.R1230*``."""
        if not self._short:
            object.__setattr__(self, "_short", "p." + self._render(_short))
        return self._short

    @property
    def length_change(self) -> int:
        if self.kind in ("del",):
            return -(self.end - self.start + 1)
        if self.kind in ("ins", "dup"):
            return len(self.alt) if self.kind == "ins" else self.end - self.start + 1
        if self.kind == "delins":
            return len(self.alt) - (self.end - self.start + 1)
        return 0


def common_prefix(a: str, b: str, known: int = 0) -> int:
    """Length of the longest common prefix of ``a`` and ``b``.

    Equal prefixes of length n imply equal prefixes of every shorter length, so a search over
    C-level slice comparisons finds it in O(log n) steps instead of walking a 1,255-residue
    protein one residue at a time in Python (the per-variant hot spot). ``known`` is a length
    the caller knows to be shared (the residues before the changed codon); it is checked, and
    the search gallops up from there, as the first difference usually lies a residue or two on."""
    n = min(len(a), len(b))
    lo = known if 0 < known <= n and a[:known] == b[:known] else 0
    hi = n
    step = 1
    while lo < hi:                    # invariant: prefix(lo) equal, the answer is <= hi
        m = min(hi, lo + step)
        if a[:m] != b[:m]:
            hi = m - 1
            break
        lo, step = m, step * 2
    return _bisect_up(lo, hi, lambda m: a[:m] == b[:m])


def common_suffix(a: str, b: str, limit: int) -> int:
    """Length of the longest common suffix of ``a`` and ``b``, at most ``limit``.

    The search gallops down from ``limit``: after a common prefix, the common suffix usually
    covers everything but the few changed residues."""
    la, lb = len(a), len(b)

    def same(m: int) -> bool:
        return a[la - m:] == b[lb - m:]

    lo, hi = 0, max(0, limit)
    step = 1
    while lo < hi:                    # invariant: suffix(lo) equal, the answer is <= hi
        m = max(lo, hi - step + 1)
        if same(m):
            lo = m
            break
        hi, step = m - 1, step * 2
    return _bisect_up(lo, hi, same)


def _bisect_up(lo: int, hi: int, same: Callable[[int], bool]) -> int:
    """The largest m in [lo, hi] with same(m), given same(lo) and that same is monotone."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if same(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def compare(ref: str, alt: str, *, first_changed_codon: int, new_stop: bool = False,
            same_before: int = 0) -> ProteinChange:
    """Describe ``alt`` against ``ref``; both are translations that end at their first stop
    ('*'), or run off the end of the mRNA (no stop).  ``first_changed_codon`` (1-based) names
    the residue of a synonymous change.

    ``new_stop`` says that the stop ending ``alt`` was created by the change (a truncation:
    HGVS names it from the first changed residue to the new Ter, p.(Pro578_Lys579delinsLeuTer),
    or p.(Trp24Ter) when the first changed residue is the stop).  Otherwise ``alt`` ends at
    the reference stop codon, so the residues after the change realign with the reference and
    the shortest description is found by trimming the common prefix (3' rule) and suffix:
    c.2264_2271delinsCT is p.(Leu755_Glu757delinsSer), not a truncation.
    ``same_before``: residues known to be unchanged at the start (a hint for ``common_prefix``).
    """
    if alt == ref:
        pos = min(first_changed_codon, len(ref))
        return ProteinChange("synonymous", pos, pos, ref[pos - 1])
    limit = min(len(ref), len(alt))
    p = common_prefix(ref, alt, same_before)
    if p == 0 and ref[0] == "M":
        return ProteinChange("start_lost", 1, 1, "M")
    if p < len(ref) and ref[p] == "*":
        # The stop codon itself changed: an extension to the next in-frame stop, if any.
        ter = alt.find("*", p)
        return ProteinChange("ext", p + 1, p + 1, "*", alt[p], None if ter < 0 else ter - p)
    if new_stop:
        if alt[p] == "*":
            return ProteinChange("nonsense", p + 1, p + 1, ref[p])
        stop = len(alt) - 1
        return ProteinChange("delins", p + 1, stop + 1, ref[p:stop + 1], alt[p:stop + 1])
    s = common_suffix(ref, alt, limit - p)
    deleted, inserted = ref[p:len(ref) - s], alt[p:len(alt) - s]
    if not deleted:
        n = len(inserted)
        if p >= n and ref[p - n:p] == inserted:
            return ProteinChange("dup", p - n + 1, p, ref[p - n:p], inserted)
        return ProteinChange("ins", p, p + 1, ref[p - 1:p + 1], inserted)
    start, end = p + 1, p + len(deleted)
    if not inserted:
        return ProteinChange("del", start, end, deleted)
    if len(deleted) == 1 and len(inserted) == 1:
        return ProteinChange("missense", start, end, deleted, inserted)
    return ProteinChange("delins", start, end, deleted, inserted)


def ends_at_new_stop(ref: str, alt: str, length_change: int) -> bool:
    """True when ``alt`` (an in-frame change's translation, ``length_change`` residues longer
    than ``ref``) stops before the reference stop codon would come: the change made a stop.

    Placement-free (it looks only at the two proteins), so every spelling of one event agrees.
    """
    return alt.endswith("*") and len(alt) < len(ref) + length_change


def frameshift(ref: str, alt: str, same_before: int = 0) -> ProteinChange:
    """A frameshift: first changed residue, its replacement and the new stop (``same_before``:
    as for ``compare``)."""
    p = common_prefix(ref, alt, same_before)
    if p < len(alt) and alt[p] == "*":
        return ProteinChange("nonsense", p + 1, p + 1, ref[p])
    if p >= len(ref) or p >= len(alt):
        # The shifted frame happens to read the same residues up to and past the stop.
        return compare(ref, alt, first_changed_codon=p + 1, same_before=p)
    if ref[p] == "*":
        # The first changed codon is the stop codon itself: HGVS describes this as an
        # extension (p.Ter1256GluextTer45), never as a frameshift; the count is the new stop's
        # position minus the old one's, as for substitutions of the stop codon.
        ter = alt.find("*", p)
        return ProteinChange("ext", p + 1, p + 1, "*", alt[p], None if ter < 0 else ter - p)
    ter = alt.find("*", p)
    return ProteinChange("fs", p + 1, p + 1, ref[p], alt[p], None if ter < 0 else ter - p + 1)
