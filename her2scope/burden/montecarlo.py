"""Seeded Monte Carlo draws of the model's parameters (numpy).

Each draw takes ONE value of every parameter, shared by all countries: the uncertainty is
about the global parameter, not independent country-level noise. Lung cancer incidence is
taken as fixed (the bundled GLOBOCAN rows carry no uncertainty interval). Hence every
country's draws are its lung cases times the same per-draw factor, and its interval is its
lung cases times the factor's interval (exact: quantiles scale with a positive constant).

Draw order (fixed, so a seed reproduces a run): NSCLC share, HER2 prevalence, advanced share.
Generator: ``numpy.random.default_rng(seed)`` (PCG64).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .assumptions import Assumptions, Parameter


@dataclass(frozen=True)
class FactorQuantiles:
    """Quantiles (low, median, high) and mean of the multiplicative factors."""

    nsclc: tuple[float, float, float, float]
    her2: tuple[float, float, float, float]
    advanced: tuple[float, float, float, float] | None


def draw(param: Parameter, rng: np.random.Generator, n: int) -> np.ndarray:
    if param.distribution == "fixed" or param.high <= param.low:
        return np.full(n, param.point, dtype=float)
    if param.distribution == "uniform":
        return rng.uniform(param.low, param.high, n)
    return rng.triangular(param.low, param.point, param.high, n)


def factor_quantiles(a: Assumptions) -> FactorQuantiles:
    rng = np.random.default_rng(a.seed)
    nsclc = draw(a.nsclc_share, rng, a.draws)
    her2 = nsclc * draw(a.her2_prevalence, rng, a.draws)
    advanced = her2 * draw(a.advanced_share, rng, a.draws) if a.advanced_share else None
    tail = (1.0 - a.interval) / 2

    def q(x: np.ndarray) -> tuple[float, float, float, float]:
        low, med, high = np.quantile(x, [tail, 0.5, 1.0 - tail])
        return float(low), float(med), float(high), float(x.mean())

    return FactorQuantiles(q(nsclc), q(her2), q(advanced) if advanced is not None else None)
