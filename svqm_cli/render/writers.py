"""One writer per format: context in, bytes out. The registry gives --format its choices."""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from svqm_cli.base import resources
from svqm_cli.base.errors import SvqmError, UsageError
from svqm_cli.render.context import ReportContext
from svqm_cli.render.sections import present

Writer = Callable[[ReportContext, "Path | None"], bytes]

# Escaping "[" makes "(" harmless; these are the characters that start Markdown syntax.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#+|~])")


def md_escape(value: Any) -> Any:
    """Every value printed into Markdown is escaped, unless it is already Markdown."""
    from markupsafe import Markup

    if value is None:
        return ""
    if isinstance(value, Markup):
        return str(value)
    text = str(value).replace("\r", "").replace("\n", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def user_markdown(value: Any) -> Any:
    """A field the format defines as Markdown (a case study's narrative): kept as Markdown
    in Markdown reports, with any raw HTML neutralised."""
    from markupsafe import Markup

    return Markup(str(value).replace("<", "&lt;").replace(">", "&gt;"))


_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")


def markdown_html(value: Any) -> Any:
    """A Markdown field as HTML: paragraphs, bullet lists, **bold** and *italics*.

    The text is escaped first, so nothing the user wrote can become a tag; only this small
    subset is turned into markup.
    """
    from markupsafe import Markup, escape

    blocks = []
    for block in re.split(r"\n\s*\n", str(value).strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue

        def inline(text: str) -> str:
            html = str(escape(text))
            html = _STRONG.sub(r"<strong>\1</strong>", html)
            return _EM.sub(r"<em>\1</em>", html)

        if all(line.startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{inline(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{inline(' '.join(lines))}</p>")
    return Markup("".join(blocks))


def css_string(value: Any) -> Any:
    """Text safe inside a CSS string in a <style> block (used for the page footer)."""
    from markupsafe import Markup

    return Markup(re.sub(r"[\"\\<>&\n\r]", "", str(value)))


_TABLE = re.compile(r"<table\b.*?</table>", re.S | re.I)
_CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S | re.I)
_HEADING = re.compile(r"<h[1-6]\b[^>]*>(.*?)</h[1-6]>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def table_scroll(value: Any) -> Any:
    """Each table in VALUE (rendered HTML) inside a region that scrolls sideways on a narrow
    screen. The region takes the keyboard focus, so that it can be scrolled without a mouse
    (axe-core's scrollable-region-focusable), and is named after the table's caption or the
    heading above it."""
    from markupsafe import Markup

    html = str(value)
    out, last, heading = [], 0, "Table"
    for match in _TABLE.finditer(html):
        before = html[last : match.start()]
        headings = _HEADING.findall(before)
        if headings:
            heading = _TAG.sub("", headings[-1]).strip() or heading
        caption = _CAPTION.search(match.group(0))
        name = _TAG.sub("", caption.group(1)).strip() if caption else f"Table: {heading}"
        out.append(before)
        out.append(
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{name}">'
            f"{match.group(0)}</div>"
        )
        last = match.end()
    out.append(html[last:])
    return Markup("".join(out))


def _contained_loader(folder: Path) -> Any:
    """A loader for FOLDER that refuses templates whose real path is outside it (a link
    to elsewhere); Jinja2 already refuses '..' in template names."""
    from jinja2 import FileSystemLoader, TemplateError

    real_root = os.path.realpath(folder)

    class ContainedLoader(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            source, filename, uptodate = super().get_source(environment, template)
            if os.path.commonpath([real_root, os.path.realpath(filename)]) != real_root:
                # Not TemplateNotFound: the next loader must not quietly stand in for it.
                raise TemplateError(f"{template} is a link to outside {folder}")
            return source, filename, uptodate

    return ContainedLoader(str(folder))


def _environment(template_dir: Path | None, html: bool) -> Any:
    """A sandboxed environment: user templates can read the context, nothing else."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders = []
    if template_dir is not None:
        if not template_dir.is_dir():
            raise UsageError(f"--template-dir '{template_dir}' is not a folder")
        loaders.append(_contained_loader(template_dir))
    loaders.append(FileSystemLoader(str(resources.templates_path() / "report")))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=not html,
        lstrip_blocks=not html,
        finalize=None if html else md_escape,
    )
    env.filters["css_string"] = css_string
    env.filters["user_markdown"] = user_markdown
    env.filters["markdown_html"] = markdown_html
    env.filters["table_scroll"] = table_scroll
    return env


def _render(ctx: ReportContext, template_dir: Path | None, html: bool) -> str:
    from contextlib import nullcontext

    from jinja2 import TemplateError

    from svqm_cli.render.budget import TEMPLATE_MEMORY, memory_budget

    env = _environment(template_dir, html)
    name = f"level-{ctx.level}.{'html' if html else 'md'}.j2"
    try:
        # a user's template is bounded in memory (svqm's own need no bound)
        with nullcontext() if template_dir is None else memory_budget():
            return str(
                env.get_template(name).render(**ctx.data, draft=ctx.draft, sections=present(ctx))
            )
    except MemoryError as exc:
        if template_dir is None:
            raise
        raise SvqmError(
            f"the report template in '{template_dir}' needed more than "
            f"{TEMPLATE_MEMORY // 1_048_576:,} MiB of memory: make it build smaller text"
        ) from exc
    except TemplateError as exc:  # a user's --template-dir template is broken
        raise SvqmError(f"the report template failed: {_first_line(exc)}") from exc
    except Exception as exc:
        if template_dir is None:
            raise  # svqm's own templates: a bug, and it must show as one
        # A --template-dir template is the user's code: whatever it raises at run time
        # (ZeroDivisionError, RecursionError, OverflowError, bytes that are not UTF-8, ...)
        # is a problem with the command line's input, not with svqm: exit 2, one line.
        raise SvqmError(
            f"the report template in '{template_dir}' failed: {type(exc).__name__}: "
            f"{_first_line(exc)}"
        ) from exc


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:300] if lines else type(exc).__name__


def html(ctx: ReportContext, template_dir: Path | None = None) -> bytes:
    return _render(ctx, template_dir, html=True).encode("utf-8")


def markdown(ctx: ReportContext, template_dir: Path | None = None) -> bytes:
    text = _render(ctx, template_dir, html=False)
    return (re.sub(r"\n{3,}", "\n\n", text).strip() + "\n").encode("utf-8")


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"svqm reports load nothing from outside: {url}")


def pdf(ctx: ReportContext, template_dir: Path | None = None) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise SvqmError(
            f"PDF needs WeasyPrint and its system libraries (Pango): {str(exc).splitlines()[0]}"
        ) from exc
    document = HTML(string=html(ctx, template_dir).decode("utf-8"), url_fetcher=_refuse_fetch)
    identifier = f"svqm-{ctx.data['organisation'].get('name', '')}-{ctx.level}".encode()
    # PDF/UA-1: a tagged PDF (headings, tables, lists and figures as structure a screen
    # reader follows), with its title and language from <title> and <html lang>.
    with _page_references_once():
        result: bytes = document.write_pdf(
            pdf_identifier=identifier, pdf_variant="pdf/ua-1", pdf_tags=True
        )
    return result


@contextlib.contextmanager
def _page_references_once() -> Iterator[None]:
    """pydyf's PDF.page_references builds the list of every page each time it is read, and
    WeasyPrint's tagging reads it once for each tagged element: time grew with pages times
    elements (a quarter of a 1,000-outcome PDF). While svqm writes a PDF, the list is built
    once for each page count."""
    import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer, no stubs

    original = pydyf.PDF.page_references

    def once(pdf: Any) -> Any:
        count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get("_svqm_page_references")
        if cached is None or cached[0] != count:
            cached = (count, original.fget(pdf))
            pdf.__dict__["_svqm_page_references"] = cached
        return cached[1]

    pydyf.PDF.page_references = property(once)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


def docx(ctx: ReportContext, template_dir: Path | None = None) -> bytes:
    from svqm_cli.render.word import word_document

    return word_document(ctx)
