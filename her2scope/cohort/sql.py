"""How the cohort code writes SQL: names from a study's files are quoted identifiers, values are
bound parameters, and only the package's own constants are written into the text.

* ``identifier``: a column name read from a study file (a clinical attribute, a sample column of
  the copy-number matrix) becomes a quoted identifier, DuckDB's rule: between double quotes,
  an inner double quote doubled. Nothing in such a name can end the identifier.
* ``Bind``: every value that comes from outside the package (a file path, a file name, an
  output folder) is a named parameter (``$v0``, ``$v1`` ...) bound by DuckDB, never text.
* ``literal``: a constant of the package itself (NA tokens, a gene symbol of the driver rules) as
  a SQL string literal; the analysis queries are one text for two engines (DuckDB, and Spark
  through sqlglot), so their constants are written in, never user input.
"""

from __future__ import annotations


def identifier(name: str) -> str:
    """A quoted SQL identifier (DuckDB, Spark through sqlglot): ``a"b`` -> ``"a""b"``."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str | int) -> str:
    """A SQL literal for a constant of the package (never for input read from a study)."""
    if isinstance(value, int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def in_list(values) -> str:
    """``(literal, literal, ...)`` for an IN over package constants."""
    return "(" + ", ".join(literal(v) for v in values) + ")"


class Bind:
    """The values of one statement, bound as named parameters: ``b(value)`` returns ``$v<n>`` for
    the text and keeps the value for ``con.execute(sql, b.values)``."""

    def __init__(self) -> None:
        self.values: dict[str, object] = {}

    def __call__(self, value: object) -> str:
        name = f"v{len(self.values)}"
        self.values[name] = value
        return "$" + name
