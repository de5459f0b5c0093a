"""The command line: `main()` runs the typer app and is the one boundary for usage and
environment problems (SvqmError and typer's usage errors): one line on stderr, exit 2.
Problems inside a pack are findings, decided by the core (exit 1)."""

from __future__ import annotations

import os
import sys

import typer

from svqm_cli.base.errors import SvqmError

# Importing the command modules registers their commands, in the order --help lists them.
# isort: off
from svqm_cli.cli import pipeline  # noqa: F401
from svqm_cli.cli import authoring  # noqa: F401

# isort: on
from svqm_cli.cli.app import app


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line and exit 2 for every usage or environment problem."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="svqm", standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        typer.echo("svqm: aborted", err=True)
        code = 130
    except typer.TyperException as exc:  # typer's usage errors (its vendored click's)
        code = _usage_error(exc)
    except SvqmError as exc:
        typer.echo(f"svqm: error: {exc}", err=True)
        code = exc.exit_code
    except BrokenPipeError:
        # The reader (say, `head`) went away: nothing is wrong with the pack.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 0
    sys.exit(code if isinstance(code, int) else 0)


def _usage_error(exc: Exception) -> int:
    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        typer.echo(ctx.get_help())
        return 2
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = message.replace("Value error, ", "")
    where = f"svqm {ctx.info_name}" if ctx is not None and ctx.parent is not None else "svqm"
    typer.echo(f"svqm: error: {message} (see '{where} --help')", err=True)
    code = getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) and code else 2
