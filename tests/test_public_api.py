"""The curated public surface does not drift silently."""

import her2scope

EXPECTED = {
    "__version__", "annotate_inputs", "interpret_allele", "interpret_protein", "Options", "Build", "VariantResult", "RecordError",
    "FileSummary", "classify", "Classification", "load_knowledge", "KnowledgeBase",
    "Her2scopeError", "MalformedRecordError", "EmptyInputError", "CorruptFileError",
    "UnknownBuildError", "BuildConflictError", "ReferenceMismatchError",
    "UnsupportedReferenceError", "NeedsReferenceError", "WrongBuildError",
}


def test_exports():
    assert set(her2scope.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(her2scope, name)


def test_every_error_is_a_her2scope_error_with_a_code():
    checked = set()
    for name in EXPECTED:
        obj = getattr(her2scope, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, her2scope.Her2scopeError)
            assert obj.code
            checked.add(name)
    # Every exported exception was checked (RecordError is a result row for a bad record, not an exception).
    assert checked == {n for n in EXPECTED if n.endswith("Error")} - {"RecordError"}
