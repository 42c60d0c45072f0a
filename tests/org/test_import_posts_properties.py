"""Whatever the cells of the posts and discipline sheets hold, the import answers: either every
row is taken, and taking the same workbook again changes nothing, or nothing is written and
every problem names its sheet, row and column."""

import datetime
import os

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.org.test_import_posts import (
    DISCIPLINE_HEADER,
    DISCIPLINES,
    POST_HEADER,
    POSTS,
    run,
    snapshot,
    workbook,
)

SETTINGS = settings(
    max_examples=int(os.environ.get("XEPLOAI_HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Text a spreadsheet can hold: openpyxl refuses control characters, and the reader's own
# refusal of them is tested in test_import.py.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029"),
    max_size=24,
)
DATES = st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))


def cell(column: int, rows: list[list[str]]):
    """What people type in that column: a value from a good row, text, a date, a number."""
    return st.one_of(
        st.sampled_from([r[column] for r in rows]),
        TEXT,
        DATES.map(lambda d: d.strftime("%d/%m/%Y")),
        DATES,
        st.integers(-10, 10**9),
        st.sampled_from(["", " ", "Có", "Không", "A1", "A", "B1", "Bí thư", "79000001"]),
    )


def sheet(header, good):
    row = st.tuples(*(cell(i, good) for i in range(len(header)))).map(list)
    return st.lists(row, max_size=4)


def outcome_is_whole(tree, posts, disciplines):
    data = workbook(posts=posts, disciplines=disciplines)
    before = snapshot()
    result = run(tree, data)
    if not result.ok:
        assert snapshot() == before
        for p in result.problems:
            assert p.sheet in ("Danh sách", "Chức vụ", "Kỷ luật") and p.reason, p
            assert p.row is None or p.row >= 1
        return
    again = run(tree, data)
    assert again.ok and not again.changed, again


@SETTINGS
@given(posts=sheet(POST_HEADER, POSTS), disciplines=sheet(DISCIPLINE_HEADER, DISCIPLINES))
def test_any_cells_of_the_new_sheets(tree, posts, disciplines):
    with transaction.atomic():
        outcome_is_whole(tree, posts, disciplines)
        transaction.set_rollback(True)


@SETTINGS
@given(
    post=st.integers(0, len(POSTS) - 1),
    column=st.integers(0, len(POST_HEADER) - 1),
    value=st.one_of(TEXT, DATES, st.integers()),
)
def test_one_changed_cell_of_a_good_posts_sheet(tree, post, column, value):
    posts = [list(p) for p in POSTS]
    posts[post][column] = value
    with transaction.atomic():
        outcome_is_whole(tree, posts, DISCIPLINES)
        transaction.set_rollback(True)
