"""The command line: `main()` runs the typer app and is the one boundary for usage and
environment problems (SvqmError, typer's usage errors, and what the machine does to the
command: an interrupt, a closed or full output, a terminal that cannot show a character,
a path too long): one line on stderr, exit 2 (130 for an interrupt). Problems inside a
pack are findings, decided by the core (exit 1).

The app and its commands are imported inside main(), so that even Ctrl-C while Python
loads them is caught here."""

from __future__ import annotations

import errno
import os
import sys
from typing import Any

INTERRUPTED = 130


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line and exit 2 for every usage or environment problem."""
    if sys.stdout is None or sys.stderr is None:  # started with `>&-` or `2>&-`
        _say("svqm: error: standard output or standard error is closed")
        sys.exit(2)
    try:
        code = _run(argv)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
    except KeyboardInterrupt:
        _say("svqm: interrupted")
        code = INTERRUPTED
    except BrokenPipeError:
        # The reader (say, `head`) went away: nothing is wrong with the pack.
        _silence_stdout()
        code = 0
    except UnicodeEncodeError as exc:
        _silence_stdout()
        encoding = getattr(sys.stdout, "encoding", None) or "unknown"
        char = exc.object[exc.start : exc.start + 1]
        _say(
            f"svqm: error: the output holds a character ({char!a}) "
            f"that this terminal's encoding ({encoding}) cannot show; set "
            "PYTHONIOENCODING=utf-8 or use a UTF-8 terminal"
        )
        code = 2
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EIO, errno.EBADF):
            _silence_stdout()
        where = f" '{_short(str(exc.filename))}'" if exc.filename else ""
        what = exc.strerror or type(exc).__name__
        if exc.errno == errno.ENAMETOOLONG:
            what = "the path is too long"
        _say(f"svqm: error: cannot use{where}: {what}")
        code = 2
    sys.exit(code if isinstance(code, int) else 0)


def _run(argv: list[str] | None) -> Any:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--version"]:
        # Answered before typer and the commands load (a third of a second on a busy
        # machine), as typer's eager --version would: with any arguments after it.
        from svqm_cli import __version__

        sys.stdout.write(f"svqm {__version__}\n")
        return 0
    import typer

    from svqm_cli.base.errors import SvqmError
    from svqm_cli.cli import coerce

    coerce.install()  # plain option values without pydantic (a third of a small validate)

    # Importing the command modules registers their commands, in the order --help lists
    # them.
    # isort: off
    from svqm_cli.cli import pipeline  # noqa: F401
    from svqm_cli.cli import authoring  # noqa: F401

    # isort: on
    from svqm_cli.cli.app import app

    command = typer.main.get_command(app)
    try:
        return command.main(args=argv, prog_name="svqm", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:  # typer's own Ctrl-C
        _say("svqm: interrupted")
        return INTERRUPTED
    except typer.TyperException as exc:  # typer's usage errors (its vendored click's)
        return _usage_error(exc)
    except SvqmError as exc:
        _say(f"svqm: error: {exc}")
        return exc.exit_code


def _say(line: str) -> None:
    """One line on stderr, whatever its encoding, and never a second error while saying it."""
    stream = sys.stderr
    if stream is None:
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    text = line.encode(encoding, "backslashreplace").decode(encoding, "replace")
    try:
        stream.write(text + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def _short(path: str) -> str:
    return path if len(path) <= 100 else f"{path[:60]}...{path[-30:]}"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _usage_error(exc: Exception) -> int:
    import typer

    ctx = getattr(exc, "ctx", None)
    if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
        typer.echo(ctx.get_help())
        return 2
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = message.replace("Value error, ", "")
    where = f"svqm {ctx.info_name}" if ctx is not None and ctx.parent is not None else "svqm"
    _say(f"svqm: error: {message} (see '{where} --help')")
    code = getattr(exc, "exit_code", 2)
    return code if isinstance(code, int) and code else 2
