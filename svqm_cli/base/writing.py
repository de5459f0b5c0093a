"""The one safe output writer.

A regular file (or a new one) is written atomically: a temporary file in the same folder,
then a rename, keeping the mode of the file it replaces. A character device or a named pipe
the user names (``--output /dev/stdout``) is written straight into, never replaced. A link
is written through to its target when that target stays inside WITHIN (the current folder,
or the pack); any other link, a device of another kind, a socket or a folder is refused.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from svqm_cli.base.errors import OutputError


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def write_output(path: Path, content: str | bytes, within: Path | None = None) -> None:
    """Write CONTENT to PATH safely (see the module's docstring); OutputError when it cannot.

    WITHIN (default: the current folder) is where a link's target must stay.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise OutputError(f"cannot write '{path}': {_why(exc)}") from exc
    if link is None:
        _replace(path, data, None)
        return
    try:
        target = os.stat(path)
    except OSError:
        target = None  # a dangling link
    if target is not None and (stat.S_ISCHR(target.st_mode) or stat.S_ISFIFO(target.st_mode)):
        _stream(path, data)
        return
    if stat.S_ISLNK(link.st_mode):
        real = Path(os.path.realpath(path))
        base = os.path.realpath(within if within is not None else Path.cwd())
        if os.path.commonpath([base, str(real)]) != base:
            raise OutputError(
                f"'{path}' is a link to '{real}', outside '{base}'; svqm does not write "
                "through it (name the file itself)"
            )
        if target is not None and not stat.S_ISREG(target.st_mode):
            raise OutputError(f"'{path}' links to something that is not a file")
        _replace(real, data, target)  # through the link: the link itself stays
        return
    if not stat.S_ISREG(link.st_mode):
        what = "a folder" if stat.S_ISDIR(link.st_mode) else "not a regular file"
        raise OutputError(f"cannot write '{path}': it is {what}")
    _replace(path, data, link)


def _stream(path: Path, data: bytes) -> None:
    """Write into a character device or a pipe, as it is (no temporary file, no rename)."""
    try:
        # Non-blocking open: a pipe nobody reads fails at once (ENXIO) instead of hanging.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"cannot write '{path}': nothing is reading from it") from exc
        raise OutputError(f"cannot write '{path}': {_why(exc)}") from exc
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except OSError as exc:
        raise OutputError(f"cannot write '{path}': {_why(exc)}") from exc
    finally:
        os.close(fd)


def _replace(path: Path, data: bytes, existing: os.stat_result | None) -> None:
    """Write PATH whole or not at all, with the mode of the file it replaces (or 0666 less
    the umask for a new file)."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot write in '{folder}': {_why(exc)}") from exc
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask()
    try:
        with os.fdopen(fd, "wb") as handle:  # closes the file whatever happens below
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write '{path}': {_why(exc)}") from exc


def default_folder_stays_here(folder: Path) -> None:
    """The default folder is svqm's to write in only when it is inside the current folder:
    a link planted there (a pack or a checkout can hold one) must not carry the output
    anywhere else. A place the user names with --output is theirs to choose."""
    if not folder.is_symlink():
        return
    here = os.path.realpath(".")
    real = os.path.realpath(folder)
    if os.path.commonpath([here, real]) != here:
        raise OutputError(
            f"'{folder}' is a link to '{real}', outside the current folder; svqm writes its "
            "default output only inside it: remove the link, or name a place with --output"
        )
