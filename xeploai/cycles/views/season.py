"""Pages of the review season: cycles, their units and documents, the calibration board.
A subject's own pages are in cycles/views/subjects.py.

Views read the request through the forms of cycles/forms.py and render; objects come through the
access module, writes go through the cycles services, every judgement comes from the rule core."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xeploai import labels
from xeploai.accounts.access import (
    Action,
    cycles_for_user,
    get_board_unit_for_user,
    get_cycle_for_user,
    get_unit_for_user,
    may,
    may_decide_at,
    require_that,
)
from xeploai.cycles.forms import (
    BoardForm,
    CycleDocumentForm,
    CycleOpenForm,
    TransitionForm,
    UnitQueryForm,
    paper_record,
)
from xeploai.cycles.models import (
    Level,
    Step,
    Subject,
)
from xeploai.cycles.selectors import (
    board,
    board_decorate,
    board_units_for_user,
    notices_for,
    progress,
    results,
    subjects_in_unit,
)
from xeploai.cycles.services.decisions import (
    DecisionBlocked,
    decisions_check,
    decisions_take,
)
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.cycles.services.lifecycle import cycle_document_add, cycle_transition
from xeploai.errors import AppError
from xeploai.limits import MB, document_max_bytes
from xeploai.org.models import Unit
from xeploai.org.names import reading_order
from xeploai.reports.charts import level_bars
from xeploai.reports.decisions import paper_numbers
from xeploai.reports.selectors import cycle_statistics
from xeploai.web.errors import bad_request


@login_required
def cycle_list(request):
    cycles = list(cycles_for_user(request.user)[:50])
    mine = []
    if request.user.member_id:
        mine = list(
            Subject.objects.filter(member_id=request.user.member_id, cycle__state="open")
            .select_related("cycle", "unit")
            .order_by("-cycle__period_end")
        )
    units = [
        u
        for u in Unit.objects.filter(grants__user=request.user).distinct()
        if may(request.user, Action.MANAGE_CYCLE, u)
    ]
    return render(
        request, "cycles/cycle_list.html", {"cycles": cycles, "mine": mine, "open_units": units}
    )


@login_required
def cycle_new(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Action.MANAGE_CYCLE)
    form = CycleOpenForm(request.POST if request.method == "POST" else None)
    status = 200
    refused_field = {}
    if request.method == "POST" and not form.is_valid():
        status = _refused(request, form)
    elif request.method == "POST":
        data = form.cleaned_data
        try:
            cycle = cycle_open(
                actor=request.user,
                unit=unit,
                name=data["name"],
                period_kind=data["period_kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                deadlines=form.deadlines(),
            )
        except AppError as exc:
            messages.error(request, exc.message)
            status = 400
            if exc.field in form.fields:  # beside the field it is about
                refused_field = {exc.field: exc.message}
        else:
            messages.success(
                request,
                _("The cycle is open: %(n)s subjects enrolled.")
                % {"n": cycle.subjects.exclude(step=Step.EXCLUDED).count()},
            )
            return redirect("cycle_detail", cycle.pk)
    return render(
        request,
        "cycles/cycle_new.html",
        {
            "unit": unit,
            "form": request.POST,
            "errors": {**(form.field_errors() if form.is_bound else {}), **refused_field},
        },
        status=status,
    )


def _refused(request, form) -> int:
    """Each of the boundary's messages shown; the status a refused request answers."""
    for message in form.messages():
        messages.error(request, message)
    return 400


@login_required
def cycle_detail(request, pk, document_error=None):
    cycle = get_cycle_for_user(request.user, pk)
    unit = cycle.unit
    query = UnitQueryForm(request.GET)
    if not query.is_valid():
        return bad_request(request, query)
    if query.cleaned_data["unit"] is not None:
        unit = get_unit_for_user(request.user, query.cleaned_data["unit"])
    elif not may(request.user, Action.VIEW, unit):
        roots = [u for u in Unit.objects.filter(grants__user=request.user)]
        unit = roots[0] if roots else unit
    rows = (
        progress(cycle, unit, timezone.localdate()) if may(request.user, Action.VIEW, unit) else []
    )
    unit_results = results(cycle, unit) if rows else []
    statistics = cycle_statistics(request.user, cycle, unit) if rows else {}
    return render(
        request,
        "cycles/cycle_detail.html",
        {
            "cycle": cycle,
            "unit": unit,
            "rows": rows,
            "steps": list(Step),
            "boards": board_units_for_user(request.user, cycle),
            "results": unit_results,
            # Per unit under this one: a cell has none, and no chart.
            "chart": level_bars(
                [(r.unit.name, r.members) for r in below],
                labels.level_names(),
                _("Members by decided level, per unit"),
            )
            if (below := [r for r in unit_results if r.unit.pk != unit.pk])
            else "",
            "levels": Level.choices,
            "may_manage": (may_manage := may(request.user, Action.MANAGE_CYCLE, cycle.unit)),
            "notices": notices_for(cycle) if may_manage else [],
            "deadlines": cycle.deadlines.order_by("due_on", "unit_kind"),
            "document_error": document_error,
            "document_max_mb": document_max_bytes() // MB,
            "document_post": request.POST if document_error else {},
            **statistics,
        },
    )


@login_required
@require_POST
def cycle_move(request, pk, to):
    cycle = get_cycle_for_user(request.user, pk, Action.MANAGE_CYCLE)
    if to not in ("lock", "close", "reopen"):
        return HttpResponseBadRequest()
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _refused_on_cycle(request, form)
    try:
        cycle_transition(actor=request.user, cycle=cycle, to=to, reason=form.cleaned_data["reason"])
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("cycle_detail", cycle.pk)


@login_required
@require_POST
def cycle_document(request, pk):
    cycle = get_cycle_for_user(request.user, pk, Action.MANAGE_CYCLE)
    form = CycleDocumentForm(request.POST)
    if not form.is_valid():
        return _refused_on_cycle(request, form)
    try:
        cycle_document_add(
            actor=request.user, cycle=cycle, file=request.FILES.get("file"), **form.cleaned_data
        )
    except AppError as exc:
        if exc.field == "file":  # shown beside the file field, with what was typed kept
            return cycle_detail(request, pk, document_error=exc.message)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The document is attached."))
    return redirect("cycle_detail", cycle.pk)


def _refused_on_cycle(request, form):
    """The cycle page again, answered 400, with the refused form's messages."""
    _refused(request, form)
    response = cycle_detail(request, request.resolver_match.kwargs["pk"])
    response.status_code = 400
    return response


@login_required
def cycle_document_file(request, pk, document_pk):
    """Documents are served through the access check, never as public media."""
    cycle = get_cycle_for_user(request.user, pk)
    document = cycle.documents.filter(pk=document_pk).exclude(file="").first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1]
    )


@login_required
def unit_subjects(request, pk, unit_pk):
    cycle = get_cycle_for_user(request.user, pk)
    unit = get_unit_for_user(request.user, unit_pk)
    return render(
        request,
        "cycles/unit_subjects.html",
        {
            "cycle": cycle,
            "unit": unit,
            "subjects": subjects_in_unit(cycle, unit),
            "children": sorted(
                Unit.objects.filter(parent=unit, dissolved_on__isnull=True), key=reading_order
            ),
        },
    )


@login_required
def board_view(request, pk, unit_pk):
    cycle = get_cycle_for_user(request.user, pk)
    unit = get_board_unit_for_user(request.user, unit_pk)
    may_decide = may_decide_at(request.user, unit) and cycle.state == "open"
    form = BoardForm(request.POST)
    status = 200
    what_if = {}
    blocks = []
    if request.method == "POST" and not form.is_valid():
        status = _refused(request, form)
    elif request.method == "POST":
        what_if = form.cleaned_data["what_if"]
    if request.method == "POST" and status == 200 and "decide" in request.POST:
        require_that(may_decide)
        chosen = form.cleaned_data["chosen"]
        if not chosen:
            messages.error(request, _("Tick the subjects to decide."))
        else:
            try:
                result = decisions_take(
                    actor=request.user, cycle=cycle, choices=chosen, paper=paper_record(form.paper)
                )
            except DecisionBlocked as exc:
                blocks = exc.blocks
                messages.error(request, exc.message)
            except AppError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(n)s decided.") % {"n": len(result.decided)})
                return redirect("board", cycle.pk, unit.pk)
    view = board(cycle, unit, what_if)
    if may_decide and not blocks:
        # Order, caps, steps, open complaints: shown before anyone clicks.
        pending = {r["id"]: r["outcome"] for r in view.rows if r["step"] == Step.APPRAISED}
        blocks = decisions_check(actor=request.user, cycle=cycle, choices=pending)
    blocked = board_decorate(view, blocks)
    return render(
        request,
        "cycles/board.html",
        {
            "cycle": cycle,
            "unit": unit,
            "board": view,
            "may_decide": may_decide,
            "levels": Level.choices,
            "blocked": blocked,
            "what_if": what_if,
            "paper_numbers": paper_numbers(cycle, unit),
            "lang_vi": (request.LANGUAGE_CODE or "vi").startswith("vi"),
            "posted": request.POST,
            "errors": form.paper.field_errors() if request.method == "POST" else {},
        },
        status=status,
    )
