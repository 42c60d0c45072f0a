"""Pages of the review season: cycles, self-review, appraisal, calibration board, decisions.

Views read the request and render; objects come through the access module, writes go through
the cycles services, every judgement comes from the rule core.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xeploai.accounts.access import (
    Action,
    cycles_for_user,
    get_board_unit_for_user,
    get_cycle_for_user,
    get_subject_for_user,
    get_unit_for_user,
    may,
    may_appraise,
    may_decide_at,
    may_self_assess,
    require_that,
)
from xeploai.cycles.facts import earlier_items, group_scores, subject_sheet
from xeploai.cycles.models import Level, OpinionSource, Step, Subject
from xeploai.cycles.selectors import (
    board,
    board_units_for_user,
    progress,
    results,
    subject_history,
    subjects_in_unit,
)
from xeploai.cycles.services.assessments import (
    appraisal_record,
    opinion_add,
    self_assessment_save,
)
from xeploai.cycles.services.decisions import (
    DecisionBlocked,
    PaperRecord,
    decision_rerate,
    decisions_check,
    decisions_take,
)
from xeploai.cycles.services.enrolment import cycle_open
from xeploai.cycles.services.lifecycle import cycle_document_add, cycle_transition
from xeploai.errors import AppError
from xeploai.limits import MB, document_max_bytes
from xeploai.org.dates import parse_date
from xeploai.org.models import Unit
from xeploai.org.names import reading_order
from xeploai.reports.charts import level_bars
from xeploai.reports.decisions import paper_numbers, rerating_of
from xeploai.rules import FactsError, classify, load_regulation
from xeploai.rules.annex import FORM_FOR_SHEET
from xeploai.web.years import cycle_statistics


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
        request, "season/cycle_list.html", {"cycles": cycles, "mine": mine, "open_units": units}
    )


@login_required
def cycle_new(request, unit_pk):
    unit = get_unit_for_user(request.user, unit_pk, Action.MANAGE_CYCLE)
    form = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            deadlines = []
            for step in ("self_submitted", "appraised", "decided"):
                if form.get(f"deadline_{step}"):
                    deadlines.append((step, "", _date(form[f"deadline_{step}"], step)))
            cycle = cycle_open(
                actor=request.user,
                unit=unit,
                name=form.get("name", "").strip(),
                period_kind=form.get("period_kind", "year"),
                period_start=_date(form.get("period_start", ""), "period_start"),
                period_end=_date(form.get("period_end", ""), "period_end"),
                deadlines=deadlines,
            )
        except AppError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("The cycle is open: %(n)s subjects enrolled.")
                % {"n": cycle.subjects.exclude(step=Step.EXCLUDED).count()},
            )
            return redirect("cycle_detail", cycle.pk)
    return render(request, "season/cycle_new.html", {"unit": unit, "form": form})


def _date(text: str, field: str) -> datetime.date:
    parsed = parse_date(text)
    if parsed is None:
        raise AppError(
            _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": text}, field=field
        )
    return parsed


@login_required
def cycle_detail(request, pk, document_error=None):
    cycle = get_cycle_for_user(request.user, pk)
    unit = cycle.unit
    if request.GET.get("unit"):
        unit = get_unit_for_user(request.user, request.GET["unit"])
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
        "season/cycle_detail.html",
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
                dict(Level.choices),
                _("Members by decided level, per unit"),
            )
            if (below := [r for r in unit_results if r.unit.pk != unit.pk])
            else "",
            "levels": Level.choices,
            "may_manage": may(request.user, Action.MANAGE_CYCLE, cycle.unit),
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
    try:
        cycle_transition(
            actor=request.user, cycle=cycle, to=to, reason=request.POST.get("reason", "")
        )
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("cycle_detail", cycle.pk)


@login_required
@require_POST
def cycle_document(request, pk):
    cycle = get_cycle_for_user(request.user, pk, Action.MANAGE_CYCLE)
    post = request.POST
    try:
        issued = _date(post["issued_on"], "issued_on") if post.get("issued_on") else None
        cycle_document_add(
            actor=request.user,
            cycle=cycle,
            title=post.get("title", ""),
            number=post.get("number", ""),
            issued_on=issued,
            file=request.FILES.get("file"),
        )
    except AppError as exc:
        if exc.field == "file":  # shown beside the file field, with what was typed kept
            return cycle_detail(request, pk, document_error=exc.message)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The document is attached."))
    return redirect("cycle_detail", cycle.pk)


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
        "season/unit_subjects.html",
        {
            "cycle": cycle,
            "unit": unit,
            "subjects": subjects_in_unit(cycle, unit),
            "children": sorted(
                Unit.objects.filter(parent=unit, dissolved_on__isnull=True), key=reading_order
            ),
        },
    )


def _sheet_rows(subject, regulation, values, english: bool):
    sheet = subject_sheet(subject, regulation)
    if sheet is None:
        return None, []
    groups = []
    for group in sheet.groups:
        items = [
            {
                "code": item.code,
                "label": item.label_en if english else item.label_vi,
                "value": values.get(item.code, ""),
                "max": item.weight,
            }
            for item in group.items
        ]
        groups.append(
            {
                "code": group.code,
                "max": group.max_points,
                "items": items,
                "label": group.label_en if english else group.label_vi,
            }
        )
    return sheet, groups


@login_required
def subject_detail(request, pk):
    subject = get_subject_for_user(request.user, pk)
    regulation = load_regulation(subject.cycle.regulation)
    assessment = getattr(subject, "self_assessment", None)
    values = dict(assessment.scores) if assessment else {}
    if request.method == "POST":
        values = {k[6:]: v for k, v in request.POST.items() if k.startswith("score_")}
    english = (request.LANGUAGE_CODE or "vi").startswith("en")
    sheet, groups = _sheet_rows(subject, regulation, values, english)
    editable = (
        subject.cycle.state == "open"
        and may_self_assess(request.user, subject)
        and subject.step in (Step.ENROLLED, Step.SELF_DRAFT, Step.SELF_SUBMITTED)
    )
    appraisal = getattr(subject, "appraisal", None)
    return render(
        request,
        "season/subject_detail.html",
        {
            "subject": subject,
            # A member sees their own subject but not the whole cell's list.
            "may_see_unit": may(request.user, Action.VIEW, subject.unit),
            "assessment": assessment,
            "groups": groups,
            "form_code": FORM_FOR_SHEET.get(sheet.code, "") if sheet else "",
            "sheet": sheet,
            "editable": editable,
            "levels": Level.choices,
            "items": list(earlier_items(subject)) if subject.member_id or subject.unit_id else [],
            "may_appraise": may_appraise(request.user, subject)
            and subject.step in (Step.SELF_SUBMITTED, Step.APPRAISED)
            and subject.cycle.state == "open",
            "appraisal": appraisal,
            "may_rerate": subject.step == Step.DECIDED
            and may_decide_at(request.user, subject.deciding_unit),
            "opinions": subject.opinions.all(),
            "reratings": rerating_of(subject),
            "sources": OpinionSource.choices,
            "preview": _preview(subject, regulation, values, assessment),
            "posted": request.POST,
            "fv": _form_values(request.POST, assessment),
        },
    )


_TEXT_FIELDS = ("strengths", "shortcomings", "causes", "prompt_answers", "direction")
_TASK_FIELDS = ("tasks_total", "tasks_completed", "tasks_on_time", "tasks_late", "tasks_exceeding")


def _form_values(posted, assessment) -> dict:
    """What the form shows: what was just posted (kept on an error), else what is saved."""
    if posted:
        return {
            name: posted.get(name, "")
            for name in (*_TEXT_FIELDS, *_TASK_FIELDS, "proposed_level", "reason", "attendees")
        }
    if assessment is None:
        return {}
    values = {name: getattr(assessment, name) for name in _TEXT_FIELDS}
    values.update({name: getattr(assessment, name) or "" for name in _TASK_FIELDS})
    values["proposed_level"] = assessment.proposed_level
    return values


def _tasks_from(post):
    from xeploai.rules import FactsError as _FactsError
    from xeploai.rules import TaskCounts

    numbers = {
        n: _int(post.get(f"tasks_{n}"))
        for n in ("total", "completed", "on_time", "late", "exceeding")
    }
    if not numbers["total"]:
        return None
    try:
        return TaskCounts(**numbers)
    except _FactsError:
        return None


def _preview(subject, regulation, values, assessment, tasks=None):
    """Running total and the level the rule core would give on what is typed so far."""
    from decimal import Decimal, InvalidOperation

    from xeploai.cycles.facts import build_facts

    points = {}
    for key, raw in values.items():
        if str(raw).strip():
            try:
                points[key] = Decimal(str(raw).replace(",", "."))
            except InvalidOperation:
                return {"error": _("“%(value)s” is not a number of points.") % {"value": raw}}
    try:
        totals = group_scores(subject, regulation, points) if points else None
    except FactsError as exc:
        return {"error": str(exc)}
    if totals is None:
        return {}
    total = sum(totals.values())
    result = {"totals": totals, "total": total}
    try:
        facts = build_facts(subject, regulation)
        from dataclasses import replace

        facts = replace(facts, scores=totals)
        if tasks is not None:
            facts = replace(facts, tasks=tasks)
        verdict = classify(facts, regulation)
        result["level"] = verdict.level.value if verdict.level else None
        result["reasons"] = [r.message_vi for r in verdict.reasons if str(r.kind) != "note"][:4]
    except FactsError as exc:
        result["missing"] = str(exc)
    return result


@login_required
@require_POST
def subject_preview(request, pk):
    subject = get_subject_for_user(request.user, pk)
    regulation = load_regulation(subject.cycle.regulation)
    values = {k[6:]: v for k, v in request.POST.items() if k.startswith("score_")}
    preview = _preview(subject, regulation, values, None, _tasks_from(request.POST))
    return render(request, "season/_preview.html", {"preview": preview})


@login_required
@require_POST
def subject_self_save(request, pk):
    subject = get_subject_for_user(request.user, pk)
    post = request.POST
    tasks = {
        name: _int(post.get(f"tasks_{name}"))
        for name in ("total", "completed", "on_time", "late", "exceeding")
    }
    remediation = {int(k[5:]): v for k, v in post.items() if k.startswith("item_") and v}
    try:
        self_assessment_save(
            actor=request.user,
            subject=subject,
            version=_int(post.get("version")),
            scores={k[6:]: v for k, v in post.items() if k.startswith("score_")},
            tasks=tasks,
            texts={
                n: post.get(n, "")
                for n in ("strengths", "shortcomings", "causes", "prompt_answers", "direction")
            },
            proposed_level=post.get("proposed_level", ""),
            remediation=remediation,
            submit="submit" in post,
        )
    except AppError as exc:
        messages.error(request, exc.message)
        return subject_detail(request, pk)
    messages.success(
        request, _("Submitted. Thank you.") if "submit" in post else _("Saved as a draft.")
    )
    return redirect("subject_detail", subject.pk)


def _int(value) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@login_required
@require_POST
def subject_appraise(request, pk):
    subject = get_subject_for_user(request.user, pk)
    post = request.POST
    votes = {level: _int(post.get(f"votes_{level}")) for level in Level.values}
    try:
        appraisal_record(
            actor=request.user,
            subject=subject,
            version=_int(post.get("version")),
            proposed_level=post.get("proposed_level", ""),
            votes=votes,
            attendees=_int(post.get("attendees")) or None,
            reason=post.get("reason", ""),
        )
    except AppError as exc:
        messages.error(request, exc.message)
        return subject_detail(request, pk)
    messages.success(request, _("The meeting result and the proposal are recorded."))
    return redirect("unit_subjects", subject.cycle_id, subject.unit_id)


@login_required
@require_POST
def subject_opinion(request, pk):
    subject = get_subject_for_user(request.user, pk)
    post = request.POST
    try:
        opinion_add(
            actor=request.user,
            subject=subject,
            source=post.get("source", ""),
            author=post.get("author", ""),
            text=post.get("text", ""),
            received_on=_date(post.get("received_on", ""), "received_on"),
        )
    except AppError as exc:
        messages.error(request, exc.message)
        return subject_detail(request, pk)
    messages.success(request, _("The opinion is attached."))
    return redirect("subject_detail", subject.pk)


def _paper(post):
    """A paper decision's document, when its number is given."""
    if not post.get("paper_number", "").strip():
        return None
    return PaperRecord(
        post["paper_number"].strip(),
        _date(post.get("paper_date", ""), "paper_date"),
        post.get("paper_signer", "").strip(),
    )


@login_required
@require_POST
def subject_rerate(request, pk):
    subject = get_subject_for_user(request.user, pk)
    try:
        decision_rerate(
            actor=request.user,
            subject=subject,
            level=request.POST.get("level", ""),
            reason=request.POST.get("reason", ""),
            paper=_paper(request.POST),
        )
    except AppError as exc:
        messages.error(request, exc.message)
        return subject_detail(request, pk)
    messages.success(request, _("The subject is re-rated."))
    return redirect("subject_detail", subject.pk)


@login_required
def subject_history_view(request, pk):
    subject = get_subject_for_user(request.user, pk)
    return render(
        request,
        "season/subject_history.html",
        {"subject": subject, "events": subject_history(subject)},
    )


@login_required
def board_view(request, pk, unit_pk):
    cycle = get_cycle_for_user(request.user, pk)
    unit = get_board_unit_for_user(request.user, unit_pk)
    may_decide = may_decide_at(request.user, unit) and cycle.state == "open"
    what_if = {
        int(k[6:]): v
        for k, v in request.POST.items()
        if k.startswith("level_") and v in Level.values
    }
    blocks = []
    if request.method == "POST" and "decide" in request.POST:
        require_that(may_decide)
        chosen = {pk_: level for pk_, level in what_if.items() if f"pick_{pk_}" in request.POST}
        if not chosen:
            messages.error(request, _("Tick the subjects to decide."))
        else:
            try:
                result = decisions_take(
                    actor=request.user, cycle=cycle, choices=chosen, paper=_paper(request.POST)
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
    labels = dict(Level.choices)
    for row in view.rows:
        for field in ("self_level", "proposed_level", "decided_level"):
            row[f"{field}_label"] = labels.get(row[field], "")
        row["rules_label"] = labels.get((row["appraisal__verdict"] or {}).get("level"), "")
    blocked: dict[int, list[str]] = {}
    for block in blocks:
        blocked.setdefault(block.subject_id, []).append(block.message)
    # A board has a thousand rows: the level choices are built once per level, not per row.
    options = {
        selected: mark_safe(
            '<option value="">—</option>'
            + "".join(
                f'<option value="{v}"{" selected" if v == selected else ""}>{escape(name)}</option>'
                for v, name in Level.choices
            )
        )
        for selected in ("", *Level.values)
    }
    for row in view.rows:
        row["blocks"] = blocked.get(row["id"], ())
        row["sid"] = str(row["id"])
        row["options"] = options[row["outcome"] or ""]
    return render(
        request,
        "season/board.html",
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
        },
    )
