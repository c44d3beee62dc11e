"""her2scope: find, explain and track HER2 (ERBB2)-mutant advanced NSCLC, offline.

The public surface is small; everything not listed in ``__all__`` may change.

    from her2scope import annotate_inputs, Options
    for item in annotate_inputs(["tumour.vcf.gz"], Options(build=Build.GRCh38)):
        print(item.as_dict())
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING

from ._version import __version__

# The names below load on first use (PEP 562), not at ``import her2scope``: every command
# line run imports this package first, and most commands need only a part of the library
# (``her2scope --version`` none of it).
_EXPORTS = {
    "classify": ".classify", "Classification": ".classify",
    "Her2scopeError": ".errors", "MalformedRecordError": ".errors", "EmptyInputError": ".errors",
    "CorruptFileError": ".errors", "UnknownBuildError": ".errors", "BuildConflictError": ".errors",
    "ReferenceMismatchError": ".errors", "UnsupportedReferenceError": ".errors",
    "NeedsReferenceError": ".errors", "WrongBuildError": ".errors",
    "Build": ".genome.builds",
    "KnowledgeBase": ".knowledge", "load_knowledge": ".knowledge",
    "Options": ".pipeline", "annotate_inputs": ".pipeline", "interpret_allele": ".pipeline",
    "interpret_protein": ".pipeline",
    "FileSummary": ".readers.base", "RecordError": ".readers.base",
    "VariantResult": ".result",
}

if TYPE_CHECKING:
    from .classify import Classification, classify
    from .errors import (BuildConflictError, CorruptFileError, EmptyInputError, Her2scopeError,
                         MalformedRecordError, NeedsReferenceError, ReferenceMismatchError,
                         UnknownBuildError, UnsupportedReferenceError, WrongBuildError)
    from .genome.builds import Build
    from .knowledge import KnowledgeBase, load_knowledge
    from .pipeline import Options, annotate_inputs, interpret_allele, interpret_protein
    from .readers.base import FileSummary, RecordError
    from .result import VariantResult


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value          # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


class _Package(types.ModuleType):
    """``her2scope.classify`` is the function, as it was when this package imported it eagerly:
    importing the submodule ``her2scope.classify`` (the pipeline does) makes the import system
    set the package attribute of that name to the submodule, which this setter declines."""

    @property
    def classify(self):
        return importlib.import_module(".classify", __name__).classify

    @classify.setter
    def classify(self, value) -> None:
        if not isinstance(value, types.ModuleType):
            raise AttributeError("her2scope.classify is the library function; it cannot be replaced")


sys.modules[__name__].__class__ = _Package


__all__ = [
    "__version__", "annotate_inputs", "interpret_allele", "interpret_protein", "Options", "Build", "VariantResult", "RecordError",
    "FileSummary", "classify", "Classification", "load_knowledge", "KnowledgeBase",
    "Her2scopeError", "MalformedRecordError", "EmptyInputError", "CorruptFileError",
    "UnknownBuildError", "BuildConflictError", "ReferenceMismatchError", "UnsupportedReferenceError",
    "NeedsReferenceError", "WrongBuildError",
]
