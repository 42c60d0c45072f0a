"""The cell meeting's tally (step 2): which numbers fit together. One definition, asked by the
page's form (cycles/forms.py, errors beside the fields) and by the service
(services/assessments.py, for every other caller), so the two cannot disagree.

HD 43 §8.13 and QĐ 366 Điều 12: the meeting votes on the proposed level; those present are no
more than those convened, the votes no more than those present, and a proposal that is not the
level most of the meeting voted for is written down with its reason."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def majority_levels(votes: dict[str, int]) -> set[str]:
    """The level(s) with the most votes; none when nobody voted."""
    top = max(votes.values(), default=0)
    return {level for level, n in votes.items() if n == top} if top else set()


def tally_problems(
    *,
    votes: dict[str, int],
    attendees: int | None,
    convened: int | None,
    cell: bool = True,
    proposed_level: str,
    reason: str,
) -> list[tuple[str, str]]:
    """(field, message) for each thing that does not fit; empty when the tally holds."""
    problems = []
    cast = sum(votes.values())
    if attendees is None:
        problems.append(("attendees", _("write how many members were present.")))
    elif convened is not None and attendees > convened:
        message = (
            _("%(present)s members present, but the cell has %(members)s.")
            if cell
            else _("%(present)s members present, but only %(members)s were convened.")
        )
        problems.append(
            ("attendees", message % {"present": _n(attendees), "members": _n(convened)})
        )
    elif cast > attendees:
        problems.append(
            (
                "attendees",
                _("%(votes)s votes were written but only %(present)s members were present.")
                % {"votes": _n(cast), "present": _n(attendees)},
            )
        )
    if not cast:
        problems.append(("votes", _("no votes are written; write how many voted for each level.")))
    majority = majority_levels(votes)
    if majority and proposed_level not in majority and not reason.strip():
        problems.append(
            (
                "reason",
                _("the meeting voted mostly for another level: write why this level is proposed."),
            )
        )
    return problems
