"""Pages of the tree and the roster. Views only read requests and render; every object comes
through the access module, every write through a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xeploai.accounts.access import (
    Action,
    get_member_for_user,
    get_unit_for_user,
    may,
)
from xeploai.org.forms import SearchForm
from xeploai.org.models import CELL_KINDS, Member, Unit
from xeploai.org.names import reading_order
from xeploai.org.progress import grouped
from xeploai.org.roster.importer import roster_import
from xeploai.org.roster.result import problems_page
from xeploai.org.roster.template import roster_template
from xeploai.org.selectors import member_search, unit_breadcrumbs
from xeploai.org.services import member_identifiers_reveal
from xeploai.org.tree import child_under, subtree_q
from xeploai.reports.multiyear import member_years
from xeploai.reports.selectors import latest_annual_cycle
from xeploai.web.errors import bad_request

PAGE_SIZE = 50


def _member_counts(unit: Unit) -> dict[int, int]:
    """Members under each child of `unit`, in one grouped query over the subtree."""
    rows = (
        Member.objects.filter(subtree_q(unit.path, "cell__path"), left_on__isnull=True)
        .values("cell__path")
        .annotate(n=Count("id"))
    )
    counts: dict[int, int] = {}
    for row in rows:
        child_id = child_under(row["cell__path"], unit.path, unit.pk)
        counts[child_id] = counts.get(child_id, 0) + row["n"]
    return counts


@login_required
def unit_detail(request, pk):
    unit = get_unit_for_user(request.user, pk)
    children = sorted(
        unit.children.filter(dissolved_on__isnull=True),
        key=reading_order,
    )
    counts = _member_counts(unit)
    members_page = None
    if unit.kind in CELL_KINDS:
        members = Member.objects.filter(cell=unit, left_on__isnull=True).order_by("sort_key", "pk")
        members_page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "crumbs": [(c, may(request.user, Action.VIEW, c)) for c in unit_breadcrumbs(unit)[:-1]],
            "children": [(child, counts.get(child.pk, 0)) for child in children],
            "total": sum(counts.values()),
            "members_page": members_page,
            "events": unit.events.select_related("other_unit").order_by("-on", "-id")[:20],
            "may_import": may(request.user, Action.IMPORT_ROSTER, unit),
            "annual_cycle": latest_annual_cycle(request.user, unit),
        },
    )


@login_required
def member_list(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return bad_request(request, form)
    query = form.cleaned_data["q"]
    members = member_search(user=request.user, query=query).select_related("cell__parent")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "org/_member_rows.html" if request.htmx else "org/member_list.html"
    return render(request, template, {"page": page, "q": query, "show_parent": True})


@login_required
def member_detail(request, pk, revealed=False):
    member = get_member_for_user(request.user, pk)
    return render(
        request,
        "org/member_detail.html",
        {
            "member": member,
            "probationary": member.is_probationary(timezone.localdate()),
            "may_view_cell": may(request.user, Action.VIEW, member.cell),
            "memberships": member.memberships.select_related("cell").order_by("valid_from"),
            "statuses": member.statuses.select_related("unit").order_by("valid_from"),
            "positions": member.positions.select_related("unit").order_by("valid_from"),
            "disciplines": member.disciplines.select_related("unit_of_act").order_by("decided_on"),
            "years": member_years(member),
            "revealed": revealed,
        },
    )


@login_required
@require_POST
def member_reveal(request, pk):
    """The full card number and national ID, on purpose: the reveal is audited."""
    member_identifiers_reveal(actor=request.user, member=get_member_for_user(request.user, pk))
    return member_detail(request, pk, revealed=True)


@login_required
@require_http_methods(["GET", "POST"])
def roster_import_view(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.IMPORT_ROSTER)
    context = {"unit": unit, "max_mb": settings.ROSTER_MAX_UPLOAD_MB}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to import."))
            status = 400
        elif upload.size > settings.ROSTER_MAX_UPLOAD_MB * 1024 * 1024:
            messages.error(
                request,
                _("The file is larger than %(mb)s MB.") % {"mb": settings.ROSTER_MAX_UPLOAD_MB},
            )
            status = 400
        else:
            result = roster_import(
                actor=request.user,
                root=unit,
                filename=upload.name,
                data=upload.read(),
                as_of=timezone.localdate(),
            )
            context["result"] = result
            # A long list is cut: 200,000 bad rows made a 46 MiB page.
            context.update(problems_page(result.problems))
            if result.ok:
                messages.success(request, result.summary())
            else:
                messages.error(
                    request,
                    _("Nothing was imported: the file has %(n)s problem(s), listed below.")
                    % {"n": grouped(len(result.problems))},
                )
    return render(request, "org/roster_import.html", context, status=status)


@login_required
def roster_template_download(request):
    response = HttpResponse(
        roster_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-dang-vien.xlsx"'
    return response
