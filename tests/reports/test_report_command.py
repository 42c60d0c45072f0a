"""`xeploai report CYCLE --unit CODE --format xlsx|docx|pdf -o FILE`."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.reports.conftest import docx_rows, pdf_text
from xeploai.cycles.models import Subject
from xeploai.org.tree import subtree_q
from xeploai.reports.rollup import children_tallies


def run(*args) -> str:
    err = io.StringIO()
    call_command("report", *args, stdout=io.StringIO(), stderr=err)
    return err.getvalue()


def c2_numbers(season) -> list[str]:
    """C2's row of the members table: members to review, the four levels, not reviewed."""
    _own, children = children_tallies(season["cycle"], season["W"])
    c2 = next(t for t in children if t.unit.pk == season["C2"].pk)
    return [
        str(c2.total("member")),
        *(str(n) for n in c2.members().values()),
        str(sum(c2.excluded().values())),
    ]


def test_it_writes_the_workbook_with_a_progress_bar(season, tmp_path):
    out = tmp_path / "thong-ke.xlsx"
    err = run(str(season["cycle"].pk), "--unit", "W", "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out).worksheets[0]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == season["C2"].name)
    assert [str(x) for x in row[1:7]] == c2_numbers(season)
    subjects = (
        Subject.objects.filter(cycle=season["cycle"])
        .filter(subtree_q(season["W"].path, "unit__path"))
        .count()
    )
    assert f"Đối tượng: {subjects}/{subjects}" in err


def test_it_writes_the_word_report(season, tmp_path):
    out = tmp_path / "thong-ke.docx"
    run(str(season["cycle"].pk), "--unit", "W", "--format", "docx", "-o", str(out))
    rows = [r for r in docx_rows(out.read_bytes()) if r[0] == season["C2"].name]
    assert rows[0][1:] == c2_numbers(season)


def test_it_writes_the_pdf_report_in_english_when_asked(season, tmp_path):
    out = tmp_path / "statistics.pdf"
    err = run(
        str(season["cycle"].pk), "--unit", "W", "--format", "pdf", "-o", str(out), "--lang", "en"
    )
    text = pdf_text(out.read_bytes())
    assert "STATISTICS OF THE QUALITY CLASSIFICATION" in text
    assert " ".join([season["C2"].name, *c2_numbers(season)]) in text
    assert "Writing the file: 1/1" in err


@pytest.mark.parametrize(
    "args, message",
    [
        (["999", "--unit", "W"], "Không có kỳ đánh giá số “999”."),
        (["{cycle}", "--unit", "NOPE"], "Không có đơn vị mã “NOPE”."),
        (["{cycle}", "--unit", "W", "--format", "odt"], "Không có định dạng “odt”"),
        (["{cycle}", "--unit", "W", "--lang", "fr"], "Không có ngôn ngữ “fr”"),
        (["{cycle}", "--unit", "W", "--format", "xlsx"], "không có đuôi .xlsx"),
    ],
)
def test_it_says_in_vietnamese_what_is_wrong(season, tmp_path, args, message):
    args = [a.format(cycle=season["cycle"].pk) for a in args]
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message):
        run(*args, "-o", str(out))
    assert not out.exists()


def test_it_refuses_a_missing_folder(season, tmp_path):
    out = tmp_path / "missing" / "x.xlsx"
    with pytest.raises(CommandError, match="Không có thư mục"):
        run(str(season["cycle"].pk), "--unit", "W", "-o", str(out))


def test_it_takes_the_format_from_the_file_name(season, tmp_path):
    out = tmp_path / "thong-ke.pdf"
    run(str(season["cycle"].pk), "--unit", "W", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert season["C2"].name in pdf_text(out.read_bytes())


def test_it_says_where_it_looked_when_there_is_no_database(tmp_path):
    """Run from a folder without the data: a message naming the file, not a traceback."""
    env = {**os.environ, "XEPLOAI_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    env.pop("XEPLOAI_TEST_DATABASE", None)
    out = subprocess.run(
        [sys.executable, "-m", "xeploai.cli", "report", "1", "--unit", "X", "-o", "x.pdf"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "Không có cơ sở dữ liệu xeploai" in out.stderr and str(tmp_path) in out.stderr
    assert "Traceback" not in out.stderr
