"""`her2scope burden`: bundled GLOBOCAN rows, the arithmetic, the Monte Carlo, overrides, errors,
the JSON contract and the chart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, assert_no_traceback, run_cli

from her2scope.burden.assumptions import BurdenOptionError, load_assumptions, parse_range, with_overrides
from her2scope.burden.incidence import PUBLISHED_WORLD_LUNG_CASES, load_incidence, load_regions

FILE_TOTAL = 2_479_698          # the export's own Total row (lung, both sexes, 2022)
PUBLISHED = 2_480_675           # GCO GLOBOCAN 2022 World fact sheet
TRIM_DIFFERENCE = 977           # documented in her2scope/burden/data/SOURCES.md


def burden_json(*args) -> dict:
    run = run_cli("burden", "--format", "json", *args)
    assert run.returncode == 0, run.stderr
    assert_no_traceback(run)
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def default_run() -> dict:
    return burden_json()


# -- bundled data -----------------------------------------------------------------------------

def test_world_lung_total_is_the_sum_over_countries_and_matches_globocan():
    inc = load_incidence()
    assert len(inc.countries) == 185
    assert len({c.iso3 for c in inc.countries}) == 185
    assert inc.lung_total == sum(c.lung_cases for c in inc.countries) == inc.file_total == FILE_TOTAL
    assert PUBLISHED_WORLD_LUNG_CASES == PUBLISHED
    assert PUBLISHED - inc.lung_total == TRIM_DIFFERENCE
    assert abs(PUBLISHED - inc.lung_total) / PUBLISHED < 0.001


def test_every_country_has_exactly_one_un_m49_region():
    inc = load_incidence()
    regions = load_regions()
    assert set(regions) == {c.iso3 for c in inc.countries}
    assert {r for r, _ in regions.values()} == {"Africa", "Americas", "Asia", "Europe", "Oceania"}
    by = inc.by_iso3()
    assert (by["CHN"].region, by["CHN"].subregion) == ("Asia", "Eastern Asia")
    assert (by["USA"].region, by["USA"].subregion) == ("Americas", "Northern America")
    assert (by["REU"].region, by["REU"].subregion) == ("Africa", "Eastern Africa")
    assert by["CHN"].lung_cases == 1_060_584


def test_bundled_assumptions_are_cited_and_dated():
    a = load_assumptions()
    for p in (a.nsclc_share, a.her2_prevalence):
        assert p.citations, p.name
        assert p.checked
        assert set(p.citations) <= set(a.citations)
        assert 0 < p.low <= p.point <= p.high < 1
        for e in p.evidence:
            assert e["citations"] and e["tag"] in ("verified", "secondary", "derived")
    assert a.advanced_share is None            # off by default: no verified global registry figure
    for key, c in a.citations.items():
        assert c.get("text") and c.get("checked"), key
    for rp in a.advanced_reference_points:
        assert rp["citations"]


# -- arithmetic ----------------------------------------------------------------------------------

def test_fixed_inputs_give_the_hand_product():
    d = burden_json("--nsclc-share", "0.85", "--prevalence", "0.03")
    w = d["world"]
    assert w["lung_cases"] == FILE_TOTAL
    assert w["nsclc_cases"] == pytest.approx(FILE_TOTAL * 0.85, abs=0.05)
    assert w["her2_mutant_cases"] == pytest.approx(FILE_TOTAL * 0.85 * 0.03, abs=0.05)   # 63,232.3
    # fixed inputs: no uncertainty left
    assert w["her2_mutant_range"] == [pytest.approx(FILE_TOTAL * 0.85 * 0.03, abs=0.05)] * 2
    assert "her2_mutant_advanced_cases" not in w
    usa = next(c for c in d["countries"] if c["iso3"] == "USA")
    assert usa["her2_mutant_cases"] == pytest.approx(usa["lung_cases"] * 0.85 * 0.03, abs=0.05)


def test_default_run_reproduces_the_seed_60000_of_2_million(default_run):
    w = default_run["world"]
    assert 1.9e6 < w["nsclc_cases"] < 2.2e6                    # "~2 million"
    assert 55_000 < w["her2_mutant_cases"] < 65_000            # "~60,000"
    step6 = default_run["derivation"][-1]
    assert "60,000" in step6["name"]
    assert step6["range"] == [pytest.approx(FILE_TOTAL * 0.80 * 0.03, abs=0.05),
                              pytest.approx(FILE_TOTAL * 0.85 * 0.03, abs=0.05)]


def test_countries_and_regions_add_up_to_the_world(default_run):
    w = default_run["world"]
    assert sum(c["lung_cases"] for c in default_run["countries"]) == w["lung_cases"]
    assert sum(c["her2_mutant_cases"] for c in default_run["countries"]) == pytest.approx(w["her2_mutant_cases"], abs=20)
    for level in ("region", "subregion"):
        rows = [r for r in default_run["regions"] if r["level"] == level]
        assert sum(r["lung_cases"] for r in rows) == w["lung_cases"]
        assert sum(r["countries"] for r in rows) == 185
    # parameters are shared across countries, so intervals add up (comonotone draws)
    low = sum(c["her2_mutant_range"][0] for c in default_run["countries"])
    assert low == pytest.approx(w["her2_mutant_range"][0], rel=1e-4)


# -- Monte Carlo -------------------------------------------------------------------------------

def test_monte_carlo_interval_contains_the_point_and_is_reproducible(default_run):
    w = default_run["world"]
    low, high = w["her2_mutant_range"]
    assert low < w["her2_mutant_cases"] < high
    assert default_run["monte_carlo"]["draws"] == 10_000
    again = burden_json()
    assert again["world"] == w
    seeded = burden_json("--seed", "7", "--draws", "5000")
    assert seeded == burden_json("--seed", "7", "--draws", "5000")
    assert seeded["world"]["her2_mutant_range"] != w["her2_mutant_range"]
    assert seeded["world"]["her2_mutant_cases"] == w["her2_mutant_cases"]      # point does not move
    assert seeded["monte_carlo"]["seed"] == 7


def test_interval_is_within_the_deterministic_bounds(default_run):
    low, high = default_run["world"]["her2_mutant_range"]
    a = load_assumptions()
    assert FILE_TOTAL * a.nsclc_share.low * a.her2_prevalence.low <= low
    assert high <= FILE_TOTAL * a.nsclc_share.high * a.her2_prevalence.high


# -- overrides ---------------------------------------------------------------------------------

def test_overrides_change_the_result_as_expected(default_run, tmp_path):
    base = default_run["world"]["her2_mutant_cases"]
    doubled = burden_json("--prevalence", "0.06")["world"]
    assert doubled["her2_mutant_cases"] == pytest.approx(2 * base, abs=0.2)
    ranged = burden_json("--prevalence", "0.02,0.04")["world"]
    assert ranged["her2_mutant_cases"] == pytest.approx(base, abs=0.2)           # midpoint 0.03
    lower = burden_json("--nsclc-share", "80%")["world"]
    assert lower["nsclc_cases"] == pytest.approx(FILE_TOTAL * 0.80, abs=0.05)
    adv = burden_json("--advanced-share", "0.5")
    assert adv["world"]["her2_mutant_cases"] == pytest.approx(base, abs=0.05)  # all stages unchanged
    assert adv["world"]["her2_mutant_advanced_cases"] == pytest.approx(base * 0.5, abs=0.1)
    lo, hi = adv["world"]["her2_mutant_advanced_range"]
    assert lo < adv["world"]["her2_mutant_advanced_cases"] < hi
    assert adv["assumptions"]["parameters"]["advanced_share"]["source"] == "--advanced-share"

    custom = tmp_path / "a.yaml"
    text = Path(load_assumptions().path).read_text(encoding="utf-8")
    custom.write_text(text.replace("    point: 0.03\n", "    point: 0.035\n"), encoding="utf-8")
    alt = burden_json("--assumptions", custom)
    assert alt["world"]["her2_mutant_cases"] == pytest.approx(FILE_TOTAL * 0.85 * 0.035, abs=0.05)


def test_country_filter(default_run):
    d = burden_json("--country", "usa,FRA", "--country", "JPN")
    assert [c["iso3"] for c in d["countries"]] == ["USA", "JPN", "FRA"]    # by lung cases
    assert d["world"] == default_run["world"]                             # world stays the world
    assert d["selection"]["iso3"] == ["USA", "FRA", "JPN"]
    assert d["selection"]["lung_cases"] == sum(c["lung_cases"] for c in d["countries"])


def test_parse_range():
    assert parse_range("0.03", "--prevalence") == (0.03, 0.03, 0.03, "fixed")
    assert parse_range("2%,4%", "--prevalence") == pytest.approx((0.02, 0.03, 0.04, "triangular"))
    assert parse_range("0.8,0.85,0.87", "--nsclc-share")[:3] == (0.8, 0.85, 0.87)
    with pytest.raises(BurdenOptionError) as e:
        with_overrides(load_assumptions(), draws=0)
    assert e.value.option == "--draws"


# -- errors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, option", [
    (("--nsclc-share", "1.2"), "--nsclc-share"),
    (("--prevalence", "-0.01"), "--prevalence"),
    (("--prevalence", "0.04,0.02"), "--prevalence"),
    (("--advanced-share", "abc"), "--advanced-share"),
    (("--country", "XXX"), "--country"),
    (("--draws", "0"), "--draws"),
    (("--seed", "-1"), "--seed"),
    (("--assumptions", "/no/such/file.yaml"), "--assumptions"),
    (("--chart", "burden.gif"), "--chart"),
])
def test_invalid_values_exit_2_naming_the_option(args, option):
    run = run_cli("burden", *args)
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)
    assert option in run.stderr
    assert run.stdout == ""
    assert_no_traceback(run)


def test_unknown_iso3_is_named_in_the_message():
    run = run_cli("burden", "--country", "USA,ZZZ")
    assert run.returncode == 2
    assert "ZZZ" in run.stderr and "--country" in run.stderr


# -- output contract ---------------------------------------------------------------------------

def test_json_contract_keys(default_run):
    d = default_run
    for key in ("world", "countries", "regions", "assumptions", "derivation"):
        assert key in d
    w = d["world"]
    for key in ("nsclc_cases", "her2_mutant_cases", "her2_mutant_range"):
        assert key in w
    assert len(w["her2_mutant_range"]) == 2 and w["her2_mutant_range"][0] <= w["her2_mutant_range"][1]
    assert len(d["countries"]) == 185
    for c in d["countries"]:
        for key in ("iso3", "name", "lung_cases", "nsclc_cases", "her2_mutant_cases", "her2_mutant_range"):
            assert key in c
    assert {r["level"] for r in d["regions"]} == {"region", "subregion"}
    cites = d["assumptions"]["citations"]
    assert "GLOBOCAN2022" in cites and "38572751" in json.dumps(cites)
    for p in ("nsclc_share", "her2_prevalence"):
        assert d["assumptions"]["parameters"][p]["citations"]
    assert d["assumptions"]["parameters"]["advanced_share"]["applied"] is False
    steps = d["derivation"]
    assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0]["value"] == FILE_TOTAL


def test_table_format_shows_derivation_world_regions_countries():
    run = run_cli("burden", "--format", "table")
    assert run.returncode == 0, run.stderr
    for text in ("Derivation", "World", "Regions (UN M49)", "Eastern Asia", "CHN  China", "63,232",
                 "GLOBOCAN 2022"):
        assert text in run.stdout


def test_chart_renders_a_non_empty_png(tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "burden.png"
    run = run_cli("burden", "--chart", png, "-o", tmp_path / "burden.json")
    assert run.returncode == 0, run.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    svg = tmp_path / "burden.svg"
    assert run_cli("burden", "--chart", svg, "-o", tmp_path / "b2.json").returncode == 0
    assert "<svg" in svg.read_text(encoding="utf-8")


def test_no_heavy_imports_on_import_or_annotate_path():
    code = ("import sys, her2scope, her2scope.cli, her2scope.burden, her2scope.cli_burden; "
            "heavy = [m for m in ('numpy', 'matplotlib') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
