"""Whatever a tree file holds, the import answers a result: all its rows written, or nothing
written and every problem placed. No exception escapes, nothing is half-written."""

import csv
import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import START
from tests.org.test_tree_import import HEADER, snapshot
from xeploai.org.models import Unit
from xeploai.org.treeio.importer import tree_import

SETTINGS = settings(
    max_examples=int(os.environ.get("XEPLOAI_HYPOTHESIS_EXAMPLES", 60)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CODES = st.sampled_from(["", "P", "A", "A1", "B", "N1", "N2", "N3", "x" * 70])
TEXT = st.text(max_size=30)
KINDS = st.sampled_from(["Chi bộ trực thuộc", "Đảng bộ bộ phận", "Đảng bộ cơ sở", "", "lạ"])
ROW = st.tuples(
    CODES | TEXT,
    TEXT,
    KINDS | TEXT,
    st.sampled_from(["", "Xã", "Phường", "khác"]) | TEXT,
    CODES,
    st.sampled_from(["", "Có", "không", "x"]) | TEXT,
)


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


@SETTINGS
@given(rows=st.lists(ROW, min_size=1, max_size=8))
def test_any_rows_are_all_written_or_none(tree, rows):
    before = snapshot()
    units_before = Unit.objects.count()
    result = tree_import(actor=None, root=tree["A"], filename="cay.csv", data=_csv(rows), on=START)
    if result.ok:
        assert Unit.objects.count() == units_before + result.created
        assert result.created + result.updated + result.unchanged == result.rows
        for unit in Unit.objects.filter(path__startswith=tree["A"].path).exclude(pk=tree["A"].pk):
            assert unit.path == f"{unit.parent.path}{unit.pk}/"
        # The same file again changes nothing.
        again = snapshot()
        second = tree_import(
            actor=None, root=tree["A"], filename="cay.csv", data=_csv(rows), on=START
        )
        assert second.ok and second.created == 0 and snapshot() == again
    else:
        assert all(p.reason for p in result.problems)
        assert snapshot() == before
