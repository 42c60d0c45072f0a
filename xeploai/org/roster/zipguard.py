"""Check a workbook's zip before any reader builds anything from it.

A 2 KB workbook can declare a sheet of 17 billion cells, which the spreadsheet reader then
tries to allocate; a 7.5 MB one can hold 4 GB of XML. So before the reader sees the file:

1. the zip's end record says how many parts it has (refused past a handful), before `zipfile`
   builds its directory;
2. the directory's declared sizes are checked: each part, the total, the compression ratio;
3. every part is unpacked once, in 1 MiB pieces that are counted and dropped, so a part whose
   sizes lie is refused after one piece too many: no reader is then handed more than the
   declared sizes; its CRC is checked too;
4. while unpacking, the rows and cells (`<row r=…>`, `<c r=…>`, `<dimension ref=…>`) of every
   part are scanned to bound the sheet's rows × columns the way the reader will count them.
"""

import io
import struct
import zipfile
import zlib
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from xeploai.limits import MAX_COMPRESSION_RATIO, MAX_ZIP_MEMBERS, MB, RATIO_FLOOR, RosterLimits
from xeploai.org.progress import grouped
from xeploai.org.roster.errors import UnreadableFile
from xeploai.org.roster.sheetscan import ExactScan, FastScan, Reach

IN_CHUNK = 256 * 1024
OUT_CHUNK = 1 * MB
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _damaged(name: str, part: str) -> UnreadableFile:
    return UnreadableFile(
        _("“%(name)s” is damaged: its part %(part)s cannot be unpacked.")
        % {"name": name, "part": part}
    )


def _entry_count(name: str, data: bytes) -> int:
    """The number of parts, read from the end record, before `zipfile` builds a directory."""
    at = data.rfind(_EOCD, max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook."))
    count = struct.unpack_from("<H", data, at + 10)[0]
    if count == 0xFFFF and at >= 20 and data[at - 20 : at - 16] == _ZIP64_LOCATOR:
        offset = struct.unpack_from("<Q", data, at - 12)[0]
        if offset + 40 > len(data) or data[offset : offset + 4] != b"PK\x06\x06":
            raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook."))
        count = struct.unpack_from("<Q", data, offset + 32)[0]
    return count


def _sheets(name: str, archive: zipfile.ZipFile) -> dict[str, str]:
    """Part path → the sheet's name as Excel shows it. Every way a reader may resolve a
    relationship's target is listed, so that no sheet escapes the scan."""
    try:
        for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            if archive.getinfo(part).file_size > MB:
                raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook."))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError, zipfile.BadZipFile, zlib.error, ValueError, OSError):
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook.")) from None
    targets: dict[str | None, list[str]] = {}
    for rel in rels:
        target = rel.get("Target", "")
        bare = target.lstrip("/")
        targets[rel.get("Id")] = [target, bare, f"xl/{bare}"]
    sheets = {}
    for el in workbook.iter():
        if el.tag.endswith("}sheet"):
            for path in targets.get(el.get(_NS_REL), []):
                sheets[path] = el.get("name", "")
    return sheets


class _Nothing:
    def feed(self, piece: bytes) -> None:
        pass


def _unpack(name: str, data: bytes, info: zipfile.ZipInfo, scan) -> None:
    """Unpack one part in counted pieces, never holding more than one piece."""
    start = info.header_offset
    if data[start : start + 4] != _LOCAL or start + 30 > len(data):
        raise _damaged(name, info.filename)
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_len + extra_len
    end = begin + info.compress_size
    if end > len(data):
        raise _damaged(name, info.filename)
    raw = memoryview(data)[begin:end]
    produced = 0
    crc = 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (raw[i : i + OUT_CHUNK].tobytes() for i in range(0, len(raw), OUT_CHUNK))
        for piece in pieces:
            produced += len(piece)
            crc = zlib.crc32(piece, crc)
            scan.feed(piece)
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-15)
        pos = 0
        try:
            while not inflate.eof:
                if inflate.unconsumed_tail:
                    piece_in = inflate.unconsumed_tail
                else:
                    piece_in = raw[pos : pos + IN_CHUNK].tobytes()
                    pos += len(piece_in)
                out = inflate.decompress(piece_in, OUT_CHUNK)
                if not out and not piece_in:
                    break
                produced += len(out)
                if produced > info.file_size:
                    raise UnreadableFile(
                        _(
                            "“%(name)s” is damaged: its part %(part)s holds more than its "
                            "declared size; it was not opened."
                        )
                        % {"name": name, "part": info.filename}
                    )
                crc = zlib.crc32(out, crc)
                scan.feed(out)
        except zlib.error:
            raise _damaged(name, info.filename) from None
        if not inflate.eof:
            raise _damaged(name, info.filename)
    else:
        raise _damaged(name, info.filename)
    if produced != info.file_size or crc != info.CRC:
        raise _damaged(name, info.filename)


def _check_declared(name: str, infos: list[zipfile.ZipInfo], limits: RosterLimits) -> None:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableFile(
                _("“%(name)s” is protected by a password; save it without one.") % {"name": name}
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(name, info.filename)
        total += info.file_size
        if total > limits.unzipped_bytes:
            raise UnreadableFile(
                _(
                    "“%(name)s” would unpack to more than %(limit)s MB; a roster workbook may "
                    "unpack to at most %(limit)s MB. Split the roster into several files."
                )
                % {"name": name, "limit": grouped(limits.unzipped_bytes // MB)}
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise UnreadableFile(
                _(
                    "“%(name)s” was not opened: its part %(part)s unpacks to %(ratio)s times "
                    "its packed size, a roster workbook at most %(limit)s times. It is a "
                    "compression bomb or a damaged file."
                )
                % {
                    "name": name,
                    "part": info.filename,
                    "ratio": grouped(int(ratio)),
                    "limit": grouped(MAX_COMPRESSION_RATIO),
                }
            )


def _check_sheet(name: str, sheet: str, scan: Reach, limits: RosterLimits) -> None:
    where = {"name": name, "sheet": sheet, "cell": scan.cell}
    if scan.max_row > limits.rows:
        raise UnreadableFile(
            _(
                "Sheet “%(sheet)s” of “%(name)s” reaches row %(row)s (cell %(cell)s); a roster "
                "may have at most %(limit)s rows. Delete the empty rows below the list, or "
                "split the roster into several files."
            )
            % {**where, "row": grouped(scan.max_row), "limit": grouped(limits.rows)}
        )
    if scan.max_col > limits.columns:
        raise UnreadableFile(
            _(
                "Sheet “%(sheet)s” of “%(name)s” reaches column %(column)s (cell %(cell)s); a "
                "roster may have at most %(limit)s columns. Delete the columns right of the list."
            )
            % {**where, "column": grouped(scan.max_col), "limit": grouped(limits.columns)}
        )
    if scan.max_row * scan.max_col > limits.cells:
        raise UnreadableFile(
            _(
                "Sheet “%(sheet)s” of “%(name)s” spans %(rows)s rows × %(columns)s columns; a "
                "roster may span at most %(limit)s cells. Delete the empty rows and columns "
                "around the list."
            )
            % {
                **where,
                "rows": grouped(scan.max_row),
                "columns": grouped(scan.max_col),
                "limit": grouped(limits.cells),
            }
        )


def check_workbook(name: str, data: bytes, limits: RosterLimits) -> None:
    """Raise UnreadableFile, naming the file and the limit, unless the workbook is safe to read."""
    try:
        _check_workbook(name, data, limits)
    except UnreadableFile:
        raise
    except Exception:  # zipfile and expat on a mangled file: NotImplementedError, struct.error…
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook.")) from None


def _check_workbook(name: str, data: bytes, limits: RosterLimits) -> None:
    count = _entry_count(name, data)
    if count > MAX_ZIP_MEMBERS:
        raise UnreadableFile(
            _(
                "“%(name)s” holds %(count)s parts; a workbook holds a handful (at most "
                "%(limit)s). It is not a roster workbook."
            )
            % {"name": name, "count": grouped(count), "limit": grouped(MAX_ZIP_MEMBERS)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise UnreadableFile(_("The file is damaged or is not a real .xlsx workbook.")) from None
    with archive:
        infos = archive.infolist()
        _check_declared(name, infos, limits)
        sheets = _sheets(name, archive)
    for info in infos:
        scanned = info.filename in sheets or info.filename.lower().endswith((".xml", ".rels"))
        fast = FastScan() if scanned else _Nothing()
        _unpack(name, data, info, fast)  # every part: its sizes and CRC are checked
        if not scanned:
            continue
        scan: Reach = fast
        if fast.damaged:
            raise _damaged(name, info.filename)
        if not fast.exact:
            scan = ExactScan()
            _unpack(name, data, info, scan)
            scan.close()
            if scan.damaged:
                raise _damaged(name, info.filename)
        _check_sheet(name, sheets.get(info.filename, info.filename), scan, limits)
