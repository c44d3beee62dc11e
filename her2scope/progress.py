"""Feedback while a long command runs: what a person at a terminal sees, and nothing else.

- A rich progress bar (or a spinner with the elapsed time when the amount of work is unknown) on
  standard error, only when standard error is a terminal and ``--quiet`` is not given. Piped or
  redirected runs, and every test, see no progress output at all.
- ``--verbose`` prints each step as one plain line on standard error (also when piped), so a log
  shows what was done and how long it took.

Results never go through here: standard output stays the command's output alone. rich is imported
only when a bar is actually shown, so start-up stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, TypeVar

T = TypeVar("T")


def _stderr() -> IO[str]:
    return sys.stderr


@dataclass(frozen=True, slots=True)
class Feedback:
    """How much to tell the person running a command (set by ``--quiet`` / ``--verbose``)."""

    quiet: bool = False
    verbose: bool = False
    stream: Callable[[], IO[str]] = _stderr     # looked up late: tests and pytest swap sys.stderr

    @property
    def live(self) -> bool:
        """A progress display is wanted: a terminal on stderr, not --quiet, not a dumb terminal."""
        stream = self.stream()
        return (not self.quiet and getattr(stream, "isatty", lambda: False)()
                and os.environ.get("TERM") != "dumb")

    def step(self, message: str) -> None:
        """One line per step under --verbose."""
        if self.verbose and not self.quiet:
            print(f"her2scope: {message}", file=self.stream(), flush=True)

    def note(self, message: str) -> None:
        """A line worth seeing unless --quiet (summaries, 'wrote FILE')."""
        if not self.quiet:
            print(message, file=self.stream(), flush=True)

    @contextmanager
    def working(self, description: str) -> Iterator[Callable[[str], None]]:
        """A spinner with the elapsed time for work of unknown length; yields ``say(text)`` to
        change the description. Under --verbose the step and its duration are printed."""
        start = time.monotonic()
        self.step(f"{description} ...")
        if not self.live:
            yield lambda text: None
        else:
            # lazy: start-up (rich loads only when progress is shown on a terminal)
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                          console=self._console(), transient=True) as bar:
                task = bar.add_task(description, total=None)
                yield lambda text: bar.update(task, description=text)
        self.step(f"{description}: done in {time.monotonic() - start:.1f} s")

    def track(self, items: Iterable[T], total: int, description: str,
              label: Callable[[T], str] | None = None) -> Iterator[T]:
        """Yield ``items`` with a bar counting them (``label(item)`` names the current one)."""
        if not self.live:
            for item in items:
                if label is not None:
                    self.step(f"{description}: {label(item)}")
                yield item
            return
        # lazy: start-up (rich loads only when progress is shown on a terminal)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=self._console(), transient=True) as bar:
            task = bar.add_task(description, total=total)
            for item in items:
                if label is not None:
                    bar.update(task, description=f"{description}: {label(item)}")
                    self.step(f"{description}: {label(item)}")
                yield item
                bar.advance(task)

    def _console(self):
        from rich.console import Console  # lazy: start-up (as above)

        return Console(file=self.stream())


QUIET = Feedback(quiet=True)


def feedback_of(ctx, quiet: bool = False, verbose: bool = False) -> Feedback:
    """The feedback for a command: its own --quiet/--verbose, else the ones given before the
    command name (``her2scope --verbose cohort report ...``), kept on the root context's ``obj``."""
    root = getattr(ctx, "obj", None) if ctx is not None else None
    base = root if isinstance(root, Feedback) else Feedback()
    if quiet or verbose:
        return Feedback(quiet=quiet or base.quiet, verbose=verbose or base.verbose)
    return base


__all__ = ["QUIET", "Feedback", "feedback_of"]
