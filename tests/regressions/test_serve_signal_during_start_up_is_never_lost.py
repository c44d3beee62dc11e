"""`her2scope serve --demo` stopped by SIGTERM during start-up sometimes kept running forever: the
signal handler raised SystemExit wherever the main thread was, and when that was a weakref
callback or finaliser (SQLAlchemy's, during the demo import), Python printed "Exception ignored"
and dropped it; inside SQLAlchemy's transaction close it was replaced by ResourceClosedError (exit 1
with a traceback). Now the first signal is remembered and start-up stops at its next step."""

from __future__ import annotations

import signal

import pytest

pytest.importorskip("fastapi")

from her2scope.cli_web import _Stop  # noqa: E402


class _Finalised:
    def __del__(self):                      # the signal arrives while a finaliser runs
        signal.raise_signal(signal.SIGTERM)


class _Server:
    should_exit = False


@pytest.fixture
def stop():
    s = _Stop()
    yield s
    s.restore()


def test_signal_inside_a_finaliser_still_stops_start_up(stop, capsys):
    _Finalised()                            # collected at once: __del__ runs, the handler with it
    assert "Exception ignored" not in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        stop.check()
    assert exit_.value.code == 128 + signal.SIGTERM


def test_no_signal_no_stop(stop):
    stop.check()                            # nothing happens
    assert stop.received is None


def test_a_second_signal_stops_at_once(stop):
    signal.raise_signal(signal.SIGHUP)
    with pytest.raises(SystemExit) as exit_:
        signal.raise_signal(signal.SIGTERM)
    assert exit_.value.code == 128 + signal.SIGTERM


def test_once_serving_a_signal_asks_the_server_to_stop(stop):
    server = _Server()
    stop.serving(server)
    signal.raise_signal(signal.SIGTERM)     # no exception: uvicorn's loop sees should_exit
    assert server.should_exit is True


def test_a_signal_before_serving_stops_start_up_there(stop):
    signal.raise_signal(signal.SIGINT)
    server = _Server()
    with pytest.raises(SystemExit) as exit_:
        stop.serving(server)
    assert exit_.value.code == 128 + signal.SIGINT and server.should_exit is False
