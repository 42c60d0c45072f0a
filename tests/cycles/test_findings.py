"""Every fact the rule core takes has a place where someone enters it or a query that derives
it (issue 13): findings, a leader's confidence vote, the discipline of a collective's members,
the level of the collective a leader heads, the organization's form and HD 27's counts."""

import dataclasses
import datetime

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.cycles.helpers import appraise, open_year, self_rate, ward
from xeploai.accounts.models import Role
from xeploai.audit.models import Event
from xeploai.cycles.facts import build_facts, verdict_json
from xeploai.cycles.models import ConfidenceVote, Finding, FindingKind, Subject
from xeploai.cycles.services.assessments import appraisal_record
from xeploai.cycles.services.findings import confidence_vote_record, finding_record
from xeploai.errors import AppError
from xeploai.org.models import Discipline, DisciplineForm, UnitKind
from xeploai.org.services import unit_create
from xeploai.rules import Facts, Level, Mitigation, OrgForm, load_regulation

DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def season(db):
    t = ward()
    return t, open_year(t["P"])


def _subject(cycle, kind, unit):
    return Subject.objects.filter(cycle=cycle, kind=kind, unit=unit).order_by("pk").first()


def _facts(subject) -> Facts:
    subject.refresh_from_db()
    return build_facts(subject, load_regulation(subject.cycle.regulation))


def _finding(t, subject, kind, count=1):
    finding_record(
        actor=t["sam"],
        subject=subject,
        kind=kind,
        found_on=DAY,
        evidence="Kết luận số 12-KL/ĐUP",
        count=count,
    )


def _member(t, cycle):
    return Subject.objects.get(cycle=cycle, kind="member", member=t["c1"][2])


def _discipline(t, member, unit):
    Discipline.objects.create(
        member=member,
        form=DisciplineForm.REPRIMAND,
        violation_on=datetime.date(2026, 3, 1),
        decided_on=datetime.date(2026, 6, 1),
        unit_of_act=unit,
        duty_related=True,
    )


# Where each field of Facts comes from: a callable that enters the fact the way the app does
# (a service, the roster, the cycle) and returns the subject whose facts now carry it.
def _member_finding(kind):
    def enter(t, cycle):
        s = _member(t, cycle)
        _finding(t, s, kind)
        return s

    return enter


def _org_finding(kind, count=1):
    def enter(t, cycle):
        s = _subject(cycle, "party_organization", t["W"])
        _finding(t, s, kind, count)
        return s

    return enter


def _scored(t, cycle):
    s = _member(t, cycle)
    self_rate(t["sam"], s, "good")
    return s


def _appraised(t, cycle):
    s = _scored(t, cycle)
    appraise(t["sam"], s, "good", grades={"political_task": "good"})
    return s


def _member_discipline(t, cycle):
    _discipline(t, t["c1"][3], t["C1"])
    return _subject(cycle, "party_organization", t["C1"])


def _own_discipline(t, cycle):
    _discipline(t, t["c1"][2], t["C1"])
    return _member(t, cycle)


def _confidence(t, cycle):
    s = _subject(cycle, "leader", t["C1"])
    confidence_vote_record(
        actor=t["sam"],
        subject=s,
        held_on=DAY,
        ballots_issued=10,
        ballots_valid=10,
        high=2,
        medium=2,
        low=6,
    )
    return s


def _led_collective(t, cycle):
    collective = _subject(cycle, "leadership_collective", t["C1"])
    Subject.objects.filter(pk=collective.pk).update(proposed_level=Level.GOOD)
    return _subject(cycle, "leader", t["C1"])


def _leader(t, cycle):
    return _subject(cycle, "leader", t["C1"])


def _organization(t, cycle):
    return _subject(cycle, "party_organization", t["W"])


def _state_rating(t, cycle):
    s = _scored(t, cycle)
    s.refresh_from_db()
    appraisal_record(
        actor=t["sam"],
        subject=s,
        version=s.version,
        proposed_level="good",
        votes={"good": 5},
        attendees=6,
        state_rating="good",
    )
    return s


SOURCES = {
    "kind": (_member, lambda f: f.kind == "member"),
    "period": (_member, lambda f: f.period.start == datetime.date(2026, 1, 1)),
    "unit": (_member, lambda f: f.unit is not None),
    "scores": (_scored, lambda f: bool(f.scores)),
    "assessed_level": (_scored, lambda f: f.assessed_level == Level.GOOD),
    "tasks": (_scored, lambda f: f.tasks is not None and f.tasks.total == 10),
    "discipline": (_own_discipline, lambda f: len(f.discipline) == 1),
    "member_discipline": (_member_discipline, lambda f: len(f.member_discipline) == 1),
    "subordinate_units_disciplined": (
        _org_finding(FindingKind.SUBORDINATES_DISCIPLINED, 2),
        lambda f: f.subordinate_units_disciplined == 2,
    ),
    "degradation_finding": (
        _member_finding(FindingKind.DEGRADATION),
        lambda f: f.degradation_finding,
    ),
    "prohibited_conduct": (_member_finding(FindingKind.PROHIBITED), lambda f: f.prohibited_conduct),
    "cadre_work_wrongdoing": (
        _member_finding(FindingKind.CADRE_WORK),
        lambda f: f.cadre_work_wrongdoing,
    ),
    "managed_corruption_disciplined": (
        _member_finding(FindingKind.CORRUPTION),
        lambda f: f.managed_corruption_disciplined,
    ),
    "basic_targets_missed": (
        _org_finding(FindingKind.BASIC_TARGETS, 3),
        lambda f: f.basic_targets_missed == 3,
    ),
    "low_confidence_share": (_confidence, lambda f: str(f.low_confidence_share) == "0.6"),
    "led_units": (_leader, lambda f: f.led_units is not None),
    "led_collective_level": (_led_collective, lambda f: f.led_collective_level == Level.GOOD),
    "shortcomings": (_member, lambda f: f.shortcomings.total == 0),
    "state_rating": (_state_rating, lambda f: f.state_rating == Level.GOOD),
    "long_leave": (_member_finding(FindingKind.LONG_LEAVE), lambda f: f.long_leave),
    "mitigation": (
        _member_finding(FindingKind.SELF_DETECTED),
        lambda f: f.mitigation == frozenset({Mitigation.SELF_DETECTED}),
    ),
    "political_task_grade": (_appraised, lambda f: f.political_task_grade is not None),
    "other_criteria_grade": None,  # graded by the meeting under HD 21 (G132): see below
    "org_form": (_organization, lambda f: f.org_form == OrgForm.PARTY_UNIT),
    "g27": (
        _org_finding(FindingKind.COMMITTEE_DISUNITY),
        lambda f: f.g27 is not None and f.g27.committee_disunity and f.g27.members_total > 0,
    ),
}


def test_every_fact_of_the_rule_core_has_a_source():
    """Fails when the rule core grows a fact that nothing in the app enters or derives."""
    assert set(SOURCES) == {f.name for f in dataclasses.fields(Facts)}


@pytest.mark.parametrize("name", [n for n, v in SOURCES.items() if v is not None])
def test_the_fact_reaches_the_rule_core(season, name):
    t, cycle = season
    enter, carried = SOURCES[name]
    facts = _facts(enter(t, cycle))
    assert carried(facts), getattr(facts, name)


def test_the_other_criteria_grade_reaches_the_rule_core(season):
    t, cycle = season
    s = _scored(t, cycle)
    appraise(t["sam"], s, "good", grades={"other_criteria": "good"})
    assert _facts(s).other_criteria_grade is not None


def test_a_leader_with_a_majority_of_low_confidence_is_not_complete(season):
    """A 92 and every task done would be Excellent; more than half of the valid ballots at
    low confidence make it Not complete (QĐ 366 Điều 11), with the reason on the board."""
    t, cycle = season
    leader = _leader(t, cycle)
    # The cell the leader heads did its own tasks (its results bound the leader's, R14).
    self_rate(t["sam"], _subject(cycle, "party_organization", t["C1"]), "good")
    self_rate(t["sam"], leader, "excellent", "28", "64", (10, 10, 10, 0, 4))
    appraise(t["sam"], leader, "excellent")
    leader.refresh_from_db()
    assert leader.appraisal.verdict["level"] != Level.NOT_COMPLETE
    _confidence(t, cycle)
    leader.refresh_from_db()
    verdict = leader.appraisal.verdict
    assert verdict["level"] == Level.NOT_COMPLETE, verdict
    assert any("tín nhiệm" in r["vi"] for r in verdict["reasons"]), verdict["reasons"]


def test_a_finding_of_degradation_makes_a_member_not_complete_and_mitigation_hands_it_over(
    season,
):
    t, cycle = season
    s = _member(t, cycle)
    self_rate(t["sam"], s, "good")
    regulation = load_regulation(cycle.regulation)
    assert verdict_json(s, regulation)["level"] != Level.NOT_COMPLETE
    _finding(t, s, FindingKind.DEGRADATION)
    assert verdict_json(s, regulation)["level"] == Level.NOT_COMPLETE


def test_a_member_disciplined_for_an_act_in_the_cell_counts_against_it(season):
    t, cycle = season
    org = _member_discipline(t, cycle)
    (record,) = _facts(org).member_discipline
    assert record.unit == str(t["C1"].pk)
    # The same act, done while seconded to another province's unit, counts there.
    Discipline.objects.all().delete()
    other = unit_create(
        actor=None,
        code="Q",
        name="Đảng bộ tỉnh Khác",
        kind=UnitKind.PROVINCIAL_COMMITTEE,
        parent=None,
        on=datetime.date(2020, 1, 1),
    )
    _discipline(t, t["c1"][3], other)
    (record,) = _facts(org).member_discipline
    assert record.unit == str(other.pk)


def test_a_confidence_tally_that_does_not_add_up_is_refused_and_nothing_is_written(season):
    t, cycle = season
    leader = _leader(t, cycle)
    events = Event.objects.count()
    with pytest.raises(AppError) as refused:
        confidence_vote_record(
            actor=t["sam"],
            subject=leader,
            held_on=DAY,
            ballots_issued=10,
            ballots_valid=11,
            high=5,
            medium=5,
            low=1,
        )
    assert refused.value.field == "ballots_valid"
    assert not ConfidenceVote.objects.exists() and Event.objects.count() == events


def test_a_confidence_vote_is_for_leaders_only(season):
    t, cycle = season
    with pytest.raises(AppError):
        confidence_vote_record(
            actor=t["sam"],
            subject=_member(t, cycle),
            held_on=DAY,
            ballots_issued=10,
            ballots_valid=10,
            high=10,
            medium=0,
            low=0,
        )


# --- the page ------------------------------------------------------------------------------


def test_staff_record_a_finding_on_the_page_and_the_verdict_follows(season, client):
    t, cycle = season
    s = _member(t, cycle)
    self_rate(t["sam"], s, "good")
    appraise(t["sam"], s, "good")
    client.force_login(t["sam"])
    url = reverse("subject_findings", args=[s.pk])
    page = client.get(url).content.decode()
    assert "Kết luận suy thoái" in page or "suy thoái" in page
    response = client.post(
        url,
        {"kind": "degradation_finding", "found_on": "20/11/2026", "evidence": "Kết luận 12-KL"},
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.appraisal.verdict["level"] == Level.NOT_COMPLETE
    page = client.get(url).content.decode()
    assert "degradation_finding</" not in page and "20/11/2026" in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("kind", "no_such_finding"),
        ("found_on", "31/02/2026"),
        ("found_on", "01/01/2019"),
        ("evidence", ""),
        ("evidence", "x" * 100_000),
        ("count", "-5"),
        ("count", "abc"),
        ("count", "1e9"),
        ("evidence", "a\x00b"),
    ],
)
def test_a_bad_finding_is_refused_beside_its_field_and_nothing_is_written(
    season, client, field, value
):
    t, cycle = season
    s = _member(t, cycle)
    client.force_login(t["sam"])
    data = {"kind": "prohibited_conduct", "found_on": "20/11/2026", "evidence": "Biên bản"}
    data[field] = value
    events = Event.objects.count()
    response = client.post(reverse("subject_findings", args=[s.pk]), data)
    assert response.status_code == 400
    assert not Finding.objects.exists() and Event.objects.count() == events


@pytest.mark.parametrize("who", ["m2", "stranger"])
def test_a_member_or_a_stranger_cannot_record_findings(season, client, who):
    t, cycle = season
    if who == "stranger":
        other = unit_create(
            actor=None,
            code="Q",
            name="Đảng bộ tỉnh Khác",
            kind=UnitKind.PROVINCIAL_COMMITTEE,
            parent=None,
            on=datetime.date(2020, 1, 1),
        )
        user = make_user("otto", Role.ORGANIZATION_STAFF, other)
    else:
        user = t["m2"]
    s = _member(t, cycle)
    client.force_login(user)
    for name in ("subject_findings", "subject_confidence", "subject_finding_remove"):
        response = client.post(
            reverse(name, args=[s.pk]),
            {"kind": "prohibited_conduct", "found_on": "20/11/2026", "evidence": "x"},
        )
        assert response.status_code in (403, 404)
    assert not Finding.objects.exists()
