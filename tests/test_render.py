"""`svqm render`: every example in every format, checked the way a person would look."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, INVALID, MINIMAL_PACK, ROOT, Run, render_file, write_pack

FORMATS = ("html", "md", "pdf", "docx")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def example(level: int) -> Path:
    return next(p for p in EXAMPLES if p.name.startswith(f"level-{level}-"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every example in every format, rendered once for the module."""
    out = tmp_path_factory.mktemp("reports")
    files = {}
    for pack in EXAMPLES:
        for fmt in FORMATS:
            target = out / f"{pack.name}.{fmt}"
            result = render_file(pack, fmt, target)
            assert result.stdout.strip() == f"Written: {target}"
            assert result.stderr == ""  # no progress display when not on a terminal
            files[(pack.name, fmt)] = target
    return files


@pytest.mark.parametrize("pack", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_html_is_self_contained(rendered: dict[tuple[str, str], Path], pack: Path) -> None:
    html = rendered[(pack.name, "html")].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "url(" not in html
    assert "default-src 'none'" in html
    assert 'Page " counter(page) " of " counter(pages)' in html
    level = int(pack.name.split("-")[1])
    assert f"Level {level} (" in html


def test_reports_show_what_an_assessor_checks(rendered: dict[tuple[str, str], Path]) -> None:
    html = rendered[(example(3).name, "html")].read_text(encoding="utf-8")
    for text in (
        "Executive summary",
        "Pledges",
        "Stakeholders and how they were engaged",
        "Financial proxy and source",
        "Deadweight / displacement / attribution / drop-off",
        "£1.47 : £1",
        "£597,335.29",
        "Sensitivity",
        "Forecast against actual",
        "Evidence index",
        "SHA-256",
        "Methodology",
        "Made with svqm",
        "3. Good health and well-being",
        "<svg",
    ):
        assert text in html, text
    level4 = rendered[(example(4).name, "html")].read_text(encoding="utf-8")
    for text in (
        "Organisation-wide framework",
        "The nine SVQM standards",
        "Coverage of services",
        "Local Multiplier 3",
        "From patient to mealtime volunteer",
    ):
        assert text in level4, text
    level1 = rendered[(example(1).name, "html")].read_text(encoding="utf-8")
    assert "SVQM Health Award" in level1 and "Legacy statement" in level1
    assert "Outcomes and valuation" not in level1


def test_evidence_hashes_are_real(rendered: dict[tuple[str, str], Path]) -> None:
    import hashlib

    md = rendered[(example(3).name, "md")].read_text(encoding="utf-8")
    path = example(3) / "evidence" / "housing" / "tenancy-audit.md"
    assert hashlib.sha256(path.read_bytes()).hexdigest() in md


def test_markdown_tables(rendered: dict[tuple[str, str], Path]) -> None:
    md = rendered[(example(2).name, "md")].read_text(encoding="utf-8")
    assert md.startswith("# Social value forecast: Luton Sexual Health")
    assert "| Inputs | Present value | Net present value | SROI ratio | Payback |" in md
    assert "£2.16 : £1" in md


def test_pdf_pages_and_text(
    rendered: dict[tuple[str, str], Path], poppler: tuple[str, str], tmp_path: Path
) -> None:
    pdftoppm, pdftotext = poppler
    pdf = rendered[(example(3).name, "pdf")]
    subprocess.run(
        [pdftoppm, "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5
    assert all(p.stat().st_size > 2000 for p in pages)  # none blank
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for needle in (
        "Social value report",
        "Riverside Mental Health",
        "£1.47 : £1",
        f"Page 1 of {len(pages)}",
        "Evidence index",
    ):
        assert needle in text, needle


@pytest.mark.parametrize("pack", EXAMPLES, ids=lambda p: p.name)
def test_every_example_pdf_turns_into_pages(
    rendered: dict[tuple[str, str], Path], poppler: tuple[str, str], tmp_path: Path, pack: Path
) -> None:
    """Each example's PDF as PNG pages (as a reader would see them): none blank, each
    with its page footer."""
    pdftoppm, pdftotext = poppler
    pdf = rendered[(pack.name, "pdf")]
    subprocess.run(
        [pdftoppm, "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=300
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)
    text = subprocess.run(
        [pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(f"Page {n} of {len(pages)}" in text for n in range(1, len(pages) + 1))


def test_word_document_reopens_with_tables(rendered: dict[tuple[str, str], Path]) -> None:
    from docx import Document

    doc = Document(str(rendered[(example(3).name, "docx")]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Executive summary" in headings and "Evidence index" in headings
    tables = [[c.text for c in t.rows[0].cells] for t in doc.tables]
    assert ["Change", "SROI ratio", "Break-even (1:1)"] in tables
    outcome_table = next(
        t
        for t in doc.tables
        if [c.text for c in t.rows[0].cells][:4:3] == ["Outcome", "Financial proxy and source"]
    )
    assert outcome_table.rows[1].cells[-1].text == "£319,565"  # a forecast: whole pounds
    assert len(doc.inline_shapes) >= 2  # the charts, as pictures
    assert doc.core_properties.title.startswith("Social value report")


def test_html_in_headless_chromium(
    rendered: dict[tuple[str, str], Path], chromium: str, tmp_path: Path
) -> None:
    """Served on loopback: the page makes exactly one request (itself), runs no script, and
    gives a real screenshot."""
    report = rendered[(example(3).name, "html")]
    requests: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(report.parent), **kwargs)

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            requests.append(self.path)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{report.name}"
    try:
        shot = tmp_path / "shot.png"
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp_path / 'p1'}",
                "--window-size=1200,1600",
                f"--screenshot={shot}",
                url,
            ],
            capture_output=True,
            timeout=120,
            check=True,
        )
        dom = subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'p2'}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
    finally:
        server.shutdown()
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 30_000
    assert "<script" not in dom.lower() and "Social value report" in dom
    # One request a browser run (screenshot, then DOM): the page itself, nothing else.
    assert requests == [f"/{report.name}", f"/{report.name}"], requests


def test_render_is_byte_identical(run: Run, tmp_path: Path) -> None:
    for fmt in FORMATS:
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        run("render", example(4), "--format", fmt, "--output", first)
        run("render", example(4), "--format", fmt, "--output", second)
        assert first.read_bytes() == second.read_bytes(), fmt


def test_source_date_epoch_sets_the_date(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    run(
        "render",
        example(1),
        "--format",
        "md",
        "--output",
        out,
        env={"SOURCE_DATE_EPOCH": "1700000000"},
    )
    assert "| Report date | 14 November 2023 |" in out.read_text()


def test_invalid_pack_is_not_rendered_without_draft(run: Run, tmp_path: Path) -> None:
    case = next(p for p in INVALID if p.name.startswith("sv101"))
    out = tmp_path / "r.html"
    result = run("render", case, "--output", out)
    assert result.returncode == 1 and "SV101" in result.stdout and not out.exists()
    assert "--draft" in result.stderr


@pytest.mark.parametrize("fmt", FORMATS)
def test_draft_marks_every_page(
    run: Run, tmp_path: Path, fmt: str, poppler: tuple[str, str]
) -> None:
    case = next(p for p in INVALID if p.name.startswith("sv101"))
    out = tmp_path / f"r.{fmt}"
    result = run("render", case, "--format", fmt, "--output", out, "--draft")
    assert result.returncode == 0 and result.stdout.startswith("Draft written")
    if fmt in ("html", "md"):
        text = out.read_text(encoding="utf-8")
        assert "DRAFT" in text and "SV101" in text
    elif fmt == "pdf":
        text = subprocess.run(
            [poppler[1], str(out), "-"], capture_output=True, text=True, check=True
        ).stdout
        pages = text.split("\f")[:-1]
        assert pages and all("DRAFT" in page for page in pages)
        assert "SV101" in text
    else:
        from docx import Document

        doc = Document(str(out))
        assert doc.sections[0].header.paragraphs[0].text.startswith("DRAFT")
        assert any(t.rows[1].cells[0].text == "SV101" for t in doc.tables if len(t.rows) > 1)


HOSTILE = "<script>alert(1)</script> & [click](http://x) | **bold**"


@pytest.mark.parametrize("fmt", ["html", "md", "docx"])
def test_user_text_is_escaped(run: Run, tmp_path: Path, fmt: str) -> None:
    files = dict(MINIMAL_PACK)
    files["svqm.yaml"] = files["svqm.yaml"].replace("Test Organisation", json.dumps(HOSTILE))
    files["pledges.yaml"] = files["pledges.yaml"].replace("Hire locally.", json.dumps(HOSTILE))
    pack = write_pack(tmp_path / "pack", files)
    out = tmp_path / f"r.{fmt}"
    result = run("render", pack, "--format", fmt, "--output", out)
    assert result.returncode == 0, result.stdout + result.stderr
    if fmt == "html":
        html = out.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    elif fmt == "md":
        md = out.read_text(encoding="utf-8")
        assert "<script>" not in md and "\\<script\\>" in md and "\\[click\\]" in md
        assert "\\*\\*bold\\*\\*" in md and "\\|" in md
    else:
        from docx import Document

        texts = [p.text for p in Document(str(out)).paragraphs]
        assert HOSTILE in texts


def test_output_folder_and_default(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    assert run("render", example(1), "--format", "md", "--output", folder).returncode == 0
    assert (folder / "report.md").is_file()
    work = tmp_path / "work"
    work.mkdir()
    assert run("render", example(1), "--format", "md", cwd=work).returncode == 0
    assert (work / "svqm-report" / "report.md").is_file()
    assert not list(folder.glob(".*tmp"))  # the temporary file was renamed
    bad = run("render", example(1), "--format", "pdf", "--output", tmp_path / "x.html")
    assert bad.returncode == 2 and "does not end in .pdf" in bad.stderr


@pytest.mark.parametrize("exists", [True, False])
def test_output_folder_with_a_trailing_slash(run: Run, tmp_path: Path, exists: bool) -> None:
    """`--output reports/` (as the Action, the README and --help write it) names a folder,
    whether or not it exists yet; the slash must survive the command line."""
    if exists:
        (tmp_path / "reports").mkdir()
    result = run("render", example(1), "--format", "md", "--output", "reports/", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reports" / "report.md").is_file()
    nested = run("render", example(1), "--output", "a/b/", cwd=tmp_path)
    assert nested.returncode == 0 and (tmp_path / "a" / "b" / "report.html").is_file()
    no_slash = run("render", example(1), "--format", "md", "--output", "new-folder", cwd=tmp_path)
    assert no_slash.returncode == 2 and "folder ending in '/'" in no_slash.stderr


def test_template_dir_overrides_and_is_sandboxed(run: Run, tmp_path: Path) -> None:
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "_summary.html.j2").write_text(
        '<section id="summary"><h2>Our summary</h2><p>{{ organisation.name }}</p></section>'
    )
    out = tmp_path / "r.html"
    assert run("render", example(1), "--output", out, "--template-dir", mine).returncode == 0
    assert "<h2>Our summary</h2>" in out.read_text()
    (mine / "_summary.html.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}")
    result = run("render", example(1), "--output", tmp_path / "s.html", "--template-dir", mine)
    assert result.returncode == 2 and "template failed" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run("render", example(1), "--template-dir", tmp_path / "nope")
    assert missing.returncode == 2


def test_case_study_markdown_becomes_safe_html() -> None:
    from svqm_cli.render.writers import markdown_html

    html = str(markdown_html("A **long** stay, *Pat* <b>x</b>\n\n- one\n- two\n\nsnake_case"))
    assert html == (
        "<p>A <strong>long</strong> stay, <em>Pat</em> &lt;b&gt;x&lt;/b&gt;</p>"
        "<ul><li>one</li><li>two</li></ul><p>snake_case</p>"
    )


def test_template_dir_cannot_read_outside_through_a_link(run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    mine = tmp_path / "templates"
    mine.mkdir()
    (mine / "_summary.html.j2").write_text('{% include "leak.html.j2" %}')
    (mine / "leak.html.j2").symlink_to(secret)
    out = tmp_path / "r.html"
    result = run("render", example(1), "--output", out, "--template-dir", mine)
    assert result.returncode == 2 and "outside" in result.stderr
    assert not out.exists()


def test_every_section_has_a_partial_per_format_and_a_word_builder() -> None:
    from svqm_cli.render.sections import SECTIONS
    from svqm_cli.render.word.sections import BUILDERS

    report = ROOT / "templates" / "report"
    for section in SECTIONS:
        assert (report / f"_{section.partial}.html.j2").is_file(), section.key
        assert (report / f"_{section.partial}.md.j2").is_file(), section.key
        assert section.partial in BUILDERS, section.key
    assert set(BUILDERS) == {s.partial for s in SECTIONS}
