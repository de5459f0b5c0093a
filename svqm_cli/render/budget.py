"""A memory budget for a user's `--template-dir` templates.

The sandbox stops a template reaching anything but the report's context, but not from
building a huge string (`{{ "x" * 10**10 }}`, a `~` doubled in a loop, a filter asked for a
width of ten billion). Instead of guarding each of those one by one, svqm caps the address
space the process may grow by while the user's template runs: an allocation beyond it fails
at once with MemoryError, which the writer reports in one line (exit 2), and the cap is
lifted again as soon as the template is done.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

TEMPLATE_MEMORY = 1024 * 1024 * 1024  # bytes a user's template may add to the process


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def memory_budget(extra: int = TEMPLATE_MEMORY) -> Iterator[None]:
    """Within the block, the process may grow by about EXTRA bytes (where the platform
    allows a limit to be set; elsewhere the block runs unbounded)."""
    try:
        import resource
    except ImportError:  # not on this platform
        yield
        return
    used = _address_space()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = None if used is None else used + extra
    if hard != resource.RLIM_INFINITY and limit is not None:
        limit = min(limit, hard)
    if limit is None or (soft != resource.RLIM_INFINITY and soft <= limit):
        yield  # unknown size, or a stricter limit is already set
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
