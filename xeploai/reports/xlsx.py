"""The statistics of a unit and its children, and the list of subjects, as an Excel workbook."""

import io

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from xeploai import labels
from xeploai.cycles.models import Cycle, Step, Subject, SubjectKind
from xeploai.org.models import OrgType, Unit, UnitKind
from xeploai.org.tree import subtree_q
from xeploai.reports.rollup import LEVELS, Tally, children_tallies
from xeploai.reports.safe import append_row


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


STAGES = {
    "self": _lazy("Self-rated"),
    "proposed": _lazy("Proposed"),
    "decided": _lazy("Decided"),
}


def group_label(group: str) -> str:
    if group.startswith("organization:"):
        kind = group.split(":", 1)[1]
        organizations = _("Party organizations")
        return f"{organizations}: {UnitKind(kind).label}"
    return str(
        {
            "member": _("Party members"),
            "leader_post": _("Leaders' posts"),
            "collective": _("Leadership collectives"),
        }[group]
    )


def share(n: int, total: int) -> str:
    """A share in percent with one decimal, in the reader's number format."""
    # A no-break space keeps "88,9 %" on one line in a narrow column.
    return number_format(round(100 * n / total, 1), 1) + "\u00a0%" if total else ""


def group_rows(tally: Tally) -> list[list]:
    """For each statistics group (members, leaders' posts, collectives, organizations by
    kind) and stage (self-rated, proposed, decided): the subjects of the group, the count per
    level and each level's share of those rated at that stage."""
    order = {"member": 0, "leader_post": 1, "collective": 2}
    groups = sorted({g for (g, _t) in tally.rows}, key=lambda g: (order.get(g, 3), g))
    rows = []
    for group in groups:
        total = tally.total(group)
        for stage, label in STAGES.items():
            counts = [tally.count(group, stage, level) for level in LEVELS]
            rated = sum(counts)
            rows.append(
                [group_label(group), str(label), total, *counts, *(share(n, rated) for n in counts)]
            )
    return rows


def org_type_rows(tally: Tally) -> list[list]:
    """Decided party organizations per organization type (commune, ward, agency …)."""
    labels = dict(OrgType.choices)
    rows = []
    for org_type in sorted({t for (t, _level) in tally.org_types}):
        counts = [tally.org_types[(org_type, level)] for level in LEVELS]
        rows.append(
            [str(labels.get(org_type, org_type)), *counts, *(share(n, sum(counts)) for n in counts)]
        )
    return rows


def _level_headers(short: bool) -> list[str]:
    """The levels' names, and their shares' ("% HTXS"); `short`: abbreviations only, for a
    table that must fit a page."""
    abbreviations = [labels.level_abbr(level) for level in LEVELS]
    names = abbreviations if short else [labels.level(level) for level in LEVELS]
    return [*names, *(f"% {a}" for a in abbreviations)]


def group_header(short: bool = False) -> list[str]:
    return [_("Group"), _("Stage"), _("Subjects"), *_level_headers(short)]


def org_type_header(short: bool = False) -> list[str]:
    return [_("Organization type"), *_level_headers(short)]


def review_count_rows(tally: Tally) -> list[tuple]:
    """The shape of statistical form 6F: required to review (every subject enrolled), reviewed,
    and not reviewed, which is the rest: those not reviewed by rule (by reason) and those whose
    review has not started yet, so that line 1 is line 2 plus line 3. Review prompts are not
    recorded yet, so line 4 is left empty rather than given as zero."""
    collectives = {
        g for (g, _t) in tally.rows if g == "collective" or g.startswith("organization:")
    }

    def counted(groups, predicate):
        return sum(n for (g, step), n in tally.steps.items() if g in groups and predicate(step))

    def everything(step: str) -> bool:
        return True

    def reviewed(step: str) -> bool:
        return step != "enrolled" and not step.startswith("excluded:")

    def not_started(step: str) -> bool:
        return step == "enrolled"

    members = {"member"}
    excluded = tally.excluded()
    return [
        (
            _("1. Required to review"),
            counted(collectives, everything),
            counted(members, everything),
        ),
        (_("2. Reviewed"), counted(collectives, reviewed), counted(members, reviewed)),
        (
            _("3. Not reviewed"),
            counted(collectives, lambda step: not reviewed(step)),
            counted(members, lambda step: not reviewed(step)),
        ),
        (
            _("3.1 Review not started yet"),
            counted(collectives, not_started),
            counted(members, not_started),
        ),
        (
            _("3.2 Members admitted less than 6 months ago"),
            "",
            excluded.get("admitted_under_6_months", 0),
        ),
        (_("3.3 Members exempted"), "", excluded.get("exempt", 0)),
        (_("3.4 Members suspended"), "", excluded.get("suspended", 0)),
        (_("4. Given review prompts"), "", ""),
    ]


def _review_count_sheet(workbook, tally: Tally) -> None:
    sheet = workbook.create_sheet(_("Form 6F"))
    append_row(sheet, [_("Results of the self-criticism and criticism review"), "", ""])
    append_row(sheet, ["", _("Collectives"), _("Party members")])
    for row in review_count_rows(tally):
        append_row(sheet, list(row))
    sheet.column_dimensions["A"].width = 48


def statistics_workbook(cycle: Cycle, unit: Unit, progress=None) -> bytes:
    own, children = children_tallies(cycle, unit)
    if progress:
        progress(_("Statistics"), 1, 1)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Statistics")
    append_row(sheet, [cycle.name, unit.name])
    header = [_("Unit"), _("Party members")]
    header += [labels.level(level) for level in LEVELS]
    header += [_("Not reviewed"), _("exempt"), _("suspended"), _("admitted under 6 months")]
    cells = _("Cells")
    header += [f"{cells}: {labels.level(level)}" for level in LEVELS]
    append_row(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for child in children:
        append_row(sheet, tally_row(child.unit.name, child))
    append_row(sheet, tally_row(_("All units"), own))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _review_count_sheet(workbook, own)
    by_group = workbook.create_sheet(_("By group"))
    append_row(by_group, [cycle.name, unit.name])
    append_row(by_group, group_header())
    for row in group_rows(own):
        append_row(by_group, row)
    append_row(by_group, [])
    append_row(by_group, org_type_header())
    for row in org_type_rows(own):
        append_row(by_group, row)
    by_group.column_dimensions["A"].width = 40
    listing = workbook.create_sheet(_("Subjects"))
    append_row(
        listing,
        [
            _("Subject"),
            _("Kind"),
            _("Unit"),
            _("Step"),
            _("Self-rated"),
            _("Proposed"),
            _("Decided"),
        ],
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
    kinds = dict(SubjectKind.choices)
    # One count for the bar's total; the bar itself redraws at most five times a second.
    total = subjects.count() if progress else 0
    for i, (name, kind, unit_name, step, own_level, proposed, decided) in enumerate(
        subjects.iterator(), 1
    ):
        append_row(
            listing,
            [
                name or unit_name,
                str(kinds.get(kind, kind)),
                unit_name,
                str(steps.get(step, step)),
                labels.level(own_level) if own_level else "",
                labels.level(proposed) if proposed else "",
                labels.level(decided) if decided else "",
            ],
        )
        if progress and i % 500 == 0:
            progress(_("Subjects"), i, total)
    if progress:
        progress(_("Subjects"), total, total)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
