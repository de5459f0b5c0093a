"""The pieces every Word section is made of: tables, pictures, Markdown paragraphs, and a
zip with fixed times so that the same document gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from svqm_cli.base.errors import SvqmError

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def png_of(svg: str) -> bytes | None:
    if not svg:
        return None
    try:
        import cairosvg
    except (ImportError, OSError) as exc:
        raise SvqmError(
            f"Word charts need CairoSVG and the Cairo library: {str(exc).splitlines()[0]}"
        ) from exc
    png: bytes = cairosvg.svg2png(
        bytestring=svg.encode("utf-8"), output_width=1360, unsafe=False, url=None
    )
    return png


def table(doc: Any, header: list[str], rows: list[list[str]], numeric: set[int]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for i, text in enumerate(header):
        table.rows[0].cells[i].text = text
    for row in rows:
        cells = table.add_row().cells
        for i, text in enumerate(row):
            cells[i].text = str(text)
            if i in numeric:
                cells[i].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph()


def picture(doc: Any, svg: str, caption: str) -> None:
    from docx.shared import Cm

    png = png_of(svg)
    if png:
        doc.add_paragraph(caption, style="Caption")
        doc.add_picture(io.BytesIO(png), width=Cm(16))


def markdown_paragraph(doc: Any, block: str) -> None:
    """A Markdown paragraph or bullet list with **bold** kept as bold runs."""
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    bullets = bool(lines) and all(line.startswith(("- ", "* ")) for line in lines)
    chunks = [line[2:] for line in lines] if bullets else [" ".join(lines)]
    for chunk in chunks:
        para = doc.add_paragraph(style="List Bullet" if bullets else None)
        for i, part in enumerate(chunk.split("**")):
            if part:
                para.add_run(part).bold = i % 2 == 1


def fixed_zip(data: bytes) -> bytes:
    """The same document gives the same bytes: zip entries get a fixed time and order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
