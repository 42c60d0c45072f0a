"""PDF rendering of a document (documents.py): the same blocks as the Word file, as an HTML
page rendered by Django and laid out by WeasyPrint on A4, with the SVG charts inline."""

from django.template.loader import render_to_string

from xeploai.reports.documents import (
    Chart,
    Checkboxes,
    Document,
    Heading,
    Paragraph,
    Signatures,
    Table,
)
from xeploai.reports.safe import printable

CONTENT_TYPE = "application/pdf"
KINDS = {
    Heading: "heading",
    Paragraph: "paragraph",
    Table: "table",
    Checkboxes: "checkboxes",
    Signatures: "signatures",
    Chart: "chart",
}


def render_html(document: Document) -> str:
    blocks = [(KINDS[type(block)], block) for block in document.blocks]
    html = render_to_string("reports/document.html", {"doc": document, "blocks": blocks})
    return printable(html)


def render_pdf(document: Document) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which pages that never print need not.
    from weasyprint import HTML

    return HTML(string=render_html(document)).write_pdf()
