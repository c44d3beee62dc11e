"""her2scope: find, explain and track HER2 (ERBB2)-mutant advanced NSCLC, offline.

The public surface is small; everything not listed in ``__all__`` may change.

    from her2scope import annotate_inputs, Options
    for item in annotate_inputs(["tumour.vcf.gz"], Options(build=Build.GRCh38)):
        print(item.as_dict())
"""

from __future__ import annotations

from ._version import __version__
from .classify import Classification, classify
from .errors import (BuildConflictError, CorruptFileError, EmptyInputError, Her2scopeError,
                     MalformedRecordError, NeedsReferenceError, ReferenceMismatchError,
                     UnknownBuildError, UnsupportedReferenceError, WrongBuildError)
from .genome.builds import Build
from .knowledge import KnowledgeBase, load_knowledge
from .pipeline import Options, annotate_inputs, interpret_allele, interpret_protein
from .readers.base import FileSummary, RecordError
from .result import VariantResult

__all__ = [
    "__version__", "annotate_inputs", "interpret_allele", "interpret_protein", "Options", "Build", "VariantResult", "RecordError",
    "FileSummary", "classify", "Classification", "load_knowledge", "KnowledgeBase",
    "Her2scopeError", "MalformedRecordError", "EmptyInputError", "CorruptFileError",
    "UnknownBuildError", "BuildConflictError", "ReferenceMismatchError", "UnsupportedReferenceError",
    "NeedsReferenceError", "WrongBuildError",
]
