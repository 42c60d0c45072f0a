"""A CSV file's bytes → rows of text: its encoding found, its line endings made one, every
malformed row named. UTF-8 and Windows-1258 as committees save them; UTF-16 and UTF-32 as
"Unicode text" exports do, with or without a byte order mark."""

import codecs
import csv
import io
import unicodedata

from django.utils.translation import gettext as _

from xeploai.limits import RosterLimits
from xeploai.org.progress import grouped
from xeploai.org.roster.errors import UnreadableFile

_BOMS = (  # UTF-32 first: its little-endian mark begins with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
SAMPLE = 4096


def _share_of_nuls(sample: bytes) -> float:
    return sample.count(0) / len(sample) if sample else 0.0


def _wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 without a mark: Vietnamese text is mostly ASCII letters, digits and
    separators, so the high bytes of its code units are NUL in a regular pattern."""
    sample = data[: SAMPLE - SAMPLE % 4]
    if len(sample) < 4 or 0 not in sample:
        return None
    if len(data) % 4 == 0:
        if not any(sample[2::4]) and not any(sample[3::4]) and any(sample[0::4]):
            return "utf-32-le"
        if not any(sample[0::4]) and not any(sample[1::4]) and any(sample[3::4]):
            return "utf-32-be"
    if len(data) % 2 == 0:
        even, odd = _share_of_nuls(sample[0::2]), _share_of_nuls(sample[1::2])
        if odd > 0.3 and even < 0.05:
            return "utf-16-le"
        if even > 0.3 and odd < 0.05:
            return "utf-16-be"
    return None


def decode(name: str, data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            candidates = [encoding]
            data = data[len(bom) :]
            break
    else:
        wide = _wide_encoding(data)
        candidates = [wide] if wide else ["utf-8", "cp1258"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        _("“%(name)s” is not text in UTF-8, UTF-16, UTF-32 or Windows-1258; save it as CSV UTF-8.")
        % {"name": name}
    )


def _row_error(name: str, row: int, exc: csv.Error, limits: RosterLimits) -> UnreadableFile:
    detail = str(exc)
    where = {"name": name, "row": grouped(row)}
    if "field larger than field limit" in detail:
        message = _(
            "Row %(row)s of “%(name)s” holds a cell of more than %(limit)s characters; a cell "
            "may hold at most %(limit)s."
        ) % {**where, "limit": grouped(limits.cell_chars)}
    elif "unexpected end of data" in detail:
        message = (
            _(
                'Row %(row)s of “%(name)s”: a value opened with a quote (") is never closed, so '
                "the rest of the file would be one cell. Close the quote."
            )
            % where
        )
    elif "expected after" in detail:
        message = (
            _(
                'Row %(row)s of “%(name)s”: a quoted value goes on after its closing quote ("). '
                'Put the whole value in quotes and write a quote inside it as "".'
            )
            % where
        )
    else:
        message = _("Row %(row)s of “%(name)s” cannot be read as CSV (%(detail)s).") % {
            **where,
            "detail": detail[:120],
        }
    return UnreadableFile(message)


def csv_rows(name: str, data: bytes, limits: RosterLimits) -> tuple[list[list[object]], str]:
    """The rows, and the encoding they were read in. Rows are counted as a spreadsheet shows
    the file: a record, with any line breaks inside its quotes, is one row."""
    text, encoding = decode(name, data)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    nul = text.find("\x00")
    if nul >= 0:
        raise UnreadableFile(
            _(
                "Row %(row)s of “%(name)s” holds a NUL character: the file is not plain text. "
                "Save it as CSV UTF-8, or upload the .xlsx workbook."
            )
            % {"name": name, "row": grouped(text.count("\n", 0, nul) + 1)}
        )
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[object]] = []
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise _row_error(name, len(rows) + 1, exc, limits) from None
        rows.append(list(record))
        if len(rows) > limits.rows:
            raise too_many_rows(name, limits)
    return rows, encoding


def too_many_rows(name: str, limits: RosterLimits) -> UnreadableFile:
    return UnreadableFile(
        _(
            "“%(name)s” has more than %(limit)s rows; a roster may have at most %(limit)s. "
            "Split the roster into several files."
        )
        % {"name": name, "limit": grouped(limits.rows)}
    )
