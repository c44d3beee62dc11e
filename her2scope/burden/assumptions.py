"""The model's parameters: cited and dated in ``data/assumptions_v1.yaml``, overridable per run.

A parameter is a point value with a (low, high) range and a distribution for the Monte Carlo:

    triangular  (low, point, high) as (min, mode, max)
    uniform     (low, high); the point is still the deterministic estimate
    fixed       the point only (what a single-number override gives)

Override syntax (``--nsclc-share``, ``--prevalence``, ``--advanced-share``): ``0.03`` (fixed),
``0.02,0.04`` (triangular with the midpoint as mode), ``0.02,0.03,0.04`` (triangular), each
number a proportion or a percentage (``3%``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import Her2scopeError

ASSUMPTIONS_FILE = "assumptions_v1.yaml"
DISTRIBUTIONS = ("triangular", "uniform", "fixed")
MAX_DRAWS = 10_000_000
ADVANCED_DESCRIPTION = "Share of new NSCLC diagnosed at an advanced stage (supplied by the user)."


class BurdenOptionError(Her2scopeError):
    """A burden option or assumptions file has a value the model cannot use.

    ``option`` names the command-line option (or the assumptions file entry) to fix."""

    code = "invalid_option"

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"invalid {option}: {message}")
        self.option = option


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    point: float
    low: float
    high: float
    distribution: str
    source: str                                  # "assumptions_v1.yaml" or the overriding option
    citations: tuple[str, ...] = ()
    checked: str | None = None
    description: str = ""
    rationale: str = ""
    evidence: tuple[dict, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        d = {"point": self.point, "low": self.low, "high": self.high, "distribution": self.distribution,
             "source": self.source, "citations": list(self.citations), "checked": self.checked,
             "description": self.description.strip()}
        if self.rationale:
            d["rationale"] = " ".join(self.rationale.split())
        if self.evidence:
            d["evidence"] = [dict(e) for e in self.evidence]
        return d


@dataclass(frozen=True, slots=True)
class Assumptions:
    version: int
    checked: str
    path: str
    nsclc_share: Parameter
    her2_prevalence: Parameter
    advanced_share: Parameter | None             # None: not applied (the default)
    draws: int
    seed: int
    interval: float
    citations: dict[str, dict] = field(default_factory=dict)
    advanced_reference_points: tuple[dict, ...] = ()

    def parameters(self) -> tuple[Parameter, ...]:
        extra = (self.advanced_share,) if self.advanced_share else ()
        return (self.nsclc_share, self.her2_prevalence) + extra


def default_path() -> Path:
    return Path(str(resources.files("her2scope.burden") / "data" / ASSUMPTIONS_FILE))


def _proportion(value: Any, option: str, what: str) -> float:
    try:
        if isinstance(value, str):
            text = value.strip()
            number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        elif isinstance(value, bool):
            raise TypeError
        else:
            number = float(value)
    except (TypeError, ValueError):
        raise BurdenOptionError(option, f"{what} {value!r} is not a number") from None
    if not 0.0 <= number <= 1.0 or number != number:
        raise BurdenOptionError(option, f"{what} must be a proportion between 0 and 1 (or 0%-100%), "
                                        f"got {value}")
    return number


def _check_order(low: float, point: float, high: float, option: str) -> None:
    if not low <= point <= high:
        raise BurdenOptionError(option, f"need low <= point <= high, got low={low}, point={point}, high={high}")


def parse_range(text: str, option: str) -> tuple[float, float, float, str]:
    """``"0.03"`` -> fixed; ``"0.02,0.04"`` -> triangular around the midpoint;
    ``"0.02,0.03,0.04"`` -> triangular. Returns (low, point, high, distribution)."""
    parts = [p for p in str(text).replace(";", ",").split(",")]
    if not 1 <= len(parts) <= 3 or any(not p.strip() for p in parts):
        raise BurdenOptionError(option, f"expected POINT, LOW,HIGH or LOW,POINT,HIGH, got {text!r}")
    values = [_proportion(p, option, "value") for p in parts]
    if len(values) == 1:
        return values[0], values[0], values[0], "fixed"
    if len(values) == 2:
        low, high = values
        point = (low + high) / 2
    else:
        low, point, high = values
    _check_order(low, point, high, option)
    return low, point, high, "triangular" if high > low else "fixed"


def _parameter_from_yaml(name: str, entry: Any, option: str, source: str) -> Parameter | None:
    if not isinstance(entry, dict):
        raise BurdenOptionError(option, f"parameters.{name} must be a mapping")
    if entry.get("point") is None:
        return None
    point = _proportion(entry["point"], option, f"parameters.{name}.point")
    low = _proportion(entry.get("low", point), option, f"parameters.{name}.low")
    high = _proportion(entry.get("high", point), option, f"parameters.{name}.high")
    _check_order(low, point, high, f"{option} (parameters.{name})")
    dist = entry.get("distribution", "triangular")
    if dist not in DISTRIBUTIONS:
        raise BurdenOptionError(option, f"parameters.{name}.distribution must be one of {', '.join(DISTRIBUTIONS)}")
    evidence = tuple(entry.get("evidence") or ())
    citations = tuple(dict.fromkeys(c for e in evidence for c in (e.get("citations") or ())))
    return Parameter(name, point, low, high, dist if high > low else "fixed", source, citations,
                     str(entry["checked"]) if entry.get("checked") else None,
                     str(entry.get("description") or ""), str(entry.get("rationale") or ""), evidence)


def load_assumptions(path: str | Path | None = None) -> Assumptions:
    """Read and validate an assumptions file (the bundled v1 file by default)."""
    option = "--assumptions" if path else "bundled assumptions"
    p = Path(path) if path else default_path()
    try:
        with open(p, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except FileNotFoundError:
        raise BurdenOptionError(option, f"file not found: {p}") from None
    except (OSError, yaml.YAMLError) as exc:
        raise BurdenOptionError(option, f"cannot read {p}: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("parameters"), dict):
        raise BurdenOptionError(option, f"{p} has no 'parameters' mapping")
    params = doc["parameters"]
    source = p.name
    found: dict[str, Parameter] = {}
    for name in ("nsclc_share", "her2_prevalence"):
        if name not in params:
            raise BurdenOptionError(option, f"{p} lacks parameters.{name}")
        param = _parameter_from_yaml(name, params[name], option, source)
        if param is None:
            raise BurdenOptionError(option, f"parameters.{name}.point is required")
        found[name] = param
    adv_entry = params.get("advanced_share") or {"point": None}
    advanced = _parameter_from_yaml("advanced_share", adv_entry, option, source)
    defaults = doc.get("defaults") or {}
    draws, seed = defaults.get("draws", 10_000), defaults.get("seed", 20220101)
    interval = defaults.get("interval", 0.95)
    _check_draws(draws, option)
    _check_seed(seed, option)
    if not isinstance(interval, (int, float)) or not 0 < interval < 1:
        raise BurdenOptionError(option, f"defaults.interval must be between 0 and 1, got {interval!r}")
    return Assumptions(int(doc.get("version", 0)), str(doc.get("checked", "")), str(p),
                       found["nsclc_share"], found["her2_prevalence"], advanced, int(draws), int(seed),
                       float(interval), dict(doc.get("citations") or {}),
                       tuple(adv_entry.get("reference_points") or ()))


def _check_draws(draws: Any, option: str) -> None:
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= MAX_DRAWS:
        raise BurdenOptionError(option, f"the number of draws must be an integer from 1 to {MAX_DRAWS:,}, "
                                        f"got {draws!r}")


def _check_seed(seed: Any, option: str) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise BurdenOptionError(option, f"the seed must be a non-negative integer, got {seed!r}")


def _override(base: Parameter | None, name: str, text: str, option: str) -> Parameter:
    low, point, high, dist = parse_range(text, option)
    description = base.description if base else ADVANCED_DESCRIPTION
    return Parameter(name, point, low, high, dist, option, (), None, description,
                     f"given on the command line ({option} {text})")


def with_overrides(a: Assumptions, *, nsclc_share: str | None = None, prevalence: str | None = None,
                   advanced_share: str | None = None, draws: int | None = None,
                   seed: int | None = None) -> Assumptions:
    """A copy of ``a`` with the per-run overrides applied (each validated, errors name the option)."""
    changes: dict[str, Any] = {}
    if nsclc_share is not None:
        changes["nsclc_share"] = _override(a.nsclc_share, "nsclc_share", nsclc_share, "--nsclc-share")
    if prevalence is not None:
        changes["her2_prevalence"] = _override(a.her2_prevalence, "her2_prevalence", prevalence, "--prevalence")
    if advanced_share is not None:
        changes["advanced_share"] = _override(a.advanced_share, "advanced_share", advanced_share,
                                              "--advanced-share")
    if draws is not None:
        _check_draws(draws, "--draws")
        changes["draws"] = draws
    if seed is not None:
        _check_seed(seed, "--seed")
        changes["seed"] = seed
    return dataclasses.replace(a, **changes)
