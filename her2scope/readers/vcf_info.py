"""The INFO, CSQ and FORMAT/sample fields of a VCF data line, as text (no interpretation).

One definition for every reader that needs them: the ERBB2 record parser, the other-gene
records (VEP CSQ of EGFR, KRAS ... records) and the copy-number records.
"""

from __future__ import annotations


def parse_info(text: str) -> dict[str, str]:
    """INFO as key -> value; a flag (no '=') maps to ""; "." is no field at all. A key written
    twice keeps its last value."""
    out: dict[str, str] = {}
    if text == ".":
        return out
    for item in text.split(";"):
        key, _, value = item.partition("=")
        out[key] = value
    return out


def csq_entries(info: dict[str, str], layout: tuple[str, ...]) -> list[dict[str, str]]:
    """The VEP CSQ entries of a record, each as sub-field -> value (``layout``: the header's
    CSQ Format, ``VcfHeader.csq_fields`` / ``csq_layout``); [] without CSQ or layout."""
    if "CSQ" not in info or not layout:
        return []
    return [dict(zip(layout, entry.split("|"))) for entry in info["CSQ"].split(",")]


def first_sample(cols: list[str] | tuple[str, ...]) -> dict[str, str]:
    """The FORMAT keys of a data line with the first sample's values ({} for a sites-only
    line); keys beyond the sample's values are absent, and a key written twice keeps its
    first value."""
    out: dict[str, str] = {}
    if len(cols) > 9:
        for key, value in zip(cols[8].split(":"), cols[9].split(":")):
            out.setdefault(key, value)
    return out
