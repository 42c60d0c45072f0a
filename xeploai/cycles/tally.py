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


def task_problems(tasks: dict[str, int]) -> list[tuple[str, str]]:
    """The year's task counts add up as the rule core counts them (QĐ 366 Điều 11, HD 43 §8.5):
    completed = on time + late, no more completed than assigned, no more exceeding requirements
    than completed. (field, message) for each that does not; nothing to check when no task is
    assigned."""
    total, completed = tasks.get("total") or 0, tasks.get("completed") or 0
    on_time, late = tasks.get("on_time") or 0, tasks.get("late") or 0
    exceeding = tasks.get("exceeding") or 0
    if not (total or completed or on_time or late or exceeding):
        return []
    problems = []
    if completed > total:
        problems.append(
            (
                "tasks_completed",
                _("%(completed)s completed, but only %(total)s assigned.")
                % {"completed": _n(completed), "total": _n(total)},
            )
        )
    if on_time + late != completed:
        problems.append(
            (
                "tasks_on_time",
                _(
                    "on time (%(on_time)s) and late (%(late)s) must add up to those "
                    "completed (%(completed)s)."
                )
                % {"on_time": _n(on_time), "late": _n(late), "completed": _n(completed)},
            )
        )
    if exceeding > completed:
        problems.append(
            (
                "tasks_exceeding",
                _("%(exceeding)s exceeding requirements, but only %(completed)s completed.")
                % {"exceeding": _n(exceeding), "completed": _n(completed)},
            )
        )
    return problems
