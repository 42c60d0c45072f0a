"""Whatever numbers are typed into the meeting's tally or a sheet's items, the form accepts exactly
the ones that fit: votes no more than present, present no more than convened, a reason for a
proposal the majority did not vote for; each item and each group within its maximum."""

from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from xeploai.cycles.forms import AppraisalForm, SelfAssessmentForm
from xeploai.cycles.selectors import Convened
from xeploai.rules import load_regulation

LEVELS = ("excellent", "good", "complete", "not_complete")
COUNTS = st.one_of(st.integers(min_value=0, max_value=60), st.sampled_from(["", "-5", "1e9"]))


@settings(max_examples=300, deadline=None)
@given(
    votes=st.lists(COUNTS, min_size=4, max_size=4),
    attendees=COUNTS,
    convened=st.one_of(st.none(), st.integers(min_value=1, max_value=60)),
    proposed=st.sampled_from(LEVELS),
    reason=st.sampled_from(["", "  ", "Chưa hoàn thành chỉ tiêu"]),
)
def test_a_tally_is_accepted_exactly_when_it_fits(votes, attendees, convened, proposed, reason):
    data = {f"votes_{level}": str(v) for level, v in zip(LEVELS, votes, strict=True)}
    data.update(version="1", attendees=str(attendees), proposed_level=proposed, reason=reason)
    with translation.override("vi"):
        form = AppraisalForm(data, convened=Convened(convened, True))
        accepted = form.is_valid()
    numbers = [v for v in (*votes, attendees) if isinstance(v, int)]
    if len(numbers) < 5:
        assert not accepted
        return
    cast = sum(votes)
    top = max(votes)
    fits = (
        cast <= attendees
        and (convened is None or attendees <= convened)
        and cast > 0
        and (votes[LEVELS.index(proposed)] == top or reason.strip())
    )
    assert accepted == bool(fits), form.errors
    if not accepted:
        assert form.messages()


SHEET = load_regulation("G366").sheets["PL3"]
GENERAL = next(g for g in SHEET.groups if g.code == "general")


@settings(max_examples=300, deadline=None)
@given(
    points=st.lists(
        st.one_of(
            st.decimals(min_value=0, max_value=35, places=1).map(str),
            st.sampled_from(["", "abc", "-1", "1e1", "31"]),
        ),
        min_size=len(GENERAL.items),
        max_size=len(GENERAL.items),
    )
)
def test_a_group_is_accepted_exactly_when_its_items_and_sum_fit(points):
    data = {"version": "1"}
    data.update({f"score_{i.code}": p for i, p in zip(GENERAL.items, points, strict=True)})
    with translation.override("vi"):
        form = SelfAssessmentForm(data, sheet=SHEET)
        accepted = form.is_valid()
    numbers = []
    for p in points:
        if p == "":
            continue
        try:
            value = Decimal(p)
        except ArithmeticError:
            assert not accepted
            return
        if p in ("1e1", "-1") or value > GENERAL.max_points:
            assert not accepted
            return
        numbers.append(value)
    total = sum(numbers, Decimal(0))
    assert accepted == (total <= GENERAL.max_points), form.errors
    if not accepted:
        assert "group_general" in form.field_errors()
        assert f"là {format(total.normalize(), 'f').replace('.', ',')}, tối đa 30" in str(
            form.field_errors()["group_general"]
        )
