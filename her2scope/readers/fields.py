"""Strict numbers from text fields (VCF, MAF).

Files arrive from many pipelines and sometimes damaged: a count of ``inf``, ``nan``, ``1e400``,
``-3`` or ``1.5`` reads, or a fraction of 7, is not a number to report.  Each function returns
None for a missing value and raises ``MalformedRecordError`` naming the field for anything
else that is not a plausible value, so no hostile value reaches arithmetic (``int(inf)``
raises OverflowError) or the JSON output (``NaN`` is not JSON).
"""

from __future__ import annotations

import math
import re

from ..errors import MalformedRecordError

MISSING = frozenset({"", ".", "NA"})   # "nan" is not missing: it is a damaged value
# VCF Integer fields are 32-bit signed (BCF cannot hold more); no read count comes near it.
MAX_INT = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")
# A whole number written as a float ("30.0"): what pandas writes for an integer column that
# has missing values.  Accepted; "1.5" is not.
_WHOLE_FLOAT = re.compile(r"([0-9]{1,10})\.0*")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")


def _show(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def count(text: str | None, name: str, where: str, *, whole_floats: bool = False) -> int | None:
    """A non-negative integer below 2**31, or None when missing.  ``whole_floats`` also
    accepts "30.0" (MAF columns written by pandas)."""
    if text is None or text.strip() in MISSING:
        return None
    value = text.strip()
    m = _DIGITS.fullmatch(value) or (_WHOLE_FLOAT.fullmatch(value) if whole_floats else None)
    if m is None or int(m.group(m.lastindex or 0)) > MAX_INT:
        raise MalformedRecordError(f"{where}: {name} {_show(value)} is not a count "
                                   f"(a whole number from 0 to {MAX_INT:,})")
    return int(m.group(m.lastindex or 0))


def counts(text: str | None, name: str, where: str) -> list[int | None] | None:
    """A comma-separated list of counts (AD, AU, TIR ...); None when the whole field is missing.
    Single missing entries ("." in "10,.") stay None."""
    if text is None or text.strip() in MISSING:
        return None
    return [count(part, name, where) for part in text.split(",")]


def real(text: str | None, name: str, where: str, *, minimum: float | None = None,
         maximum: float | None = None) -> float | None:
    """A finite decimal within [minimum, maximum], or None when missing."""
    if text is None or text.strip() in MISSING:
        return None
    value = text.strip()
    number = float(value) if _DECIMAL.fullmatch(value) else math.nan
    if (not math.isfinite(number) or (minimum is not None and number < minimum)
            or (maximum is not None and number > maximum)):
        bounds = ("" if minimum is None and maximum is None else
                  f" from {minimum:g} to {maximum:g}" if minimum is not None and maximum is not None
                  else f" of at least {minimum:g}" if minimum is not None else f" up to {maximum:g}")
        raise MalformedRecordError(f"{where}: {name} {_show(value)} is not a finite number{bounds}")
    return number


def fraction(text: str | None, name: str, where: str, *, percent: bool = False) -> float | None:
    """An allele fraction in [0, 1], or None when missing.  ``percent``: the value is written
    as a percentage, with or without "%" (VarScan FREQ "45.2%")."""
    if text is None or text.strip() in MISSING:
        return None
    value = text.strip()
    if percent:
        number = real(value.removesuffix("%"), name, where, minimum=0, maximum=100)
        return None if number is None else number / 100
    return real(value, name, where, minimum=0, maximum=1)


def plain_int(text: str) -> int | None:
    """The value of an ASCII decimal without sign of at most 18 digits (a VCF POS), else None.
    ``str.isdigit`` alone is not enough: it accepts characters such as '²' that ``int``
    refuses, and ``int`` refuses strings of more than 4,300 digits."""
    return int(text) if len(text) <= 18 and text.isascii() and text.isdigit() else None


# No ERBB2 position, length or codon number has more than 10 digits; Python refuses to turn
# strings of over 4,300 digits into numbers at all (a ValueError deep inside a parser).
_LONG_NUMBER = re.compile(r"\d{13,}")


def check_hgvs_numbers(text: str, what: str) -> None:
    """Refuse HGVS text holding a number far too long to be a position or length."""
    m = _LONG_NUMBER.search(text)
    if m:
        raise MalformedRecordError(f"{what}: a number of {len(m.group()):,} digits is not a "
                                   "position, length or codon number")


def has_long_number(text: str | None) -> bool:
    return text is not None and _LONG_NUMBER.search(text) is not None
