"""The statistics of a unit and its children, and the list of subjects, as an Excel workbook."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xeploai.cycles.models import Cycle, Level, Step, Subject
from xeploai.org.models import Unit
from xeploai.org.tree import subtree_q
from xeploai.reports.rollup import LEVELS, Tally, children_tallies

LABELS = dict(Level.choices)


def tally_row(name: str, tally: Tally) -> list:
    members = tally.members()
    cells = [
        tally.count("organization:subordinate_cell", "decided", level)
        + tally.count("organization:grassroots_cell", "decided", level)
        for level in LEVELS
    ]
    excluded = tally.excluded()
    return [
        name,
        tally.total("member"),
        *members.values(),
        sum(excluded.values()),
        excluded.get("exempt", 0),
        excluded.get("suspended", 0),
        excluded.get("admitted_under_6_months", 0),
        *cells,
    ]


def review_count_rows(tally: Tally) -> list[tuple]:
    """The shape of statistical form 6F: required to review, reviewed, not reviewed by reason.
    Review prompts are not recorded yet, so row 4 is left empty rather than given as zero."""
    collective_groups = [
        g for (g, _step) in tally.steps if g == "collective" or g.startswith("organization:")
    ]

    def counted(groups, predicate):
        return sum(n for (g, step), n in tally.steps.items() if g in groups and predicate(step))

    members = {"member"}
    collectives = set(collective_groups)

    def everything(step: str) -> bool:
        return True

    def reviewed(step: str) -> bool:
        return step != "enrolled" and not step.startswith("excluded:")

    excluded = tally.excluded()
    return [
        (
            _("1. Required to review"),
            counted(collectives, everything),
            counted(members, everything),
        ),
        (_("2. Reviewed"), counted(collectives, reviewed), counted(members, reviewed)),
        (_("3. Not reviewed"), 0, sum(excluded.values())),
        (_("3.1 Newly created collectives"), 0, ""),
        (
            _("3.2 Members admitted less than 6 months ago"),
            "",
            excluded.get("admitted_under_6_months", 0),
        ),
        (_("Members exempted"), "", excluded.get("exempt", 0)),
        (_("Members suspended"), "", excluded.get("suspended", 0)),
        (_("4. Given review prompts"), "", ""),
    ]


def _review_count_sheet(workbook, tally: Tally) -> None:
    sheet = workbook.create_sheet(_("Form 6F"))
    sheet.append([_("Results of the self-criticism and criticism review"), "", ""])
    sheet.append(["", _("Collectives"), _("Party members")])
    for row in review_count_rows(tally):
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 48


def statistics_workbook(cycle: Cycle, unit: Unit, progress=None) -> bytes:
    own, children = children_tallies(cycle, unit)
    if progress:
        progress(_("Statistics"), 1, 1)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")
    sheet.append([cycle.name, unit.name])
    header = [_("Unit"), _("Members to review")]
    header += [str(LABELS[level]) for level in LEVELS]
    header += [_("Not reviewed"), _("exempt"), _("suspended"), _("admitted under 6 months")]
    header += [f"{_('Cells')}: {LABELS[level]}" for level in LEVELS]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for child in children:
        sheet.append(tally_row(child.unit.name, child))
    sheet.append(tally_row(_("All units"), own))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _review_count_sheet(workbook, own)
    listing = workbook.create_sheet(_("Subjects"))
    listing.append(
        [
            _("Subject"),
            _("Kind"),
            _("Unit"),
            _("Step"),
            _("Self-rated"),
            _("Proposed"),
            _("Decided"),
        ]
    )
    subjects = (
        Subject.objects.filter(cycle=cycle)
        .filter(subtree_q(unit.path, "unit__path"))
        .values_list(
            "member__full_name",
            "kind",
            "unit__name",
            "step",
            "self_level",
            "proposed_level",
            "decided_level",
        )
        .order_by("unit__path", "kind", "member__sort_key")
    )
    steps = dict(Step.choices)
    # One count for the bar's total; the bar itself redraws at most five times a second.
    total = subjects.count() if progress else 0
    for i, (name, kind, unit_name, step, own_level, proposed, decided) in enumerate(
        subjects.iterator(), 1
    ):
        listing.append(
            [
                name or unit_name,
                kind,
                unit_name,
                str(steps.get(step, step)),
                str(LABELS.get(own_level, "")),
                str(LABELS.get(proposed, "")),
                str(LABELS.get(decided, "")),
            ]
        )
        if progress and i % 500 == 0:
            progress(_("Subjects"), i, total)
    if progress:
        progress(_("Subjects"), total, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
