"""Writing files whole or not at all (an I/O edge shared by the CLI and the API)."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

PRIVATE = 0o600  # plans and scenarios hold parties' names: readable by the owner only


def _named(e: OSError, path: str | Path) -> OSError:
    """The same error, naming the target the caller asked for (never a temporary file)."""
    return OSError(e.errno, e.strerror or str(e), str(path))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_atomic(path: str | Path, text: str | bytes, *, mode: int | None = None) -> None:
    """Write `text` (UTF-8; bytes as they are: a workbook, a zip) to `path` whole or not at
    all: a temporary file in the same folder, flushed to disk, then renamed over the target.

    - A new file gets `mode`, by default 0600 (owner only); a replaced file keeps its mode unless
      `mode` is given. The process umask is neither read nor changed (that is not thread-safe).
    - A symlink is followed: the file it points to is replaced, the link stays.
    - A character device or FIFO (`/dev/null`, `/dev/full`, a pipe) is written through, never
      renamed over; a directory or any other non-regular file is refused.
    - Errors are `OSError`s naming `path`, never the temporary file, which is removed on any
      error or interrupt. The temporary file is named `.<name>.<random>.tmp`: only a write killed
      outright (SIGKILL, power loss) leaves one behind, so a reader listing the folder should
      skip names that start with "." (they also end in ".tmp").
    - `-` is refused: standard output is the caller's business, not a file name.
    """
    if str(path) == "-":
        raise ValueError("'-' is not a file name: write to standard output instead of calling "
                         "write_atomic")
    # before touching the disk: unencodable text leaves nothing
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    _write(path, (data,), mode)


def write_chunks_atomic(path: str | Path, chunks: Iterable[str], *,
                        mode: int | None = None) -> None:
    """`write_atomic` of the text `"".join(chunks)`, each chunk encoded and written as it comes:
    a large plan is never held whole (`Plan.json_chunks`). The same guarantees, except that
    text found unencodable part-way leaves a character device or pipe written up to there (a
    regular file is still replaced whole or not at all)."""
    if str(path) == "-":
        raise ValueError("'-' is not a file name: write to standard output instead of calling "
                         "write_chunks_atomic")
    _write(path, (chunk.encode("utf-8") for chunk in chunks), mode)


def _write(path: str | Path, data: Iterable[bytes], mode: int | None) -> None:
    target, st = _resolve(path)
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(target, st, path, data)
        return
    if mode is None:
        mode = stat.S_IMODE(st.st_mode) if st is not None else PRIVATE
    _replace(target, path, data, mode)


def _resolve(path: str | Path) -> tuple[Path, os.stat_result | None]:
    """The real target (symlinks followed, also a dangling one) and its status, if it exists."""
    try:
        target = Path(path).resolve()
    except RuntimeError:  # symlink loop (Python 3.11; later versions raise OSError)
        raise OSError(errno.ELOOP, "Too many levels of symbolic links", str(path)) from None
    except OSError as e:
        raise _named(e, path) from None
    try:
        return target, os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as e:
        raise _named(e, path) from None


def _write_through(target: Path, st: os.stat_result, path: str | Path,
                   data: Iterable[bytes]) -> None:
    """A character device or a pipe is written, never renamed over; anything else refused."""
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        raise OSError(errno.EINVAL, "Not a regular file, a character device or a pipe", str(path))
    try:
        fd = os.open(target, os.O_WRONLY | os.O_NOCTTY)
        try:
            for part in data:
                _write_all(fd, part)
        finally:
            os.close(fd)
    except OSError as e:
        raise _named(e, path) from None


def _replace(target: Path, path: str | Path, data: Iterable[bytes], mode: int) -> None:
    """Temporary file in the same folder, flushed, renamed over the target."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise _named(e, path) from None
    try:
        try:
            os.fchmod(fd, mode)  # mkstemp made it 0600
            for part in data:
                _write_all(fd, part)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise _named(e, path) from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable, where the OS allows
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
