"""Issue 15, escape: nothing outside what the user named is read or written.

The safe output writer (base/writing.py), git refs checked before git sees them, render
reading .git only as small regular files inside the .git folder, and fmt/new never reading
or writing a document that links outside the pack."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from svqm_cli.base.errors import OutputError
from svqm_cli.base.writing import write_output
from svqm_cli.render.provenance import git_commit
from tests.conftest import MINIMAL_PACK, Run, write_pack
from tests.test_diff import git

BROKEN = {**MINIMAL_PACK, "pledges.yaml": "kind: pledges\npledges:\n  - id: Bad Id\n"}


def _one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("svqm: error: ")


# --- the output writer ----------------------------------------------------------------------


def test_rewrite_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "private.json"
    target.write_text("old")
    target.chmod(0o600)
    write_output(target, "new", within=tmp_path)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_link_inside_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("old")
    (tmp_path / "link.txt").symlink_to("real.txt")
    write_output(tmp_path / "link.txt", "new", within=tmp_path)
    assert (tmp_path / "link.txt").is_symlink()
    assert (tmp_path / "real.txt").read_text() == "new"


def test_a_link_to_outside_is_never_replaced(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "link.txt").symlink_to(outside)
    with pytest.raises(OutputError, match="outside"):
        write_output(inner / "link.txt", "new", within=inner)
    assert outside.read_text() == "keep"
    assert (inner / "link.txt").is_symlink()


def _full_device(tmp_path: Path) -> Path:
    """A twin of /dev/full in TMP_PATH (a writer that wrongly replaced it would replace only
    the twin, never the system's device)."""
    twin = tmp_path / "full"
    try:
        os.mknod(twin, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except (OSError, AttributeError):
        pytest.skip("cannot make a character device here (needs root)")
    return twin


def _stdout_link(tmp_path: Path) -> Path:
    """What /dev/stdout is on Linux: a link to the process's standard output."""
    if not os.path.exists("/proc/self/fd/1"):
        pytest.skip("no /proc/self/fd here")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    return link


def test_a_full_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    device = _full_device(tmp_path)
    before = os.stat(device)
    with pytest.raises(OutputError, match="No space left"):
        write_output(device, "x")
    after = os.lstat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_pipe_nobody_reads_is_an_error_not_a_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    try:
        os.mkfifo(fifo)
    except (OSError, AttributeError):
        pytest.skip("cannot make a FIFO here")
    with pytest.raises(OutputError, match="nothing is reading"):
        write_output(fifo, "x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="folder"):
        write_output(tmp_path, "x")


def test_validate_output_dev_stdout_streams(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    stdout = _stdout_link(tmp_path)
    result = run("validate", pack, "--format", "json", "--output", stdout, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"valid": true' in result.stdout
    assert stdout.is_symlink()


def test_render_output_dev_stdout_streams(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    stdout = _stdout_link(tmp_path)
    result = run("render", pack, "--format", "md", "--output", stdout, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Test Organisation" in result.stdout
    assert stdout.is_symlink()


def test_validate_output_into_a_full_device_is_one_line(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    device = _full_device(tmp_path)
    _one_line_error(run("validate", pack, "--format", "json", "--output", device))
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_validate_output_through_a_link_out_is_refused(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    outside = tmp_path / "outside.json"
    outside.write_text("keep")
    work = tmp_path / "work"
    work.mkdir()
    (work / "out.json").symlink_to(outside)
    result = run("validate", pack, "--format", "json", "--output", "out.json", cwd=work)
    _one_line_error(result)
    assert outside.read_text() == "keep"


def test_default_output_folder_linked_out_is_refused(run: Run, tmp_path: Path) -> None:
    """svqm-report/ planted as a link to elsewhere does not carry the default report
    there; a link inside the current folder is followed as before."""
    pack = write_pack(tmp_path / "pack", MINIMAL_PACK)
    outside = tmp_path / "outside"
    outside.mkdir()
    work = tmp_path / "work"
    work.mkdir()
    (work / "svqm-report").symlink_to(outside)
    for command in (["render", pack, "--format", "md"], ["export", pack]):
        result = run(*command, cwd=work)
        _one_line_error(result)
        assert "outside the current folder" in result.stderr
    assert list(outside.iterdir()) == []
    (work / "svqm-report").unlink()
    (work / "reports").mkdir()
    (work / "svqm-report").symlink_to(work / "reports")
    assert run("render", pack, "--format", "md", cwd=work).returncode == 0
    assert (work / "reports" / "report.md").is_file()


# --- git refs -------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = write_pack(tmp_path / "repo", BROKEN)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_changed_since_an_option_cannot_make_git_write(run: Run, repo: Path) -> None:
    victim = repo.parent / "written-by-git"
    result = run("validate", repo, f"--changed-since=--output={victim}")
    _one_line_error(result)
    assert "looks like an option" in result.stderr
    assert not victim.exists()


def test_changed_since_cached_does_not_hide_every_finding(run: Run, repo: Path) -> None:
    result = run("validate", repo, "--changed-since=--cached")
    _one_line_error(result)


def test_changed_since_an_unknown_ref_is_one_line(run: Run, repo: Path) -> None:
    _one_line_error(run("validate", repo, "--changed-since", "no-such-branch"))
    ok = run("validate", repo, "--changed-since", "main")
    assert ok.returncode == 0, ok.stdout + ok.stderr  # nothing changed since main


def test_diff_refs_that_look_like_options_are_refused(run: Run, repo: Path) -> None:
    victim = repo.parent / "archive.tar"
    for ref in (f"--output={victim}", "--cached", "-h"):
        _one_line_error(run("diff", "--", ref, "main", repo))
        assert not victim.exists()


def test_diff_with_a_committed_link_out_of_the_pack(run: Run, repo: Path) -> None:
    (repo / "leak.yaml").symlink_to("/etc/passwd")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "a link out")
    result = run("diff", "HEAD~1", "HEAD", repo)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


# --- render and .git ------------------------------------------------------------------------


def _fake_git(root: Path, head: str | None = None) -> Path:
    git_dir = root / ".git"
    (git_dir / "refs" / "heads").mkdir(parents=True)
    if head is not None:
        (git_dir / "HEAD").write_text(head)
    return git_dir


def test_git_head_linked_to_a_file_outside_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("0123456789abcdef0123456789abcdef01234567\n")
    root = tmp_path / "pack"
    git_dir = _fake_git(root)
    (git_dir / "HEAD").symlink_to(secret)
    assert git_commit(root) is None


def test_git_ref_climbing_out_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("0123456789abcdef0123456789abcdef01234567\n")
    root = tmp_path / "pack"
    _fake_git(root, "ref: ../../secret\n")
    assert git_commit(root) is None


def test_git_head_that_is_not_a_commit_is_not_shown(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    _fake_git(root, "root:x:0:0:root:/root:/bin/bash\n")
    assert git_commit(root) is None


def test_git_commit_of_a_real_branch_is_read(tmp_path: Path) -> None:
    root = tmp_path / "pack"
    git_dir = _fake_git(root, "ref: refs/heads/main\n")
    commit = "0123456789abcdef0123456789abcdef01234567"
    (git_dir / "refs" / "heads" / "main").write_text(commit + "\n")
    assert git_commit(root) == commit
    (git_dir / "refs" / "heads" / "main").unlink()
    (git_dir / "packed-refs").write_text(f"# pack-refs\n{commit} refs/heads/main\n")
    assert git_commit(root) == commit
