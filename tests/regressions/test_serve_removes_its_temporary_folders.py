"""``her2scope serve`` stopped early leaves no temporary folder behind (issue 13 item 6).

Before the fix, a SIGTERM while the About page's figures were still being drawn (a daemon
thread, killed by the stopping interpreter without its clean-up) left a her2scope-fig-*
folder in the temporary directory, and a SIGTERM during ``--demo`` loading killed the process
outright, leaving the demo import's folder. Every temporary folder now lives under one private
root that ``serve`` removes however it stops. TMPDIR points at a folder of the test's own, so
what is left there is exactly what the server left."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("her2scope.registry")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, Path, int]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    port = _free_port()
    env = {**os.environ, "TMPDIR": str(tmp), "HER2SCOPE_SECRET_KEY": "serve-tmp-test-" + "k" * 32}
    proc = subprocess.Popen([sys.executable, "-m", "her2scope", "serve", "--db", str(tmp_path / "registry.db"),
                             "--port", str(port), "--insecure-cookies", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return proc, tmp, port


def _wait_for(predicate, proc: subprocess.Popen, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"her2scope serve: {what} did not happen (exit {proc.poll()})")
        time.sleep(0.02)


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("her2scope serve did not stop within 30 s of SIGTERM")


def _inside(tmp: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*"))


def _up(port: int) -> bool:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
        return True
    except OSError:
        return False


def test_sigterm_while_the_figures_are_drawn(tmp_path):
    proc, tmp, port = _start(tmp_path)
    _wait_for(lambda: _up(port), proc, "start")
    _wait_for(lambda: any(p.name.startswith("her2scope-fig-") for p in tmp.rglob("*")), proc,
              "a figure folder appearing")
    assert _stop(proc) == 0                       # a normal stop
    assert _inside(tmp) == []


def test_sigterm_during_demo_loading(tmp_path):
    proc, tmp, _port = _start(tmp_path, "--demo")
    # the demo import writes its CSV into a temporary folder under the server's private root
    _wait_for(lambda: any(len(p.relative_to(tmp).parts) >= 2 for p in tmp.rglob("*")), proc,
              "the demo's temporary folder appearing")
    assert _stop(proc) == 128 + signal.SIGTERM    # start-up interrupted: not a normal stop
    assert _inside(tmp) == []
