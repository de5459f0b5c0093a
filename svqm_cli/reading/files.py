"""The one safe file opener for every read of a pack (documents, evidence, .git metadata).

Only regular files are read: a FIFO, a device or a socket is refused before it is opened
(checked with stat, then opened non-blocking and checked again on the open file, so a file
swapped in between is caught too). Reads are bounded: at most LIMIT bytes, in chunks, so a
`/dev/zero` look-alike or a file that grows while it is read cannot exhaust memory.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

CHUNK = 1 << 20


class Unreadable(Exception):
    """The file cannot be read safely; the message says why, in a user's words."""

    def __init__(self, reason: str, too_big: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.too_big = too_big  # the size in bytes, when the file is over the limit


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _open(path: Path | str) -> tuple[int, os.stat_result]:
    try:
        before = os.stat(path)
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from exc
    if not stat.S_ISREG(before.st_mode):
        raise Unreadable(f"it is {_kind(before.st_mode)}, not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from exc
    after = os.fstat(fd)
    if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
        before.st_dev,
        before.st_ino,
    ):
        os.close(fd)
        raise Unreadable("it changed while it was being opened")
    return fd, after


def read_regular(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file PATH, at most LIMIT of them, or Unreadable."""
    fd, info = _open(path)
    if info.st_size > limit:
        os.close(fd)
        raise Unreadable("it is too big", too_big=info.st_size)
    parts: list[bytes] = []
    total = 0
    try:
        while True:
            block = os.read(fd, min(CHUNK, limit + 1 - total))
            if not block:
                break
            parts.append(block)
            total += len(block)
            if total > limit:  # it grew while being read
                raise Unreadable("it is too big", too_big=total)
    except OSError as exc:
        raise Unreadable(exc.strerror or type(exc).__name__) from exc
    finally:
        os.close(fd)
    return b"".join(parts)


def chunks(path: Path | str) -> Iterator[bytes]:
    """The bytes of the regular file PATH in bounded chunks, up to the size it had when it
    was opened (for hashing evidence of any size); Unreadable before the first chunk."""
    fd, info = _open(path)
    left = info.st_size
    try:
        while left > 0:
            try:
                block = os.read(fd, min(CHUNK, left))
            except OSError as exc:
                raise Unreadable(exc.strerror or type(exc).__name__) from exc
            if not block:
                break
            left -= len(block)
            yield block
    finally:
        os.close(fd)
