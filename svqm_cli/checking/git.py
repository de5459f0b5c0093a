"""Running git on the user's behalf: a ref from the command line is checked, and turned
into a commit id, before git sees it anywhere else, so that a "ref" such as
`--output=FILE` or `--cached` can never act as one of git's own options."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from svqm_cli.base.errors import UsageError

_COMMIT = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def run_git(cwd: Path, *args: str, what: str = "git") -> bytes:
    """git's output, or UsageError with git's last line of complaint (WHAT names the
    svqm option or command that needed git)."""
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"{what} needs git: {exc}") from exc
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines() or ["git failed"]
        raise UsageError(f"{what}: {reason[-1]}")
    return result.stdout


def commit_of(cwd: Path, ref: str, what: str) -> str:
    """The commit id REF names in the repository at CWD, or UsageError (one line)."""
    if not ref or ref.startswith("-") or any(c in ref for c in "\x00\n\r"):
        raise UsageError(
            f"{what}: '{ref}' is not a git ref (it looks like an option); name a branch, "
            "a tag or a commit, such as origin/main"
        )
    try:
        out = run_git(
            cwd, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
    except UsageError as exc:
        raise UsageError(
            f"{what}: '{ref}' is not a commit of the git repository at '{cwd}' "
            "(fetch it first, or check its spelling)"
        ) from exc
    commit = out.decode(errors="replace").strip()
    if not _COMMIT.fullmatch(commit):
        raise UsageError(f"{what}: '{ref}' does not name one commit")
    return commit
