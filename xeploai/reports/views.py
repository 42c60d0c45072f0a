"""Downloads of the committees' documents (Word, PDF) and of the statistics (also Excel).

Every object comes through the access module; the documents are built in `xeploai.reports`.

And the several-years page of a unit."""

import unicodedata
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from xeploai.accounts.access import (
    get_board_unit_for_user,
    get_cycle_for_user,
    get_cycle_unit_for_user,
    get_decision_for_user,
    get_subject_for_user,
)
from xeploai.org.tree import is_within
from xeploai.reports import docx, pdf
from xeploai.reports.decisions import decision_list, rerating_decision
from xeploai.reports.documents import Document
from xeploai.reports.forms import NumberQueryForm
from xeploai.reports.multiyear import years_view
from xeploai.reports.party_forms import meeting_minutes, subject_document
from xeploai.reports.statistics import statistics_document
from xeploai.reports.xlsx import statistics_workbook
from xeploai.rules import load_regulation
from xeploai.web.errors import bad_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


RENDERERS = {
    "docx": (docx.CONTENT_TYPE, docx.render_docx),
    "pdf": (pdf.CONTENT_TYPE, pdf.render_pdf),
}


def ascii_filename(name: str) -> str:
    """'Chi bộ Tổ 1' → 'Chi-bo-To-1': what every browser and mail client accepts."""
    folded = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    kept = "".join(c for c in folded if c.isascii() and (c.isalnum() or c in "-_."))
    return kept or "document"


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(filename)}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )
    return response


def _render(document: Document, fmt: str) -> HttpResponse:
    if fmt not in RENDERERS:
        raise Http404
    content_type, render = RENDERERS[fmt]
    return attachment(render(document), content_type, f"{document.filename}.{fmt}")


@login_required
def subject_form(request, pk, fmt):
    """A person's self-review (2A/2B/2C) or a collective's report (01)."""
    subject = get_subject_for_user(request.user, pk)
    if fmt not in RENDERERS:
        raise Http404
    return _render(subject_document(subject), fmt)


@login_required
def unit_minutes(request, pk, unit_pk, fmt):
    """The minutes of a cell's review meeting; a committee's are not kept here."""
    cycle, unit = get_cycle_unit_for_user(request.user, pk, unit_pk)
    if fmt not in RENDERERS or not unit.is_cell:
        raise Http404
    return _render(meeting_minutes(cycle, unit), fmt)


@login_required
def unit_statistics(request, pk, unit_pk, fmt):
    cycle, unit = get_cycle_unit_for_user(request.user, pk, unit_pk)
    if fmt == "xlsx":
        name = f"thong-ke-{cycle.pk}-{ascii_filename(unit.code)}.xlsx"
        return attachment(statistics_workbook(cycle, unit), XLSX, name)
    if fmt not in RENDERERS:
        raise Http404
    return _render(statistics_document(cycle, unit), fmt)


@login_required
def decision_list_file(request, pk, unit_pk, fmt):
    """The deciding unit's list of decided levels; `?number=` keeps one paper decision's."""
    cycle = get_cycle_for_user(request.user, pk)
    unit = get_board_unit_for_user(request.user, unit_pk)
    if fmt not in RENDERERS or not is_within(unit.path, cycle.unit.path):
        raise Http404
    query = NumberQueryForm(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    return _render(decision_list(cycle, unit, query.cleaned_data["number"]), fmt)


@login_required
def rerating_form(request, pk, fmt):
    """The re-rating decision (form 03) of a decision that replaces another."""
    decision = get_decision_for_user(request.user, pk)
    if decision.replaces_id is None or fmt not in RENDERERS:
        raise Http404
    return _render(rerating_decision(decision), fmt)


@login_required
def cycle_years(request, pk, unit_pk):
    cycle, unit = get_cycle_unit_for_user(request.user, pk, unit_pk)
    view = years_view(cycle, unit)
    regulation = load_regulation(cycle.regulation)
    vi = (get_language() or "vi").startswith("vi")

    def awards(entry) -> str:
        return "; ".join(e.award.label_vi if vi else e.award.label_en for e in entry.awards)

    return render(
        request,
        "reports/years.html",
        {
            "cycle": cycle,
            "unit": unit,
            "view": view,
            "members": [(m, m.shown(view.columns), awards(m)) for m in view.members],
            "organizations": [(o, o.shown(view.columns), awards(o)) for o in view.organizations],
            "awards": regulation.awards,
            "record_rule": regulation.appointment_record,
        },
    )
