"""The Word and PDF reports as their readers' programs see them: checked from the files
themselves (the XML inside the .docx, pdfinfo and pdffonts on the PDF) and through
LibreOffice, which turns each Word file into PDF pages."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import EXAMPLES, render_file

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
A4 = {("11906", "16838"), ("16838", "11906")}  # twentieths of a point, either way round
MONEY = re.compile(r"£[0-9][0-9,]*(?:\.[0-9]{2})?")
IDS = [p.name for p in EXAMPLES]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("documents")
    files = {}
    for pack in EXAMPLES:
        for fmt in ("docx", "pdf", "html"):
            target = out / f"{pack.name}.{fmt}"
            render_file(pack, fmt, target)
            files[(pack.name, fmt)] = target
    return files


def _xml(docx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(docx) as z:
        return etree.fromstring(z.read(name))


def _parts(docx: Path, prefix: str) -> list[etree._Element]:
    with zipfile.ZipFile(docx) as z:
        return [etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith(prefix)]


@pytest.mark.parametrize("pack", EXAMPLES, ids=IDS)
def test_word_pages_tables_and_footer(reports: dict[tuple[str, str], Path], pack: Path) -> None:
    docx = reports[(pack.name, "docx")]
    body = _xml(docx, "word/document.xml")
    sections = list(body.iter(f"{W}sectPr"))
    assert sections
    for sect in sections:
        size = sect.find(f"{W}pgSz")
        assert (size.get(f"{W}w"), size.get(f"{W}h")) in A4
        landscape = size.get(f"{W}orient") == "landscape"
        assert landscape == (size.get(f"{W}w") == "16838")
        margins = sect.find(f"{W}pgMar")
        assert (margins.get(f"{W}top"), margins.get(f"{W}left")) == ("1020", "850")
    tables = list(body.iter(f"{W}tbl"))
    assert tables
    for table in tables:
        first = table.find(f"{W}tr")
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
    footers = _parts(docx, "word/footer")
    fields = " ".join(t.text or "" for f in footers for t in f.iter(f"{W}instrText"))
    assert "PAGE" in fields.split() and "NUMPAGES" in fields.split()


@pytest.mark.parametrize("pack", EXAMPLES, ids=IDS)
def test_word_language_contents_alt_text_and_properties(
    reports: dict[tuple[str, str], Path], pack: Path
) -> None:
    docx = reports[(pack.name, "docx")]
    styles = _xml(docx, "word/styles.xml")
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "en-GB"
    body = _xml(docx, "word/document.xml")
    instructions = " ".join(t.text or "" for t in body.iter(f"{W}instrText"))
    # sections and what is in them when that fits the contents page
    assert 'TOC \\o "1-2" \\h \\z \\u' in instructions
    settings = _xml(docx, "word/settings.xml")
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"
    pictures = list(body.iter(f"{WP}docPr"))
    if not pack.name.startswith("level-1-"):  # Level 1 has no impact map, so no chart
        assert pictures, "a report with impact maps has charts"
    for picture in pictures:
        assert picture.get("descr", "").strip() and picture.get("title", "").strip()
    core = _xml(docx, "docProps/core.xml")
    ns = {
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    }
    html = reports[(pack.name, "html")].read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    date = re.search(r'<meta name="dcterms.created" content="([0-9-]+)"', html).group(1)
    organisation = re.search(r'<meta name="author" content="([^"]*)"', html).group(1)
    assert core.findtext("dc:title", namespaces=ns) == title.replace("&amp;", "&")
    assert core.findtext("dc:creator", namespaces=ns) == organisation.replace("&amp;", "&")
    assert core.findtext("dcterms:created", namespaces=ns).startswith(date)
    assert core.findtext("dc:language", namespaces=ns) == "en-GB"


@pytest.mark.parametrize("pack", EXAMPLES, ids=IDS)
def test_word_has_every_section_heading_of_the_html(
    reports: dict[tuple[str, str], Path], pack: Path
) -> None:
    """The HTML's contents list, in order, is the Word file's Heading 1 paragraphs, and the
    Word contents field already lists them."""
    html = reports[(pack.name, "html")].read_text(encoding="utf-8")
    nav = re.search(r'<nav class="contents".*?</nav>', html, re.S).group(0)
    wanted = [
        re.sub(r"<[^>]+>", "", a).replace("&amp;", "&")
        for a in re.findall(r'<a href="#[^"]+">(.*?)</a>', nav)
    ]
    body = _xml(reports[(pack.name, "docx")], "word/document.xml")

    def paragraphs(style: str) -> list[str]:
        return [
            "".join(t.text or "" for t in p.iter(f"{W}t"))
            for p in body.iter(f"{W}p")
            if p.find(f"{W}pPr/{W}pStyle") is not None
            and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == style
        ]

    assert paragraphs("Heading1") == wanted
    assert paragraphs("TOC1") == wanted


def test_word_through_libreoffice(
    reports: dict[tuple[str, str], Path],
    soffice_writer: str,
    poppler: tuple[str, str],
    tmp_path: Path,
) -> None:
    """LibreOffice opens every Word file and prints it on A4 pages; no sum of money in a
    table is broken across lines."""
    pdftoppm, pdftotext = poppler
    docs = [reports[(p.name, "docx")] for p in EXAMPLES]
    subprocess.run(
        [
            soffice_writer,
            f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *map(str, docs),
        ],
        capture_output=True,
        timeout=600,
        check=True,
    )
    for docx in docs:
        pdf = tmp_path / f"{docx.stem}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {docx.name}"
        info = subprocess.run(
            ["pdfinfo", "-f", "1", "-l", "999", str(pdf)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
        sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info, re.M)
        assert len(sizes) == pages >= 3
        for width, height in sizes:
            assert sorted((round(float(width)), round(float(height)))) == [595, 842]
        subprocess.run(
            [pdftoppm, "-r", "30", "-png", str(pdf), str(tmp_path / docx.stem)],
            check=True,
            timeout=300,
        )
        assert len(list(tmp_path.glob(f"{docx.stem}-*.png"))) == pages
        text = subprocess.run(
            [pdftotext, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        body = _xml(docx, "word/document.xml")
        cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in body.iter(f"{W}tc")]
        for amount in {m for cell in cells for m in MONEY.findall(cell)}:
            assert amount in text, f"{docx.name}: {amount} is broken across lines"


@pytest.mark.parametrize("pack", EXAMPLES, ids=IDS)
def test_pdf_is_tagged_with_a_title_and_one_font_family(
    reports: dict[tuple[str, str], Path], pack: Path, poppler: tuple[str, str]
) -> None:
    pdf = reports[(pack.name, "pdf")]
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    title = re.search(r"^Title:\s+(.+)$", info, re.M)
    html = reports[(pack.name, "html")].read_text(encoding="utf-8")
    wanted = re.search(r"<title>(.*?)</title>", html).group(1).replace("&amp;", "&")
    assert title and title.group(1) == wanted, info
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    families = {
        re.sub(
            r"-(Bold|Oblique|BoldOblique|Italic|BoldItalic)$", "", line.split()[0].split("+")[-1]
        )
        for line in fonts
    }
    assert len(families) == 1, families
    assert re.search(rb"/Lang ?\(en-GB\)", _pdf_objects(pdf)), "no /Lang (en-GB) in the catalog"


def _pdf_objects(pdf: Path) -> bytes:
    """The PDF's bytes with its compressed streams (object streams too) inflated."""
    import zlib

    data = pdf.read_bytes()
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # a stream that is not deflated (or an image)
    return b"\n".join(parts)
