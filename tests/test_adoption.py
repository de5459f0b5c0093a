"""Adopting svqm on a large pack: ignore comments, a baseline, only what a change touched."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from svqm_cli.checking.suppression import ignored_codes, stable_pointer
from tests.conftest import MINIMAL_PACK, Run, write_pack

LATE = MINIMAL_PACK["pledges.yaml"].replace("2024-06-30", "2025-06-30")  # SV205 on line 8


def codes(run: Run, pack: Path, *args: str) -> list[tuple[str, str, int]]:
    data = json.loads(run("validate", pack, "--format", "json", *args).stdout)
    return [(f["code"], f["file"], f["line"]) for f in data["findings"]]


def test_ignore_comment_on_the_line_or_above(run: Run, tmp_path: Path) -> None:
    same = LATE.replace("due: 2025-06-30}", "due: 2025-06-30}  # svqm: ignore[SV205]")
    write_pack(tmp_path / "a", {**MINIMAL_PACK, "pledges.yaml": same})
    assert codes(run, tmp_path / "a") == []
    above = LATE.replace(
        "      - {measure", "      # svqm: ignore[SV204, SV205] agreed\n      - {measure"
    )
    write_pack(tmp_path / "b", {**MINIMAL_PACK, "pledges.yaml": above})
    assert codes(run, tmp_path / "b") == []
    other = LATE.replace("due: 2025-06-30}", "due: 2025-06-30}  # svqm: ignore[SV204]")
    write_pack(tmp_path / "c", {**MINIMAL_PACK, "pledges.yaml": other})
    assert codes(run, tmp_path / "c") == [("SV205", "pledges.yaml", 8)]
    text = run("validate", tmp_path / "a").stdout
    assert "1 more hidden by ignore comments" in text


def test_schema_findings_cannot_be_silenced(run: Run, tmp_path: Path) -> None:
    bad = MINIMAL_PACK["pledges.yaml"].replace("quantity: 10", "quantity: ten")
    bad = bad.replace("due: 2024-06-30}", "due: 2024-06-30}  # svqm: ignore[SV101]")
    write_pack(tmp_path, {**MINIMAL_PACK, "pledges.yaml": bad})
    assert [c for c, _, _ in codes(run, tmp_path)] == ["SV101"]


def test_baseline_hides_accepted_findings_and_reports_new_ones(run: Run, tmp_path: Path) -> None:
    pack = write_pack(tmp_path / "pack", {**MINIMAL_PACK, "pledges.yaml": LATE})
    baseline = tmp_path / "baseline.json"
    written = run("validate", pack, "--write-baseline", baseline)
    assert written.returncode == 0 and "1 finding(s) accepted" in written.stdout
    assert run("validate", pack, "--baseline", baseline).returncode == 0
    # A new pledge above the accepted one: the old finding stays hidden (ids, not positions),
    # the new pledge's own problem is reported.
    new_first = (
        "kind: pledges\npledges:\n  - id: new-one\n    theme: economic\n"
        "    title: New\n    commitment: New.\n    targets:\n"
        "      - {measure: m, quantity: 1, unit: u, due: 2026-01-01}\n"
    )
    (pack / "pledges.yaml").write_text(new_first + LATE.split("pledges:\n", 1)[1])
    result = codes(run, pack, "--baseline", str(baseline))
    assert result == [("SV205", "pledges.yaml", 8)]
    assert run("validate", pack, "--baseline", tmp_path / "missing.json").returncode == 2


def test_stable_pointer_uses_ids() -> None:
    data = {"pledges": [{"id": "a"}, {"id": "b", "targets": [{"due": 1}]}]}
    assert stable_pointer(data, "/pledges/1/targets/0/due") == "/pledges/[b]/targets/0/due"
    assert ignored_codes("x: 1  # svqm: ignore[sv204, SV401]") == {"SV204", "SV401"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
            "PATH": "/usr/bin:/bin:/usr/local/bin",
            "HOME": str(repo),
        },
    )


def test_changed_since_reports_only_changed_files(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    pack = write_pack(repo / "packs" / "trust", {**MINIMAL_PACK, "pledges.yaml": LATE})
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    (pack / "more.yaml").write_text(LATE.replace("local-jobs", "more-jobs"))
    assert [f for _, f, _ in codes(run, pack, "--changed-since", "main")] == ["more.yaml"]
    assert len(codes(run, pack)) == 2
    bad_ref = run("validate", pack, "--changed-since", "no-such-ref")
    assert bad_ref.returncode == 2 and bad_ref.stderr.startswith("svqm: error: --changed-since")
    outside = run(
        "validate", write_pack(tmp_path / "plain", MINIMAL_PACK), "--changed-since", "main"
    )
    assert outside.returncode == 2
