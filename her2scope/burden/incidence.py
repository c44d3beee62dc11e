"""The bundled GLOBOCAN 2022 lung cancer incidence rows, with each country's UN M49 region.

Provenance: ``data/SOURCES.md``. The bundled rows sum exactly to the export's own "Total" row
(2,479,698); the world figure GCO publishes is 2,480,675 (977 more, 0.04 %), see SOURCES.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import Her2scopeError

INCIDENCE_FILE = "globocan2022_lung_incidence.tsv"
REGIONS_FILE = "un_m49_regions.tsv"
# GCO GLOBOCAN 2022 World fact sheet: lung cancer, both sexes, new cases in 2022.
PUBLISHED_WORLD_LUNG_CASES = 2_480_675
SOURCE_LABEL = "GLOBOCAN 2022 (IARC Global Cancer Observatory; Bray F et al., CA Cancer J Clin 2024, PMID 38572751)"


class BundledDataError(Her2scopeError):
    """The bundled burden data are inconsistent (a packaging error, not a user error)."""

    code = "bundled_data_error"


@dataclass(frozen=True, slots=True)
class CountryIncidence:
    iso3: str
    m49_code: int
    name: str
    lung_cases: int
    region: str
    subregion: str


@dataclass(frozen=True, slots=True)
class Incidence:
    countries: tuple[CountryIncidence, ...]
    file_total: int                      # the export's own Total row
    published_world_total: int = PUBLISHED_WORLD_LUNG_CASES

    @property
    def lung_total(self) -> int:
        return sum(c.lung_cases for c in self.countries)

    def by_iso3(self) -> dict[str, CountryIncidence]:
        return {c.iso3: c for c in self.countries}


def _data_path(name: str) -> Path:
    return Path(str(resources.files("her2scope.burden") / "data" / name))


def _rows(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with ``#`` comment lines before the header."""
    with open(path, encoding="utf-8") as fh:
        lines = [line.rstrip("\n") for line in fh if not line.startswith("#") and line.strip()]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def load_regions(path: Path | None = None) -> dict[str, tuple[str, str]]:
    """ISO alpha-3 -> (UN M49 region, sub-region or intermediate region)."""
    return {r["iso3"]: (r["region"], r["subregion"]) for r in _rows(path or _data_path(REGIONS_FILE))}


def load_incidence(path: Path | None = None, regions_path: Path | None = None) -> Incidence:
    regions = load_regions(regions_path)
    countries: list[CountryIncidence] = []
    file_total: int | None = None
    for r in _rows(path or _data_path(INCIDENCE_FILE)):
        if not r["iso3"]:
            file_total = int(r["lung_cases"])
            continue
        if r["iso3"] not in regions:
            raise BundledDataError(f"no UN M49 region for {r['iso3']} in {REGIONS_FILE}")
        region, subregion = regions[r["iso3"]]
        countries.append(CountryIncidence(r["iso3"], int(r["m49_code"]), r["name"], int(r["lung_cases"]),
                                          region, subregion))
    inc = Incidence(tuple(countries), file_total if file_total is not None else -1)
    if inc.file_total != inc.lung_total:
        raise BundledDataError(f"country rows sum to {inc.lung_total:,}, the Total row says {inc.file_total:,}")
    return inc
