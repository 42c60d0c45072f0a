"""The last row and column a spreadsheet reader would give the cells of one sheet part, found
while the part streams past, before the reader allocates its grid.

The reader places a cell by its `r="B7"`; a cell or row without `r` comes after the previous
one; `<dimension ref="A1:J200">` sizes the grid in advance. Every writer we know (Excel,
LibreOffice, openpyxl, XlsxWriter) writes `<row r="…"` and `<c r="…"` with `r` first: the fast
scan checks, with two C-level counts per piece, that every such tag has that form and reads its
position. A part with any other form (r elsewhere or missing, a namespace prefix, a `>` in an
attribute) is read again by expat, an exact XML parser that tracks positions the reader's way;
what expat refuses is a damaged file.
"""

import re
from xml.parsers import expat

# Any start tag the reader could place a cell by (counted, never missed: no `<` inside): the
# unprefixed forms with bytes.count, which is several times faster than a regex, the prefixed
# ones with a regex, when a prefix may be there.
_NAMES = (b"c", b"row", b"dimension")
_OPEN_FORMS = tuple(
    b"<" + n + end for n in _NAMES for end in (b" \t\n\r\f\v/>"[i : i + 1] for i in range(8))
)
_PREFIXED = re.compile(rb"<[\w.-]+:(?:c|row|dimension)[\s/>]")
# The same tags in the one form writers use, with their positions.
_CANONICAL = re.compile(
    rb'<(c|row) r="([A-Z]{0,3})([0-9]{1,7})"[\s/>]'
    rb'|<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"[\s/>]'
)
_ANY_TAG = re.compile(rb"<(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
MAX_TAG = 64 * 1024  # a sheet's tags are tens of bytes


def column_number(letters: str | bytes) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16,384."""
    if isinstance(letters, bytes):
        letters = letters.decode("ascii")
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Reach:
    """The farthest row and column reached, and the cell that reached it."""

    def __init__(self):
        self.max_row = 0
        self.max_col = 0
        self.damaged = False

    def reach(self, row: int, col: int) -> None:
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col)

    @property
    def cell(self) -> str:
        return f"{column_letters(self.max_col)}{self.max_row}"


class FastScan(Reach):
    def __init__(self):
        super().__init__()
        self.carry = b""
        self.opened = 0
        self.canonical = 0

    def feed(self, piece: bytes) -> None:
        text = self.carry + piece if self.carry else piece
        cut = text.rfind(b"<")
        if cut >= 0 and _ANY_TAG.match(text, cut) is None:
            # The last tag goes on in the next piece; a tag cannot hold `<`, so every match
            # before `cut` is whole.
            self.carry = text[cut:]
            text = text[:cut]
            if len(self.carry) > MAX_TAG:
                self.damaged = True
                self.carry = b""
        else:
            self.carry = b""
        self.opened += sum(text.count(form) for form in _OPEN_FORMS)
        if b":c" in text or b":row" in text or b":dimension" in text:
            self.opened += len(_PREFIXED.findall(text))
        found = _CANONICAL.findall(text)
        self.canonical += len(found)
        if not found:
            return
        letters = {f[1] for f in found} | {f[3] for f in found}
        rows = {f[2] for f in found} | {f[4] for f in found}
        self.reach(
            max(int(r) for r in rows if r) if rows - {b""} else 0,
            max(column_number(x) for x in letters if x) if letters - {b""} else 0,
        )

    @property
    def exact(self) -> bool:
        """Every cell-placing tag had the usual form, so the positions read are the reader's."""
        return not self.carry and self.opened == self.canonical


class ExactScan(Reach):
    """Positions as the reader counts them, including rows and cells without `r`."""

    def __init__(self):
        super().__init__()
        self.row = 0
        self.col = 0
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def _doctype(self, *args) -> None:
        raise ValueError("a workbook part declares no DTD or entities")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            ref = attrs.get("r")
            if ref is None:
                self.row += 1
            elif ref.isdigit() and len(ref) <= 7:
                self.row = int(ref)
            else:
                raise ValueError(ref)
            self.col = 0
            self.reach(self.row, 0)
        elif local == "c":
            ref = attrs.get("r")
            if ref is None:
                self.col += 1
            elif m := _REF.fullmatch(ref):
                self.col = column_number(m.group(1))
                self.row = int(m.group(2))
            else:
                raise ValueError(ref)
            self.reach(self.row, self.col)
        elif local == "dimension":
            last = attrs.get("ref", "").split(":")[-1]
            if m := _REF.fullmatch(last):
                self.reach(int(m.group(2)), column_number(m.group(1)))
            elif last:
                raise ValueError(last)

    def feed(self, piece: bytes) -> None:
        if self.damaged:
            return
        try:
            self.parser.Parse(piece, False)
        except (expat.ExpatError, ValueError):
            self.damaged = True

    def close(self) -> None:
        self.feed(b"")
        if not self.damaged:
            try:
                self.parser.Parse(b"", True)
            except (expat.ExpatError, ValueError):
                self.damaged = True
