"""One neutral description of a document, rendered as Word (docx.py) or PDF (pdf.py).

The builders in `forms.py` and `statistics.py` read the database and say *what* a document
holds; the renderers only say how it looks. So the Word file and the PDF of the same form cannot
disagree on a number or a word.
"""

from dataclasses import dataclass, field

# Where a form asks for something that is not recorded, it gets a dotted blank to fill by hand.
BLANK = "……………"


@dataclass
class Header:
    """The title block of a party document: the issuing body on the left (its parent above it,
    then a star), the party's name and the place and date on the right."""

    issuer: list[str]
    number: str = ""
    place_date: str = ""
    motto: str = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass
class Heading:
    text: str
    level: int = 1  # 0: the document's title, 1: a part, 2: a section


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    center: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    # Rows shown in bold (e.g. the total line), by index into `rows`.
    bold_rows: tuple[int, ...] = ()
    # Columns holding numbers, aligned right.
    numeric: tuple[int, ...] = ()
    # Column widths in percent of the line (the PDF); empty: let the renderer decide.
    widths: tuple[int, ...] = ()


@dataclass
class Checkboxes:
    """One line per option, the chosen one ticked (☒), the others empty (☐)."""

    options: list[tuple[str, bool]]


@dataclass
class Signer:
    title: str  # e.g. "T/M CHI BỘ" or "NGƯỜI TỰ KIỂM ĐIỂM"
    role: str = ""  # e.g. "BÍ THƯ"
    note: str = "(ký, ghi rõ họ tên)"
    name: str = BLANK


@dataclass
class Signatures:
    """Signature blocks side by side; a single one stands on the right."""

    signers: list[Signer]
    recipients: list[str] = field(default_factory=list)  # "Nơi nhận", bottom left


@dataclass
class Chart:
    """A server-side SVG chart (charts.py). Shown in the PDF; the Word file carries the same
    numbers in a table next to it, since Word cannot show SVG everywhere."""

    svg: str
    title: str


Block = Heading | Paragraph | Table | Checkboxes | Signatures | Chart


@dataclass
class Document:
    title: str  # also the PDF's title
    filename: str  # ASCII, without extension
    header: Header | None = None
    form: str = ""  # "Mẫu 2B", top right
    blocks: list[Block] = field(default_factory=list)
    landscape: bool = False
    lang: str = "vi"

    def add(self, *blocks: Block) -> "Document":
        self.blocks.extend(blocks)
        return self
