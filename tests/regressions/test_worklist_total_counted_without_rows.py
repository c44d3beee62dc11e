"""The advanced-without-NGS worklist counts its matches in the page's own query (a window over
the rows, for speed at 10^5 patients). A request that returns no row has no row to carry that
count: the overview's counts only (``shown=0``, LIMIT 0) and a page past the last one must
still report the list's true size, not 0."""

from __future__ import annotations

import registry_helpers as support
from registry_helpers import TODAY

from her2scope.registry.demo import synthetic_rows, write_rows

db_url = support.db_url  # shared fixture
registry = support.registry  # shared fixture
users = support.users  # shared fixture

NAME = "advanced_without_ngs"


def test_total_without_rows_on_the_page(registry, users, tmp_path):
    rows = synthetic_rows(80, seed=21, today=TODAY, prefix="T")
    assert registry.import_csv(write_rows(tmp_path / "t.csv", rows), users["data_manager"], today=TODAY).ok
    v = users["viewer"]
    every = registry.export_worklist(NAME, v, today=TODAY)
    assert len(every) >= 5          # the synthetic registry has advanced patients without NGS

    assert registry.worklist_overview(v, shown=0, today=TODAY, names=(NAME,))[NAME].total == len(every)
    past = registry.worklist_page(NAME, v, page=1000, per_page=25, today=TODAY)
    assert past.items == () and past.total == len(every)
    first = registry.worklist_page(NAME, v, page=1, per_page=3, today=TODAY)
    assert first.total == len(every) and list(first.items) == every[:3]
    none = registry.worklist_page(NAME, v, q="no such patient", today=TODAY)
    assert none.items == () and none.total == 0
