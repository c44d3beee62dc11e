"""The exceptions her2scope raises, in one tree.

    Her2scopeError                      root: catch this to catch everything below
    ├── InputError                      the input cannot be read as it stands
    │   ├── MalformedRecordError        a line/row/expression breaks its format's rules
    │   ├── EmptyInputError             a file with no data records at all
    │   ├── UnknownSampleError          the named sample is not in the file
    │   └── CorruptFileError            truncated or damaged compressed data
    ├── BuildError                      the genome build is unknown or contradictory
    │   ├── UnknownBuildError
    │   ├── BuildConflictError          --build says one thing, the file says another
    │   └── WrongBuildError             records fit ERBB2 on the other build, not the declared one
    ├── ReferenceMismatchError          REF (or a protein residue) disagrees with the reference
    ├── UnsupportedReferenceError       an accession or transcript her2scope does not model
    ├── NeedsReferenceError             intronic bases are needed and no --reference FASTA was given
    ├── KnowledgeBaseError              the bundled knowledge base is inconsistent
    └── OutputError                     an output the user named cannot be opened or written

Every error carries a short machine-readable ``code`` (used in the ``error`` key of the
JSON output) and a message written for the lab bioinformatician who has to act on it.
"""

from __future__ import annotations


class Her2scopeError(Exception):
    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(Her2scopeError):
    code = "input_error"


class MalformedRecordError(InputError):
    code = "malformed_record"


class EmptyInputError(InputError):
    code = "empty_input"


class UnknownSampleError(InputError):
    """A sample name (VCF column, MAF barcode) that the file does not have. Filtering by it would
    find nothing and read as "no variant": a false negative. The message names the file's samples."""

    code = "unknown_sample"

    def __init__(self, path: str, sample: str, available: tuple[str, ...]) -> None:
        names = ", ".join(available)
        super().__init__(f"{path}: no sample named {sample!r} in the file; its samples are: {names}")
        self.path = path
        self.sample = sample
        self.available = available


class CorruptFileError(InputError):
    code = "corrupt_file"


class BuildError(Her2scopeError):
    code = "build_error"


class UnknownBuildError(BuildError):
    code = "unknown_build"


class BuildConflictError(BuildError):
    code = "build_conflict"


class WrongBuildError(BuildError):
    code = "wrong_build"


class ReferenceMismatchError(Her2scopeError):
    """REF bases (or a protein reference residue) do not match the reference sequence.

    ``likely_causes`` lists what was tested and fits: the other genome build, the other
    strand, a REF/ALT swap (germline or reference allele in REF).
    """

    code = "ref_mismatch"

    def __init__(self, message: str, *, expected: str = "", observed: str = "",
                 likely_causes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.expected = expected
        self.observed = observed
        self.likely_causes = likely_causes


class UnsupportedReferenceError(Her2scopeError):
    code = "unsupported_reference"


class NeedsReferenceError(Her2scopeError):
    code = "needs_reference"


class KnowledgeBaseError(Her2scopeError):
    code = "knowledge_base_error"


class OutputError(Her2scopeError):
    """An output the user named (``-o``, ``--chart``, ``--figures``, ``--json``) cannot be opened or
    written: a directory, a folder that cannot be made, no permission, a full disk, a closed pipe.
    The message names the target as the user gave it, not a temporary file beside it."""

    code = "cannot_write"

    def __init__(self, target: object, reason: str) -> None:
        super().__init__(f"cannot write {target}: {reason}")
        self.target = str(target)
        self.reason = reason
