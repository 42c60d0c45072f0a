"""Pages that change the tree: create, rename, move, merge and dissolve units with dates, see a
unit's history, import and export the tree. Every unit through the access module, every write
through a service (which audits it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xeploai.accounts.access import Action, get_unit_for_user, may
from xeploai.errors import AppError
from xeploai.org.forms_tree import (
    TreeImportForm,
    UnitCreateForm,
    UnitDissolveForm,
    UnitMergeForm,
    UnitMoveForm,
    UnitRenameForm,
)
from xeploai.org.models import OrgType, Unit, UnitKind
from xeploai.org.names import reading_order
from xeploai.org.progress import grouped
from xeploai.org.roster.result import problems_page
from xeploai.org.services import unit_create, unit_dissolve, unit_merge, unit_move, unit_rename
from xeploai.org.treeio.export import tree_export, tree_template
from xeploai.org.treeio.importer import tree_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMS = {
    "create": UnitCreateForm,
    "rename": UnitRenameForm,
    "move": UnitMoveForm,
    "merge": UnitMergeForm,
    "dissolve": UnitDissolveForm,
}


def _page(request, unit: Unit, *, action: str = "", errors=None, status: int = 200):
    children = sorted(unit.children.filter(dissolved_on__isnull=True), key=reading_order)
    return render(
        request,
        "org/unit_tree.html",
        {
            "unit": unit,
            "children": children,
            "events": unit.events.select_related("other_unit").order_by("-on", "-id"),
            "today": timezone.localdate().strftime("%d/%m/%Y"),
            "action": action,
            "form": request.POST if action else {},
            "errors": errors or {},
            "kinds": UnitKind.choices,
            "org_types": OrgType.choices,
        },
        status=status,
    )


@login_required
def unit_tree(request, pk):
    return _page(request, get_unit_for_user(request.user, pk, Action.MANAGE_TREE))


def _target(user, code: str) -> Unit:
    """The unit named by its code, if the user may change it; one answer for "no such unit"
    and "not yours", so a code outside one's subtree reveals nothing."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not may(user, Action.MANAGE_TREE, unit):
        raise AppError(_("No unit with this code that you may manage."), field="target")
    return unit


def _apply(user, unit: Unit, action: str, data: dict) -> tuple[Unit, str]:
    if action == "create":
        child = unit_create(
            actor=user,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            org_type=data["org_type"],
            has_cell_committee=data["has_cell_committee"] == "yes",
            parent=unit,
            on=data["on"],
        )
        return unit, _("Created %(name)s.") % {"name": child.name}
    if action == "rename":
        unit_rename(actor=user, unit=unit, name=data["name"], on=data["on"])
        return unit, _("Renamed.")
    if action == "move":
        target = _target(user, data["target"])
        unit_move(actor=user, unit=unit, new_parent=target, on=data["on"])
        return unit, _("Moved under %(name)s.") % {"name": target.name}
    if action == "merge":
        target = _target(user, data["target"])
        unit_merge(actor=user, source=unit, target=target, on=data["on"])
        return target, _("%(source)s merged into %(target)s.") % {
            "source": unit.name,
            "target": target.name,
        }
    unit_dissolve(actor=user, unit=unit, on=data["on"], note=data["note"])
    return unit, _("Dissolved.")


@login_required
@require_POST
def unit_tree_change(request, pk, action):
    if action not in FORMS:
        raise Http404
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_TREE)
    form = FORMS[action](request.POST)
    if not form.is_valid():
        for message in form.messages():
            messages.error(request, message)
        return _page(request, unit, action=action, errors=form.field_errors(), status=400)
    try:
        landing, done = _apply(request.user, unit, action, form.cleaned_data)
    except AppError as exc:
        messages.error(request, exc.message)
        errors = {exc.field: exc.message} if exc.field else {}
        return _page(request, unit, action=action, errors=errors, status=400)
    messages.success(request, done)
    return redirect("unit_tree", landing.pk)


@login_required
@require_http_methods(["GET", "POST"])
def tree_import_view(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_TREE)
    context: dict = {"unit": unit, "errors": {}}
    status = 200
    if request.method == "POST":
        form = TreeImportForm(request.POST, request.FILES)
        if not form.is_valid():
            context["errors"] = form.field_errors()
            for message in form.messages():
                messages.error(request, message)
            return render(request, "org/tree_import.html", context, status=400)
        upload = form.cleaned_data["file"]
        result = tree_import(
            actor=request.user,
            root=unit,
            filename=upload.name,
            data=upload.read(),
            on=timezone.localdate(),
        )
        context["result"] = result
        context.update(problems_page(result.problems))
        if result.ok:
            messages.success(
                request,
                _(
                    "Imported %(rows)s rows: %(created)s new, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "rows": grouped(result.rows),
                    "created": grouped(result.created),
                    "updated": grouped(result.updated),
                    "unchanged": grouped(result.unchanged),
                },
            )
        else:
            status = 400
            messages.error(
                request,
                _("Nothing was imported: the file has %(n)s problem(s), listed below.")
                % {"n": grouped(len(result.problems))},
            )
    return render(request, "org/tree_import.html", context, status=status)


@login_required
def tree_export_view(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_TREE)
    response = HttpResponse(tree_export(unit), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="cay-don-vi-{unit.pk}.xlsx"'
    return response


@login_required
def tree_template_download(request):
    response = HttpResponse(tree_template(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-cay-don-vi.xlsx"'
    return response
