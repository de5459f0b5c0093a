"""The one place that sets up a rich Console writing into a string."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


def string_console(color: bool, width: int, soft_wrap: bool = False) -> tuple[Console, io.StringIO]:
    """A Console that writes to a buffer: colour only when asked, never emoji or guesses
    at highlighting, so user text comes out as written."""
    from rich.console import Console  # here: `--format json` never loads rich (55 ms)

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width,
        highlight=False,
        soft_wrap=soft_wrap,
        emoji=False,
    )
    return console, buffer
