"""Grantham's amino-acid difference (Grantham 1974, Science 185:862, doi:10.1126/science.185.4154.862).

Used for the SOP's OM4 condition: the new missense must differ from the reference residue at
least about as much as the curated oncogenic missense at the same residue does.
d = rho * sqrt(alpha*(c_i-c_j)^2 + beta*(p_i-p_j)^2 + gamma*(v_i-v_j)^2), with the paper's
composition (c), polarity (p) and volume (v) per amino acid (its Table 1) and constants.
Computed distances can differ by 1 from the paper's rounded Table 2 (e.g. Ser-Arg 109 vs 110).
"""

from __future__ import annotations

import math

ALPHA, BETA, GAMMA, RHO = 1.833, 0.1018, 0.000399, 50.723
# amino acid: (composition, polarity, volume)
PROPERTIES: dict[str, tuple[float, float, float]] = {
    "S": (1.42, 9.2, 32), "R": (0.65, 10.5, 124), "L": (0, 4.9, 111), "P": (0.39, 8.0, 32.5),
    "T": (0.71, 8.6, 61), "A": (0, 8.1, 31), "V": (0, 5.9, 84), "G": (0.74, 9.0, 3),
    "I": (0, 5.2, 111), "F": (0, 5.2, 132), "Y": (0.20, 6.2, 136), "C": (2.75, 5.5, 55),
    "H": (0.58, 10.4, 96), "Q": (0.89, 10.5, 85), "N": (1.33, 11.6, 56), "K": (0.33, 11.3, 119),
    "D": (1.38, 13.0, 54), "E": (0.92, 12.3, 83), "M": (0, 5.7, 105), "W": (0.13, 5.4, 170),
}
# "At least approximately the same" (SOP OM4): within 10% below the reference change's distance.
APPROXIMATELY = 0.9


def distance(a: str, b: str) -> int:
    """Grantham distance between two one-letter amino acids (0 for the same one)."""
    ca, pa, va = PROPERTIES[a]
    cb, pb, vb = PROPERTIES[b]
    return round(RHO * math.sqrt(ALPHA * (ca - cb) ** 2 + BETA * (pa - pb) ** 2 + GAMMA * (va - vb) ** 2))
