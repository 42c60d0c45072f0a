"""Hostile roster files, made by hand: zips written byte by byte, so that their declared sizes
and their content can disagree the way an attacker's do."""

import io
import struct
import zlib

from openpyxl import Workbook

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'.encode()


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_zip(parts: list[tuple[str, bytes, int, int]]) -> bytes:
    """(name, deflated bytes, CRC, declared uncompressed size) → a zip, written by hand."""
    out = io.BytesIO()
    central = b""
    for name, packed, crc, size in parts:
        offset = out.tell()
        encoded = name.encode()
        fields = (20, 0, 8, 0, 0, crc, len(packed), size, len(encoded), 0)
        out.write(b"PK\x03\x04" + struct.pack("<HHHHHIIIHH", *fields) + encoded + packed)
        central += (
            b"PK\x01\x02"
            + struct.pack("<HHHHHHIIIHHHHHII", 20, *fields, 0, 0, 0, 0, offset)
            + encoded
        )
    start = out.tell()
    out.write(central)
    out.write(
        b"PK\x05\x06"
        + struct.pack("<HHHHIIH", 0, 0, len(parts), len(parts), len(central), start, 0)
    )
    return out.getvalue()


def workbook(sheet: bytes, sheet_parts: list[tuple[str, bytes, int, int]] | None = None):
    """A workbook of one sheet; `sheet_parts` replaces the sheet part with a made-up one."""
    parts = [
        (name, deflate(data), zlib.crc32(data), len(data))
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        )
    ]
    if sheet_parts is None:
        sheet_parts = [("xl/worksheets/sheet1.xml", deflate(sheet), zlib.crc32(sheet), len(sheet))]
    return raw_zip(parts + sheet_parts)


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def corners(dimension: bool = True) -> bytes:
    """About 1 KB: cells at A1 and XFD1048576, the last cell of the largest sheet."""
    sheet = SHEET_START
    if dimension:
        sheet += b'<dimension ref="A1:XFD1048576"/>'
    sheet += b'<sheetData><row r="1">' + cell("A1", "Họ và tên") + b"</row>"
    sheet += b'<row r="1048576">' + cell("XFD1048576", "x") + b"</row></sheetData></worksheet>"
    return workbook(sheet)


def no_refs(cells_in_a_row: int) -> bytes:
    """A row of cells written without `r`: each one right of the one before."""
    row = b"<row>" + b'<c t="inlineStr"><is><t>x</t></is></c>' * cells_in_a_row + b"</row>"
    return workbook(SHEET_START + b"<sheetData>" + row + b"</sheetData></worksheet>")


def bomb(unpacked: int = 4_000_000_000, declared: int | None = None) -> bytes:
    """A sheet of `unpacked` bytes of XML in about 8 MB: the same 1 MiB of rows, deflated once
    and repeated (a full flush makes each copy stand alone). `declared` makes the zip lie."""
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1600 + b"</t></is></c></row>"
    piece = row * ((1 << 20) // len(row))
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(piece) + c.flush(zlib.Z_FULL_FLUSH)
    copies = unpacked // len(piece)
    crc = zlib.crc32(SHEET_START)
    for _i in range(copies):
        crc = zlib.crc32(piece, crc)
    head = c.compress(SHEET_START) + c.flush(zlib.Z_FULL_FLUSH)
    packed = head + block * copies + c.flush()
    size = len(SHEET_START) + copies * len(piece)
    return workbook(b"", [("xl/worksheets/sheet1.xml", packed, crc, declared or size)])


def date_out_of_range() -> bytes:
    """A date cell whose serial number is far before year 1: the reader's Rust code panics."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên", "Ngày vào Đảng"])
    ws.append(["Nguyễn Văn An", -1e12, "Nam", "79000001", "19/05/1990"])
    ws["B2"].number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
