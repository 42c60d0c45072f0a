"""Word rendering of a document (documents.py): A4, Times New Roman 13 pt, the party title
block, tables with a grid, signature blocks side by side. Control characters are left out
(reports/safe.py). SVG charts are left out: Word's SVG support is uneven, and the same numbers
are in the document's tables."""

import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from xeploai.reports.documents import (
    Chart,
    Checkboxes,
    Document,
    Header,
    Heading,
    Paragraph,
    Signatures,
    Table,
)
from xeploai.reports.safe import printable

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SIZES = {0: 14, 1: 13, 2: 13}


def _line(cell_or_doc, text: str, *, bold=False, italic=False, center=False, size=None):
    paragraph = cell_or_doc.add_paragraph()
    run = paragraph.add_run(printable(text))
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(3)
    return paragraph


def _first_line(cell, text: str, **kwargs):
    """A new table cell holds one empty paragraph: write into it rather than under it."""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(printable(text))
    run.bold = kwargs.get("bold", False)
    run.italic = kwargs.get("italic", False)
    if kwargs.get("center"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return paragraph


def _header(word, header: Header) -> None:
    table = word.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    _first_line(left, header.issuer[0], bold=True, center=True)
    for line in header.issuer[1:]:
        _line(left, line, bold=line != "*", center=True)
    if header.number:
        _line(left, header.number, center=True)
    _first_line(right, header.motto, bold=True, center=True).runs[0].underline = True
    if header.place_date:
        _line(right, header.place_date, italic=True, center=True)


def _table(word, block: Table) -> None:
    table = word.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _first_line(cell, text, bold=True, center=True)
    for i, row in enumerate(block.rows):
        cells = table.add_row().cells
        for j, (cell, text) in enumerate(zip(cells, row, strict=True)):
            paragraph = _first_line(cell, text, bold=i in block.bold_rows)
            if j in block.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    word.add_paragraph()


def _signatures(word, block: Signatures) -> None:
    columns = list(block.signers)
    if len(columns) == 1:
        columns = [None, *columns]
    table = word.add_table(rows=1, cols=len(columns))
    for cell, signer in zip(table.rows[0].cells, columns, strict=True):
        if signer is None:
            if block.recipients:
                _first_line(cell, "Nơi nhận:", bold=True, italic=True)
                for line in block.recipients:
                    _line(cell, f"- {line}", size=11)
            continue
        _first_line(cell, signer.title, bold=True, center=True)
        if signer.role:
            _line(cell, signer.role, bold=True, center=True)
        _line(cell, signer.note, italic=True, center=True)
        for _ in range(3):
            _line(cell, "")
        _line(cell, signer.name, bold=True, center=True)


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    word.core_properties.title = printable(document.title)
    if document.form:
        form = _line(word, document.form, bold=True)
        form.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if document.header:
        _header(word, document.header)
    for block in document.blocks:
        if isinstance(block, Heading):
            _line(
                word,
                block.text,
                bold=True,
                center=block.level == 0,
                size=SIZES.get(block.level),
            )
        elif isinstance(block, Paragraph):
            _line(word, block.text, bold=block.bold, italic=block.italic, center=block.center)
        elif isinstance(block, Table):
            _table(word, block)
        elif isinstance(block, Checkboxes):
            for label, ticked in block.options:
                _line(word, f"{'☒' if ticked else '☐'} {label}")
        elif isinstance(block, Signatures):
            _signatures(word, block)
        elif isinstance(block, Chart):
            continue
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
