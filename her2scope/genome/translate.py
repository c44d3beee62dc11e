"""The standard genetic code."""

from __future__ import annotations

_BASES = "TCAG"
_AMINO = "FFLLSSSSYY**CC*WLLLLPPPPHHQQRRRRIIIMTTTTNNKKSSRRVVVVAAAADDEEGGGG"
CODON_TABLE = {
    a + b + c: _AMINO[16 * i + 4 * j + k]
    for i, a in enumerate(_BASES) for j, b in enumerate(_BASES) for k, c in enumerate(_BASES)
}

THREE_LETTER = {
    "A": "Ala", "R": "Arg", "N": "Asn", "D": "Asp", "C": "Cys", "Q": "Gln", "E": "Glu",
    "G": "Gly", "H": "His", "I": "Ile", "L": "Leu", "K": "Lys", "M": "Met", "F": "Phe",
    "P": "Pro", "S": "Ser", "T": "Thr", "W": "Trp", "Y": "Tyr", "V": "Val", "*": "Ter",
    "U": "Sec", "X": "Xaa",
}
ONE_LETTER = {v: k for k, v in THREE_LETTER.items()}


def translate(cds: str, *, to_stop: bool = False) -> str:
    """Translate complete codons; with ``to_stop`` end at (and include) the first stop."""
    cds = cds.upper()                 # once, not per codon (a frameshift reads hundreds)
    table = CODON_TABLE
    if not to_stop:
        return "".join([table.get(cds[i:i + 3], "X") for i in range(0, len(cds) - 2, 3)])
    out = []
    for i in range(0, len(cds) - 2, 3):
        aa = table.get(cds[i:i + 3], "X")
        out.append(aa)
        if aa == "*":
            break
    return "".join(out)


def three(seq: str) -> str:
    return "".join(THREE_LETTER[a] for a in seq)


_COMPLEMENT = str.maketrans("ACGTNacgtn", "TGCANtgcan")


def reverse_complement(seq: str) -> str:
    return seq.translate(_COMPLEMENT)[::-1]
