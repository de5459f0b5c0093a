"""The typer app and what every command shares: the PACK argument, level and id parsing,
--format choices from a registry, colour and the progress line."""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Optional

import typer

from svqm_cli import __version__
from svqm_cli.base.errors import UsageError
from svqm_cli.base.vocabulary import LEVEL_HELP, parse_level

PackArgument = Annotated[Path, typer.Argument(help="The pack folder (holding svqm.yaml).")]

app = typer.Typer(
    name="svqm",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def level_option(value: Optional[str]) -> Optional[int]:  # noqa: UP045 (typer needs Optional)
    """--level as 1..4, or a usage error that says what is allowed."""
    if value is None:
        return None
    level = parse_level(value)
    if level is None:
        raise typer.BadParameter(f"'{value}' is not a level; use {LEVEL_HELP}")
    return level


MAX_ID_LENGTH = 80  # as schemas/common.json's id


def check_id(ident: str, example: str) -> None:
    """--id is a slug, as every id in a pack (spec §1)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", ident):
        raise UsageError(
            f"--id must be lower-case letters, digits and dashes, for example '{example}'"
        )
    if len(ident) > MAX_ID_LENGTH:
        raise UsageError(f"--id is {len(ident)} characters long; an id has at most {MAX_ID_LENGTH}")


def use_color(stream: object) -> bool:
    """Colour on a terminal, unless NO_COLOR; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextlib.contextmanager
def progress() -> Iterator[Callable[[str], None]]:
    """A rich status line on a terminal (stderr) that follows each step; silent otherwise."""
    if not use_color(sys.stderr):
        yield lambda _text: None
        return
    from rich.console import Console

    with Console(stderr=True).status("Starting") as status:
        yield lambda text: status.update(f"{text}...")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"svqm {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Build and validate Social Value Quality Mark (SVQM) evidence packs.

    Examples:

      svqm init my-pack --level 1

      svqm validate my-pack

      svqm validate my-pack --format json
    """
