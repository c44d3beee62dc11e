"""Open an output target named on the command line (``-o``) the way a shell ``>`` would, safely.

Every writer of a user-named output goes through :func:`open_output`, which picks one of two ways:

- **Atomic** for a regular file or a path that does not exist yet: the text goes to a hidden
  temporary file in the same directory, which is flushed, fsynced and renamed over the target
  (``os.replace``). A crash or an error half-way leaves the old file (or nothing) and no temporary
  file: never half a report. A replaced file keeps its permission bits.
- **Direct** for anything else that can be written: character or block devices (``/dev/null``,
  ``/dev/stdout``), FIFOs (``mkfifo``, ``>(...)``) and ``-`` or ``None`` (standard output). These
  are written in place, streaming. Renaming a file over them would destroy them: as root,
  ``-o /dev/null`` used to replace the null device with a regular file for every user.

Symbolic links are resolved first, so ``-o LINK`` writes through the link to its target (as ``>``
does), atomically when that target is a regular file or a new path; the link itself is kept.

Commands wrap opening and writing in :func:`writing`, which turns an ``OSError`` into an
:class:`~her2scope.errors.OutputError` naming the target as the user gave it; the command line
prints ``her2scope: cannot write TARGET: reason`` and exits 2, never a traceback.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import IO

from ..errors import OutputError

STDOUT = "-"


class OutputFile:
    """An opened output: use as a context manager; the stream is committed only on success.

    Opening happens in the constructor, so a caller can tell "cannot open" (a usage problem such as
    a missing directory or a directory given as the file) from a failure while writing."""

    def __init__(self, target: str | os.PathLike | None, *, binary: bool = False) -> None:
        self.target = target
        self._binary = binary
        self._tmp: str | None = None          # the temporary file's path, on the atomic branch only
        self._final: str | None = None        # the regular file (or new path) it will replace
        self._own_stream = True               # False for stdout: flushed, never closed
        if target is None or os.fspath(target) == STDOUT:
            self.stream = self._stdout()
        else:
            self.stream = self._open(os.fspath(target))

    def _stdout(self) -> IO:
        self._own_stream = False
        sys.stdout.flush()
        return sys.stdout.buffer if self._binary else sys.stdout

    def _open(self, target: str) -> IO:
        real = os.path.realpath(target)       # write through symlinks, never replace the link
        try:
            st = os.stat(real)
        except FileNotFoundError:
            st = None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "Is a directory", target)
        if st is not None and not stat.S_ISREG(st.st_mode):
            return self._open_direct(real)     # device, FIFO, socket: write in place
        return self._open_atomic(real, st)

    def _open_direct(self, path: str) -> IO:
        if self._binary:
            return open(path, "wb")
        return open(path, "w", encoding="utf-8", newline="\n")

    def _open_atomic(self, path: str, existing: os.stat_result | None) -> IO:
        directory, name = os.path.split(path)
        # O_EXCL with a random part: two runs writing the same target never share a temporary file;
        # mode 0o666 lets the umask decide, as for any new file.
        while True:
            tmp = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.partial")
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
                break
            except FileExistsError:
                continue
        try:
            if existing is not None:
                os.fchmod(fd, stat.S_IMODE(existing.st_mode))
            stream = (os.fdopen(fd, "wb") if self._binary
                      else os.fdopen(fd, "w", encoding="utf-8", newline="\n"))
        except BaseException:
            os.close(fd)
            os.unlink(tmp)
            raise
        self._tmp, self._final = tmp, path
        return stream

    def commit(self) -> None:
        """Finish the output: flush; on the atomic branch fsync and rename over the target."""
        if not self._own_stream:
            self.stream.flush()
            return
        if self._tmp is None or self._final is None:   # set together: both or neither
            self.stream.close()
            return
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.replace(self._tmp, self._final)
        except BaseException:
            self.discard()
            raise
        self._tmp = None
        _fsync_directory(os.path.dirname(self._final) or ".")

    def discard(self) -> None:
        """Abandon the output: the temporary file is removed, an existing target left as it was."""
        if not self._own_stream:
            return
        try:
            self.stream.close()
        except OSError:
            pass
        if self._tmp is not None:
            try:
                os.unlink(self._tmp)
            except FileNotFoundError:
                pass
            self._tmp = None

    def __enter__(self) -> IO:
        return self.stream

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()


def open_output(target: str | os.PathLike | None, *, binary: bool = False) -> OutputFile:
    """Open ``target`` (a path, ``-`` or None for stdout) for writing; see the module docstring.

    Raises OSError at once when the target cannot be opened (missing directory, a directory,
    no permission)."""
    return OutputFile(target, binary=binary)


def write_output(target: str | os.PathLike | None, data: str | bytes) -> None:
    """Write a whole text or bytes value to ``target`` through :func:`open_output`."""
    with open_output(target, binary=isinstance(data, bytes)) as fh:
        fh.write(data)


def make_folder(folder: str | os.PathLike) -> None:
    """``mkdir -p folder`` for an output; a file in the way is reported as "Not a directory"
    rather than mkdir's misleading "File exists"."""
    try:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError as exc:
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), exc.filename) from None


@contextmanager
def writing(target: str | os.PathLike | None) -> Iterator[None]:
    """Run the opening and writing of ``target`` (``None`` or ``-`` = standard output); an OSError
    inside (a directory, a folder that cannot be made, no permission, a full disk, a closed pipe)
    becomes an OutputError naming ``target``. Only output code belongs inside: readers turn their
    own OSErrors into input errors before they get here."""
    try:
        yield
    except OSError as exc:
        name = "standard output" if target is None or os.fspath(target) == STDOUT else os.fspath(target)
        raise OutputError(name, exc.strerror or str(exc)) from exc


def _fsync_directory(directory: str) -> None:
    """Make the rename itself durable; best effort (not every file system allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


__all__ = ["STDOUT", "OutputFile", "make_folder", "open_output", "write_output", "writing"]
