import datetime

from tests.cycles.helpers import ward
from xeploai.cycles.models import Step, Subject, SubjectLink
from xeploai.cycles.services.enrolment import cycle_open

END = datetime.date(2026, 12, 31)


def open_cycle(t, actor=None):
    return cycle_open(
        actor=actor,
        unit=t["P"],
        name="Năm 2026",
        period_kind="year",
        period_start=datetime.date(2026, 1, 1),
        period_end=END,
    )


def test_it_enrols_every_subject_of_the_subtree_with_its_exclusions(db):
    t = ward()
    cycle = open_cycle(t)
    assert cycle.regulation == "G366"
    subjects = Subject.objects.filter(cycle=cycle)
    kinds = {}
    for s in subjects.exclude(step=Step.EXCLUDED):
        kinds[s.kind] = kinds.get(s.kind, 0) + 1
    # 9 members (the secretary as a leader), 4 organizations, 3 collectives (P, W, C1 which
    # has a cell committee), 1 leader post.
    assert kinds == {"member": 8, "leader": 2, "party_organization": 4, "leadership_collective": 3}
    excluded = dict(
        subjects.filter(step=Step.EXCLUDED).values_list("member__card_number", "excluded_reason")
    )
    assert excluded == {"20000003": "exempt", "20000004": "admitted_under_6_months"}


def test_it_gives_each_subject_its_deciding_unit(db):
    t = ward()
    cycle = open_cycle(t)
    decider = {
        (s.kind, s.unit.code, bool(s.position_id)): s.deciding_unit and s.deciding_unit.code
        for s in Subject.objects.filter(cycle=cycle).select_related("unit", "deciding_unit")
    }
    assert decider[("member", "C1", False)] == "W"
    assert decider[("party_organization", "C1", False)] == "W"
    assert decider[("leadership_collective", "C1", False)] == "W"
    assert decider[("leader", "C1", True)] == "W"
    assert decider[("party_organization", "W", False)] == "P"
    assert decider[("party_organization", "P", False)] is None  # above the tree


def test_it_links_subjects_for_the_decision_order(db):
    t = ward()
    cycle = open_cycle(t)
    links = {
        (link.source.kind, link.relation, link.target.kind, link.target.unit.code)
        for link in SubjectLink.objects.filter(cycle=cycle).select_related(
            "source", "target", "target__unit"
        )
    }
    assert ("member", "member_of", "party_organization", "C1") in links
    assert ("leadership_collective", "belongs_to", "party_organization", "C1") in links
    assert ("party_organization", "sub_unit_of", "party_organization", "W") in links
    assert ("leader", "leads", "leadership_collective", "C1") in links


def test_it_enrols_in_a_handful_of_queries(db, django_assert_max_num_queries):
    t = ward()
    with django_assert_max_num_queries(25):
        open_cycle(t)


def test_every_reason_the_rule_core_gives_has_a_label():
    from xeploai.cycles.models import ExcludedReason
    from xeploai.rules.enums import ExclusionReason

    assert set(ExcludedReason.values) == {reason.value for reason in ExclusionReason}
