"""Errors of the cohort package: study files (each names the file and, when known, the line and
the column) and the use of a closed analysis."""

from __future__ import annotations

from ..errors import Her2scopeError, InputError


class StudyFileError(InputError):
    """A study file is missing, unreadable or breaks its format's rules."""

    code = "study_file_error"

    def __init__(self, path: object, message: str, line: int | None = None, *,
                 column: str | None = None) -> None:
        where = f"{path}:{line}" if line is not None else f"{path}"
        if column is not None:
            where += f": column {column}"
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.column = column


class AnalysisClosedError(Her2scopeError):
    """The imported tables of a closed analysis were asked for: close() (or the end of the ``with``
    block) removed the temporary folder they lived in. The numbers of the analysis stay readable."""

    code = "analysis_closed"
