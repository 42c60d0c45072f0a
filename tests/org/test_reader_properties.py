"""Whatever bytes arrive, the reader answers a Table or UnreadableFile: nothing else escapes."""

import io
import os
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.org import hostile
from tests.org.test_import import HEADER, ROWS, xlsx
from xeploai.org.roster.reader import Table, UnreadableFile, read_table

GOOD = xlsx(ROWS)
# XEPLOAI_HYPOTHESIS_EXAMPLES=2000 for a longer search.
SETTINGS = settings(
    max_examples=int(os.environ.get("XEPLOAI_HYPOTHESIS_EXAMPLES", 150)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def table_or_unreadable(filename: str, data: bytes) -> None:
    try:
        assert isinstance(read_table(filename, data), Table)
    except UnreadableFile as exc:
        assert str(exc)


@SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_arbitrary_bytes(data, suffix):
    table_or_unreadable(f"ds{suffix}", data)


@SETTINGS
@given(
    base=st.sampled_from([GOOD, hostile.corners(), hostile.date_out_of_range()]),
    edits=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=8),
    cut=st.integers(min_value=0),
)
def test_mutated_workbooks(base, edits, cut):
    data = bytearray(base)
    for at, value in edits:
        data[at % len(data)] = value
    table_or_unreadable("ds.xlsx", bytes(data[: len(data) - cut % 64]))


@SETTINGS
@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "x"]),
            st.binary(max_size=512),
        ),
        max_size=4,
        unique_by=lambda part: part[0],
    )
)
def test_arbitrary_zips(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts:
            z.writestr(name, content)
    table_or_unreadable("ds.xlsx", buffer.getvalue())


@SETTINGS
@given(
    cells=st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=9), max_size=6),
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be", "cp1258"]
    ),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_arbitrary_text_in_arbitrary_encodings(cells, encoding, newline, delimiter):
    text = newline.join(delimiter.join(row) for row in [HEADER, *cells])
    table_or_unreadable("ds.csv", text.encode(encoding, errors="replace"))
