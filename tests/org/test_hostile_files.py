"""Hostile roster files cannot hurt: each is refused quickly, within a memory bound, with a
message naming the file and the limit, through the service, the command and the page, and
nothing is written."""

import codecs
import io
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from tests.org import hostile
from tests.org.test_import import HEADER, ROWS, run, snapshot, xlsx
from xeploai.org.models import Member
from xeploai.org.roster.reader import Table, UnreadableFile, read_table

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(scope="module")
def bomb():
    return hostile.bomb()


def refused(tree, data, filename="danh-sach.xlsx"):
    """The import's error table has exactly one line, for the file, and nothing was written."""
    run(tree, xlsx(ROWS[:1]))
    before = snapshot()
    started = time.perf_counter()
    result = run(tree, data, filename)
    elapsed = time.perf_counter() - started
    assert snapshot() == before
    assert not result.ok and len(result.problems) == 1
    problem = result.problems[0]
    assert problem.sheet == filename and problem.row is None
    return problem.reason, elapsed


def test_it_refuses_a_workbook_declaring_the_largest_sheet(tree):
    for data in (hostile.corners(), hostile.corners(dimension=False)):
        assert len(data) < 2048
        reason, elapsed = refused(tree, data)
        assert "danh-sach.xlsx" in reason and "1,048,576" in reason and "200,000" in reason
        assert "XFD1048576" in reason and elapsed < 1


def test_it_counts_cells_written_without_a_reference(tree):
    reason, _elapsed = refused(tree, hostile.no_refs(150))
    assert "column 150" in reason and "100 columns" in reason


def test_it_refuses_a_zip_bomb_from_its_declared_sizes(tree, bomb):
    assert 7_000_000 < len(bomb) < 8_500_000
    reason, elapsed = refused(tree, bomb)
    assert "200 MB" in reason and elapsed < 1


def test_it_refuses_a_zip_bomb_by_its_compression_ratio(tree):
    reason, elapsed = refused(tree, hostile.bomb(unpacked=150_000_000))
    assert "compression bomb" in reason and "at most 100 times" in reason and elapsed < 1


def test_it_refuses_a_zip_bomb_whose_sizes_lie(tree):
    reason, elapsed = refused(tree, hostile.bomb(unpacked=500_000_000, declared=200_000))
    assert "more than its declared size" in reason and elapsed < 1


def test_it_turns_a_panic_of_the_reader_into_a_message(tree):
    reason, _elapsed = refused(tree, hostile.date_out_of_range())
    assert "date out of range" in reason


def test_it_refuses_a_file_over_the_upload_limit(tree, settings):
    settings.ROSTER_MAX_UPLOAD_MB = 1
    reason, _elapsed = refused(tree, b"x" * (2 * 1024 * 1024), "ds.csv")
    assert "“ds.csv” is 2 MB" in reason and "at most 1 MB" in reason


def test_it_refuses_too_many_rows_columns_and_characters(tree, settings):
    settings.ROSTER_MAX_ROWS = 3
    assert "at most 3" in refused(tree, xlsx(ROWS * 2))[0]
    settings.ROSTER_MAX_ROWS = 200_000
    settings.ROSTER_MAX_CELL_CHARS = 20
    reason = refused(tree, xlsx([[*ROWS[0][:7], "x" * 21]]))[0]
    assert "row 2, column H" in reason and "21 characters" in reason and "at most 20" in reason
    reason = refused(tree, ("a;" * 150 + "\n").encode(), "ds.csv")[0]
    assert "151 columns" in reason


def csv_text(rows=ROWS, newline="\n"):
    return newline.join(";".join(r) for r in [HEADER, *rows]) + newline


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_it_reads_csv_in_utf16_and_utf32_with_or_without_a_mark(tree, encoding):
    result = run(tree, csv_text().encode(encoding), "ds.csv")
    assert result.ok, result.problems
    assert Member.objects.get(card_number="79000002").full_name == "Trần Thị Bích"


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_it_reads_csv_with_any_line_endings(tree, newline):
    text = csv_text(newline=newline).replace(newline, "\n", 1)  # mixed: the first one differs
    result = run(tree, text.encode("utf-8"), "ds.csv")
    assert result.ok and result.created == 3, result.problems


TONES = "\u0300\u0301\u0303\u0309\u0323"


def windows_1258(text: str) -> bytes:
    """Windows-1258 holds the vowels with their hats, and the five tones as combining marks."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(m for m in parts if m in TONES)
            vowel = unicodedata.normalize("NFC", parts.replace(tone, ""))
            out += (vowel + tone).encode("cp1258")
    return out


def test_it_still_reads_windows_1258(tree):
    result = run(tree, windows_1258(csv_text()), "ds.csv")
    assert result.ok, result.problems
    assert Member.objects.filter(full_name="Lê Văn Cường").exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        (csv_text() + "Hồ Thị Dài;" + "x" * 140_000 + "\n", "Row 5 of “ds.csv” holds a cell"),
        (csv_text() + '"Hồ Thị;01/01/1980\n', "Row 5 of “ds.csv”: a value opened with a quote"),
        (csv_text() + '"Hồ" Thị;01/01/1980\n', "Row 5 of “ds.csv”: a quoted value goes on"),
        (csv_text() + "Hồ\x00Thị;01/01/1980\n", "Row 5 of “ds.csv” holds a NUL character"),
    ],
)
def test_it_names_the_row_of_a_malformed_csv(tree, text, expected):
    reason, _elapsed = refused(tree, text.encode("utf-8"), "ds.csv")
    assert reason.startswith(expected), reason


MEASURE = """
import os, resource, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "xeploai.settings"
import django
django.setup()
from django.utils import translation
from xeploai.org.roster.reader import UnreadableFile, read_table
data = open(sys.argv[1], "rb").read()
translation.activate("vi")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open("/proc/self/statm") as statm:
    mapped = int(statm.read().split()[0]) * resource.getpagesize()
resource.setrlimit(resource.RLIMIT_AS, (mapped + 300 * 2**20, mapped + 300 * 2**20))
started = time.perf_counter()
try:
    read_table("danh-sach.xlsx", data)
    message = "READ"
except UnreadableFile as exc:
    message = str(exc)
elapsed = time.perf_counter() - started
grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(f"{elapsed:.3f} {grown // 1024}")
print(message)
"""


def measure(tmp_path, data) -> tuple[float, int, str]:
    """Read `data` in a child process whose address space may grow by 300 MiB at most: the
    seconds taken, the MiB its resident memory grew by, the message (in Vietnamese)."""
    path = tmp_path / "danh-sach.xlsx"
    path.write_bytes(data)
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    first, message = out.stdout.split("\n", 1)
    elapsed, grown = first.split()
    return float(elapsed), int(grown), message.strip()


def test_it_refuses_hostile_workbooks_in_under_a_second_and_100_mib(tmp_path, bomb):
    cases = [
        (hostile.corners(), "vượt quá 200.000 dòng"),
        (bomb, "200 MB"),
        (hostile.bomb(unpacked=500_000_000, declared=200_000), "kích thước đã khai"),
    ]
    for data, expected in cases:
        elapsed, grown, message = measure(tmp_path, data)
        assert expected in message and "danh-sach.xlsx" in message, message
        assert elapsed < 1 and grown < 100, (elapsed, grown, message)


def test_the_command_prints_the_refusal_and_writes_nothing(tree, tmp_path, bomb):
    path = tmp_path / "bom.xlsx"
    path.write_bytes(bomb)
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_roster", str(path), unit="A", lang="en", stderr=err, no_progress=True)
    assert "“bom.xlsx” would unpack to more than 200 MB" in err.getvalue()
    assert snapshot() == before


def test_the_page_shows_the_refusal_and_writes_nothing(client, people, tree, bomb):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["alice"])
    before = snapshot()
    for name, data in (("bom.xlsx", bomb), ("goc.xlsx", hostile.corners())):
        response = client.post(
            reverse("roster_import", args=[tree["A"].pk]),
            {"file": SimpleUploadedFile(name, data)},
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Chưa nhập dữ liệu nào" in page and name in page
    assert snapshot() == before


def test_it_refuses_a_csv_whose_encoding_cannot_be_told(tree):
    data = codecs.BOM_UTF16_LE + b"\x00\xd8"  # a lone surrogate after a UTF-16 mark
    assert "UTF-16" in refused(tree, data, "ds.csv")[0]


def test_what_reads_is_a_table(tree):
    assert isinstance(read_table("ds.csv", csv_text().encode("utf-16")), Table)
    with pytest.raises(UnreadableFile):
        read_table("ds.csv", b"\xff\xfe\x00")


def many_bad_rows(n: int) -> bytes:
    """`n` rows, each with one problem: a birth date that is not a date."""
    row = ["Tên Số Một", "không rõ", "Nam", "", "19/05/1990", "", "A1", ""]
    return xlsx([[*row[:3], f"{80000000 + i}", *row[4:]] for i in range(n)])


def test_the_page_lists_the_first_200_problems_and_counts_the_rest(client, people, tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["alice"])
    before = snapshot()
    page = client.post(
        reverse("roster_import", args=[tree["A"].pk]),
        {"file": SimpleUploadedFile("ds.xlsx", many_bad_rows(2500))},
    ).content.decode()
    assert page.count("không rõ</td>") == 200
    assert "… và 2.300 lỗi khác." in page and "tệp có 2.500 lỗi" in page
    assert snapshot() == before


def test_the_command_prints_the_first_200_problems_and_counts_the_rest(tree, tmp_path):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(many_bad_rows(2500))
    err = io.StringIO()
    before = snapshot()
    with pytest.raises(CommandError, match="2.500 problem"):
        call_command("import_roster", str(path), unit="A", stderr=err, no_progress=True)
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 201 and lines[-1] == "… và 2.300 lỗi khác."
    assert snapshot() == before
