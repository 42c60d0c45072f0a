import datetime

import pytest

from tests.conftest import make_member
from xeploai.errors import AppError
from xeploai.org.models import Member, Membership, Unit, UnitEventKind, UnitKind, UnitLink
from xeploai.org.selectors import member_cell_on, subtree_members, subtree_units, unit_parent_on
from xeploai.org.services import unit_create, unit_dissolve, unit_merge, unit_move, unit_rename

MOVE_DAY = datetime.date(2025, 9, 1)


def test_it_gives_each_unit_a_path_of_its_ancestors(tree):
    a1 = tree["A1"]
    assert a1.path == f"/{tree['P'].pk}/{tree['A'].pk}/{a1.pk}/"
    assert a1.depth == 2


def test_it_finds_a_subtree_in_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = sorted(subtree_units(tree["A"]).values_list("code", flat=True))
    assert codes == ["A", "A1", "A2"]


def test_it_does_not_confuse_ids_sharing_a_prefix(tree):
    # A unit with id 1 must not pull in the subtree of id 12, 13, ... (path "/1/" vs "/12/").
    ids = {u.pk for u in Unit.objects.all()}
    for unit in Unit.objects.all():
        inside = {u.pk for u in subtree_units(unit)}
        expected = {u.pk for u in Unit.objects.all() if u.path.startswith(unit.path)}
        assert inside == expected
        assert inside <= ids


def test_it_counts_members_of_a_subtree(people, tree):
    assert subtree_members(tree["A"]).count() == 2
    assert subtree_members(tree["P"]).count() == 3


def test_it_moves_a_unit_with_its_subtree_and_keeps_the_old_parent(tree, people):
    sub = unit_create(
        actor=None,
        code="A9",
        name="Đảng bộ bộ phận",
        kind=UnitKind.PARTIAL_COMMITTEE,
        parent=tree["A"],
        on=datetime.date(2025, 7, 2),
    )
    deep = unit_create(
        actor=None,
        code="A91",
        name="Chi bộ sâu",
        kind=UnitKind.SUBORDINATE_CELL,
        parent=sub,
        on=datetime.date(2025, 7, 2),
    )
    make_member(deep, "Phạm Văn Sâu", "30000001")

    unit_move(actor=None, unit=sub, new_parent=tree["B"], on=MOVE_DAY)

    deep.refresh_from_db()
    assert deep.path.startswith(tree["B"].path) and deep.depth == 3
    assert {u.code for u in subtree_units(tree["B"])} == {"B", "B1", "A9", "A91"}
    assert subtree_members(tree["B"]).filter(full_name="Phạm Văn Sâu").exists()
    assert not subtree_members(tree["A"]).filter(full_name="Phạm Văn Sâu").exists()
    assert unit_parent_on(sub, datetime.date(2025, 8, 31)) == tree["A"]
    assert unit_parent_on(sub, MOVE_DAY) == tree["B"]
    assert sub.events.filter(kind=UnitEventKind.MOVED, on=MOVE_DAY).exists()


def test_it_refuses_to_move_a_unit_under_its_own_descendant(tree):
    with pytest.raises(AppError):
        unit_move(actor=None, unit=tree["A"], new_parent=tree["A"], on=MOVE_DAY)
    sub = unit_create(
        actor=None,
        code="A9",
        name="Bộ phận",
        kind=UnitKind.PARTIAL_COMMITTEE,
        parent=tree["A"],
        on=MOVE_DAY,
    )
    with pytest.raises(AppError):
        unit_move(actor=None, unit=tree["A"], new_parent=sub, on=MOVE_DAY)


def test_it_refuses_to_put_units_inside_a_cell(tree):
    with pytest.raises(AppError):
        unit_move(actor=None, unit=tree["A2"], new_parent=tree["A1"], on=MOVE_DAY)


def test_it_renames_and_remembers_the_old_name(tree):
    unit_rename(actor=None, unit=tree["A1"], name="Chi bộ Khu phố 1", on=MOVE_DAY)
    event = tree["A1"].events.get(kind=UnitEventKind.RENAMED)
    assert (event.old_value, event.new_value) == ("Chi bộ Thôn 1", "Chi bộ Khu phố 1")


def test_it_merges_two_cells_moving_members_with_history(tree, people):
    moved = make_member(tree["A2"], "Hoàng Văn Hai", "10000009")

    unit_merge(actor=None, source=tree["A2"], target=tree["A1"], on=MOVE_DAY)

    a2 = Unit.objects.get(code="A2")
    assert a2.dissolved_on == MOVE_DAY and a2.merged_into_id == tree["A1"].pk
    moved.refresh_from_db()
    assert moved.cell_id == tree["A1"].pk
    assert member_cell_on(moved, datetime.date(2025, 8, 31)) == tree["A2"]
    assert member_cell_on(moved, MOVE_DAY) == tree["A1"]
    assert Membership.objects.filter(member=moved).count() == 2
    assert a2.events.filter(kind=UnitEventKind.MERGED).exists()
    assert UnitLink.objects.get(unit=a2).valid_to == MOVE_DAY - datetime.timedelta(days=1)


def test_it_merges_committees_moving_their_cells(tree, people):
    unit_merge(actor=None, source=tree["B"], target=tree["A"], on=MOVE_DAY)
    b1 = Unit.objects.get(code="B1")
    assert b1.parent_id == tree["A"].pk and b1.path.startswith(tree["A"].path)
    assert Member.objects.get(card_number="20000001").cell_id == b1.pk
    assert unit_parent_on(b1, datetime.date(2025, 8, 1)) == tree["B"]


def test_it_refuses_to_dissolve_a_cell_that_still_has_members(tree, people):
    with pytest.raises(AppError):
        unit_dissolve(actor=None, unit=tree["A1"], on=MOVE_DAY)
    unit_dissolve(actor=None, unit=tree["A2"], on=MOVE_DAY)
    assert Unit.objects.get(code="A2").dissolved_on == MOVE_DAY


def test_it_refuses_to_reuse_a_unit_code(tree):
    with pytest.raises(AppError):
        unit_create(
            actor=None,
            code="A1",
            name="Trùng mã",
            kind=UnitKind.SUBORDINATE_CELL,
            parent=tree["A"],
            on=MOVE_DAY,
        )
