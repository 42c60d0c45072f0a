"""The statistics of a unit and its children as a document (Word, PDF): the same numbers as
the workbook (xlsx.py: `tally_row`, `review_count_rows`), with the levels chart in the PDF.
Unlike the forms, this report follows the reader's language."""

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from xeploai import labels
from xeploai.cycles.models import Cycle
from xeploai.org.models import Unit
from xeploai.reports.charts import level_bars
from xeploai.reports.documents import Chart, Document, Header, Heading, Paragraph, Table
from xeploai.reports.party_forms import issuer, place_date
from xeploai.reports.rollup import LEVELS, children_tallies
from xeploai.reports.xlsx import (
    group_header,
    group_rows,
    org_type_header,
    org_type_rows,
    review_count_rows,
    tally_row,
)


def statistics_document(cycle: Cycle, unit: Unit, progress=None) -> Document:
    own, children = children_tallies(cycle, unit)
    if progress:
        progress(_("Statistics"), 1, 1)
    title = _("Statistics of the quality classification")
    doc = Document(
        title=f"{title} — {unit.name}",
        filename=f"thong-ke-{cycle.pk}-{unit.code or unit.pk}",
        header=Header(issuer=issuer(unit), place_date=place_date(timezone.localdate())),
        lang=(get_language() or "vi")[:2],
    )
    doc.add(
        Heading(title.upper(), 0),
        Paragraph(f"{cycle.name} — {unit.name}", bold=True, center=True),
    )
    rows = [tally_row(child.unit.name, child) for child in children]
    rows.append(tally_row(_("All units"), own))
    last = (len(rows) - 1,)
    levels = [labels.level(level) for level in LEVELS]
    doc.add(
        Heading(_("1. Party members by decided level"), 1),
        Table(
            [_("Unit"), _("Party members"), *levels, _("Not reviewed")],
            [[str(x) for x in row[:7]] for row in rows],
            bold_rows=last,
            numeric=tuple(range(1, 7)),
            widths=(22, 13, 13, 13, 13, 13, 13),
        ),
        Heading(_("2. Members not reviewed, by reason"), 1),
        Table(
            [_("Unit"), _("exempt"), _("suspended"), _("admitted under 6 months")],
            [[row[0], *(str(x) for x in row[7:10])] for row in rows],
            bold_rows=last,
            numeric=(1, 2, 3),
            widths=(31, 23, 23, 23),
        ),
        Heading(_("3. Cells by decided level"), 1),
        Table(
            [_("Unit"), *levels],
            [[row[0], *(str(x) for x in row[10:14])] for row in rows],
            bold_rows=last,
            numeric=(1, 2, 3, 4),
            widths=(24, 19, 19, 19, 19),
        ),
        Heading(_("4. Results of the self-criticism and criticism review"), 1),
        Table(
            ["", _("Collectives"), _("Party members")],
            [[str(cell) for cell in row] for row in review_count_rows(own)],
            numeric=(1, 2),
        ),
        Heading(_("5. Every group: self-rated, proposed and decided, with shares"), 1),
        Table(
            group_header(short=True),
            [[str(cell) for cell in row] for row in group_rows(own)],
            numeric=tuple(range(2, 11)),
            widths=(24, 13, 9, 6, 6, 6, 6, 7, 7, 7, 9),
        ),
    )
    if types := org_type_rows(own):
        doc.add(
            Heading(_("6. Decided party organizations by organization type"), 1),
            Table(
                org_type_header(short=True),
                [[str(cell) for cell in row] for row in types],
                numeric=tuple(range(1, 9)),
                widths=(28, 8, 8, 8, 8, 10, 10, 10, 10),
            ),
        )
    if children:
        chart_title = _("Members by decided level, per unit")
        doc.add(
            Heading(f"7. {chart_title}", 1),
            Chart(
                level_bars(
                    [(child.unit.name, child.members()) for child in children],
                    labels.level_names(),
                    chart_title,
                ),
                chart_title,
            ),
        )
    return doc
