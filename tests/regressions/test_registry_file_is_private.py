"""Issue 13: ``registry init`` created the SQLite file with the default umask (often readable by
every local user); it holds pseudonymous patient data and password hashes. A new registry file
is now created readable and writable by its owner only (0600)."""

from __future__ import annotations

import os
import stat

import pytest

pytest.importorskip("her2scope.registry")


def test_new_sqlite_registry_is_0600(tmp_path):
    from her2scope.registry import Registry

    old = os.umask(0o022)
    try:
        Registry.open(str(tmp_path / "new.db")).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "new.db").st_mode) == 0o600
