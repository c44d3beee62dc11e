"""An independent HGVS p. namer for coding edits on NM_004448.4, for tests only.

It shares no code with her2scope: it reads the bundled mRNA FASTA and exon table as plain text,
translates the reference and the edited coding sequence with its own genetic code, and names
the difference with the HGVS protein rules (hgvs-nomenclature.org, "varnomen"):

* frameshift (length change not a multiple of 3): first changed residue, its replacement and
  the new stop counted from it, p.(Arg97ProfsTer23); a stop straight away is p.(Tyr4Ter);
* an in-frame change that creates a stop (the edited protein ends before the reference stop
  would come): p.(Trp24Ter), or a delins from the first changed residue to the new Ter,
  p.(Pro578_Lys579delinsLeuTer) (the HGVS example);
* otherwise the residues after the change realign with the reference: the shortest
  description after trimming the common prefix (which places it 3'-most) and suffix: a
  substitution, del, dup (an insertion copying the residues just before it), ins or delins;
* no change: p.(Leu755=) at the first changed codon.

Edits touching the start codon or reaching the stop codon are not modelled (``None``).
"""

from __future__ import annotations

import functools
import json
from importlib import resources

_BASES = "TCAG"
_AMINO = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODE = {a + b + c: _AMINO[16 * i + 4 * j + k] for i, a in enumerate(_BASES)
        for j, b in enumerate(_BASES) for k, c in enumerate(_BASES)}
NAMES = dict(A="Ala", R="Arg", N="Asn", D="Asp", C="Cys", Q="Gln", E="Glu", G="Gly", H="His",
             I="Ile", L="Leu", K="Lys", M="Met", F="Phe", P="Pro", S="Ser", T="Thr", W="Trp",
             Y="Tyr", V="Val")
NAMES["*"] = "Ter"

_DATA = resources.files("her2scope") / "genome" / "data"
MRNA = "".join(line.strip() for line in (_DATA / "NM_004448.4.fa").read_text().splitlines()
               if not line.startswith(">")).upper()
CDS_START = json.loads((_DATA / "NM_004448.4_tx_info.json").read_text())["cds_start_i"]
CODING = MRNA[CDS_START:]          # CDS plus 3' UTR: a shifted frame may read past the stop


def _exons() -> list[tuple[int, int]]:
    """(first, last) c. positions of each exon's bases (numbers may be <1 or past the CDS)."""
    rows = [line.split("\t") for line in
            (_DATA / "NM_004448.4_GRCh37_NC_000017.10_exons.tsv").read_text().splitlines()
            if line and not line.startswith(("#", "ord"))]
    return [(int(r[1]) - CDS_START + 1, int(r[2]) - CDS_START) for r in rows]


EXONS = _exons()


def translate(seq: str) -> str:
    """Residues up to and including the first stop (no stop: the readable codons)."""
    protein = "".join([CODE[seq[i:i + 3]] for i in range(0, len(seq) - 2, 3)])
    stop = protein.find("*")
    return protein if stop < 0 else protein[:stop + 1]


REF_PROTEIN = translate(CODING)
assert len(REF_PROTEIN) == 1256 and REF_PROTEIN.endswith("*")


def three(seq: str) -> str:
    return "".join(NAMES[a] for a in seq)


@functools.cache
def name(c_first: int, c_last: int, inserted: str) -> tuple[str, str] | None:
    """HGVS p. (without ``p.(…)``) and the main SO term for replacing c.c_first..c.c_last by
    ``inserted`` (``c_last = c_first - 1`` for a pure insertion before c_first)."""
    alt_coding = CODING[:c_first - 1] + inserted + CODING[c_last:]
    if alt_coding == CODING:
        return None                     # no change at all (not a variant)
    ref, alt = REF_PROTEIN, translate(alt_coding)
    delta = len(inserted) - (c_last - c_first + 1)
    p = 0
    while p < min(len(ref), len(alt)) and ref[p] == alt[p]:
        p += 1
    if ref == alt:
        first = next(i for i in range(len(CODING)) if CODING[i] != alt_coding[i])
        codon = first // 3
        return f"{three(ref[codon])}{codon + 1}=", "synonymous_variant"
    if p == 0 or p >= len(ref) - 1 or p >= len(alt):
        return None                     # start codon, or the stop codon (extension) changed
    if delta % 3:
        if alt[p] == "*":
            return f"{three(ref[p])}{p + 1}Ter", "stop_gained"
        ter = f"Ter{alt.index('*') - p + 1}" if alt.endswith("*") else "Ter?"
        return f"{three(ref[p])}{p + 1}{three(alt[p])}fs{ter}", "frameshift_variant"
    if alt.endswith("*") and len(alt) < len(ref) + delta // 3:        # a new stop
        if alt[p] == "*":
            return f"{three(ref[p])}{p + 1}Ter", "stop_gained"
        stop = len(alt) - 1
        return (f"{three(ref[p])}{p + 1}_{three(ref[stop])}{stop + 1}delins{three(alt[p:])}",
                "stop_gained")
    s = 0
    while s < min(len(ref), len(alt)) - p and ref[-1 - s] == alt[-1 - s]:
        s += 1
    deleted, ins = ref[p:len(ref) - s], alt[p:len(alt) - s]
    if not deleted:
        n = len(ins)
        if p >= n and ref[p - n:p] == ins:
            span = (f"{three(ref[p - 1])}{p}" if n == 1
                    else f"{three(ref[p - n])}{p - n + 1}_{three(ref[p - 1])}{p}")
            return f"{span}dup", "inframe_insertion"
        return f"{three(ref[p - 1])}{p}_{three(ref[p])}{p + 1}ins{three(ins)}", "inframe_insertion"
    span = (f"{three(deleted)}{p + 1}" if len(deleted) == 1
            else f"{three(deleted[0])}{p + 1}_{three(deleted[-1])}{p + len(deleted)}")
    if not ins:
        return f"{span}del", "inframe_deletion"
    if len(deleted) == len(ins) == 1:
        return f"{three(deleted)}{p + 1}{three(ins)}", "missense_variant"
    term = ("missense_variant" if delta == 0 else
            "inframe_insertion" if delta > 0 else "inframe_deletion")
    return f"{span}delins{three(ins)}", term


def expression(c_first: int, c_last: int, inserted: str) -> str:
    """The c. expression of the same edit, as a lab would write it."""
    if c_last < c_first:
        return f"NM_004448.4:c.{c_last}_{c_first}ins{inserted}"
    span = f"{c_first}" if c_first == c_last else f"{c_first}_{c_last}"
    return f"NM_004448.4:c.{span}{'delins' + inserted if inserted else 'del'}"
