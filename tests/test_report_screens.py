"""The HTML report on a desktop and on a phone: axe-core (from npm) run in headless Chromium
finds no serious or critical accessibility violation, and at 390 px the page does not
scroll sideways (wide tables scroll inside their own focusable region instead)."""

from __future__ import annotations

import html as html_lib
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, npm_package, svqm_command
from tests.test_render import CHROMIUM_FLAGS

WIDTHS = (1280, 390)
IDS = [p.name for p in EXAMPLES]

# Runs axe on the report as it stands, then writes what it found into the page around it,
# where --dump-dom reads it. The report sits in an iframe of the width under test, because
# headless Chromium will not make its window narrower than 500 px.
RUNNER = """<script>
(async () => {
  const width = document.documentElement.scrollWidth;
  const result = await axe.run(document, {resultTypes: ["violations"]});
  const out = parent.document.createElement("pre");
  out.id = "svqm-axe";
  out.textContent = JSON.stringify({
    scrollWidth: width,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + ": " + n.failureSummary),
    })),
  });
  parent.document.body.appendChild(out);
})();
</script>"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    return npm_package("axe-core") / "axe.min.js"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("screens")
    files = {}
    for pack in EXAMPLES:
        target = out / f"{pack.name}.html"
        subprocess.run(
            [*svqm_command(), "render", str(pack), "--format", "html", "--output", str(target)],
            capture_output=True,
            timeout=300,
            check=True,
        )
        files[pack.name] = target
    return files


def _audit(chromium: str, report: Path, axe: Path, width: int, tmp_path: Path) -> dict:
    """axe-core's violations and the page's scroll width, at WIDTH pixels."""
    page = report.read_text(encoding="utf-8")
    # The report forbids scripts (its Content-Security-Policy): the copy under test allows
    # only the two this test adds.
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page, count=1)
    page = page.replace("</body>", f'<script src="{axe.as_uri()}"></script>{RUNNER}</body>', 1)
    test_page = tmp_path / f"{report.stem}-{width}.html"
    test_page.write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><title>axe</title></head>'
        f'<body style="margin:0"><iframe title="report" style="width:{width}px;height:900px;'
        f'border:0" srcdoc="{html_lib.escape(page, quote=True)}"></iframe></body></html>',
        encoding="utf-8",
    )
    dom = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / f'profile-{width}'}",
            "--allow-file-access-from-files",
            f"--window-size={max(width, 500) + 40},960",
            "--virtual-time-budget=60000",
            "--dump-dom",
            test_page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    found = re.search(r'<pre id="svqm-axe">(.*?)</pre>', dom, re.S)
    assert found, f"axe-core did not finish on {report.name} at {width} px"
    result: dict = json.loads(html_lib.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("pack", EXAMPLES, ids=IDS)
def test_axe_finds_no_serious_violation_and_phones_do_not_scroll_sideways(
    pages: dict[str, Path], chromium: str, axe_script: Path, pack: Path, tmp_path: Path
) -> None:
    for width in WIDTHS:
        result = _audit(chromium, pages[pack.name], axe_script, width, tmp_path)
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not serious, f"at {width} px:\n" + json.dumps(serious, indent=1)
        if width == 390:
            assert result["scrollWidth"] <= 390, (
                f"the page scrolls sideways on a phone: {result['scrollWidth']} px wide"
            )


def test_every_table_scrolls_in_a_named_focusable_region(pages: dict[str, Path]) -> None:
    for name, report in pages.items():
        page = report.read_text(encoding="utf-8")
        tables = page.count("<table")
        regions = re.findall(
            r'<div class="table-scroll" role="region" tabindex="0" aria-label="([^"]+)"><table',
            page,
        )
        assert tables and len(regions) == tables, name
        assert all(label.strip() for label in regions)
