"""Reports: the context built from a pack, and one writer per format (HTML, PDF, Word,
Markdown). The registry gives `svqm render` its --format choices."""

from __future__ import annotations

from svqm_cli.base.registry import Registry

# ReportContext, template_dir -> bytes
WRITERS = Registry(
    __name__,
    {
        "html": "writers:html",
        "pdf": "writers:pdf",
        "docx": "writers:docx",
        "md": "writers:markdown",
    },
)
EXTENSIONS = {"html": ".html", "pdf": ".pdf", "docx": ".docx", "md": ".md"}
