"""Accounts and roles under a unit: who holds what, members' accounts and their code sheets,
grants (also acting ones) and their end, staff accounts, deactivation. Every object comes
through the access module; every write is a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xeploai.accounts.access import (
    Action,
    get_grant_for_user,
    get_unit_for_user,
    may_manage_user,
    units_for_user,
)
from xeploai.accounts.activation import VALID_DAYS, accounts_create_for_unit
from xeploai.accounts.forms import (
    CreateAccountsForm,
    EndGrantForm,
    GrantForm,
    StaffForm,
)
from xeploai.accounts.models import Role, RoleGrant, User
from xeploai.accounts.services import role_grant, role_grant_end, staff_create, user_deactivate
from xeploai.accounts.sheets import codes_document, codes_workbook
from xeploai.errors import AppError
from xeploai.org.models import Member
from xeploai.org.tree import subtree_q
from xeploai.web.fields import BoundaryForm, TextField

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_GRANTS = 500


class DeactivateForm(BoundaryForm):
    username = TextField(label=_("Login name"), max_length=150, required=True)


@login_required
def accounts_home(request):
    """The units where the user manages accounts, outermost first."""
    units = units_for_user(request.user, Action.MANAGE_USERS).order_by("depth", "path")[:50]
    if not units:
        raise PermissionDenied
    return render(request, "accounts/accounts_home.html", {"units": units})


def _page(request, unit, *, grant_form=None, status=200):
    today = timezone.localdate()
    grants = (
        RoleGrant.objects.filter(subtree_q(unit.path, "unit__path"))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .select_related("user", "unit", "acting_for")
        .order_by("unit__path", "role", "valid_from", "pk")
    )
    counts = Member.objects.filter(
        subtree_q(unit.path, "cell__path"), left_on__isnull=True
    ).aggregate(
        members=Count("pk"),
        accounts=Count("user"),
        activated=Count("user", filter=~Q(user__password__startswith="!")),
    )
    return render(
        request,
        "accounts/unit_accounts.html",
        {
            "unit": unit,
            "grants": list(grants[:SHOWN_GRANTS]),
            "more_grants": grants.count() > SHOWN_GRANTS,
            "counts": counts,
            "today": today,
            "valid_days": VALID_DAYS,
            "roles": Role.choices,
            "grant_form": request.POST if grant_form is not None else {},
            "errors": grant_form.field_errors() if grant_form is not None else {},
        },
        status=status,
    )


@login_required
def unit_accounts(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_USERS)
    return _page(request, unit)


@login_required
@require_POST
def account_codes(request, pk):
    """Create the missing accounts, issue fresh codes, answer with the sheet to print."""
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_USERS)
    form = CreateAccountsForm(request.POST)
    if not form.is_valid():
        for message in form.messages():
            messages.error(request, message)
        return _page(request, unit, status=400)
    issued = accounts_create_for_unit(
        actor=request.user, unit=unit, subtree=form.cleaned_data["scope"] == "subtree"
    )
    expires = timezone.localdate() + timezone.timedelta(days=VALID_DAYS)
    url = request.build_absolute_uri(reverse("activate"))
    from xeploai.reports.pdf import CONTENT_TYPE, render_pdf
    from xeploai.reports.views import attachment

    if form.cleaned_data["fmt"] == "xlsx":
        data = codes_workbook(unit, issued, url, expires)
        return attachment(data, XLSX, f"activation-codes-{unit.code}.xlsx")
    document = codes_document(unit, issued, url, expires)
    return attachment(render_pdf(document), CONTENT_TYPE, f"{document.filename}.pdf")


def _user_named(request, username: str, field: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise AppError(
            _("No account has the login name %(name)s.") % {"name": username}, field=field
        )
    return user


@login_required
@require_POST
def grant_add(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_USERS)
    form = GrantForm(request.POST)
    if not form.is_valid():
        return _page(request, unit, grant_form=form, status=400)
    data = form.cleaned_data
    try:
        user = _user_named(request, data["username"], "username")
        acting_for = (
            _user_named(request, data["acting_for"], "acting_for") if data["acting_for"] else None
        )
        grant = role_grant(
            actor=request.user,
            user=user,
            role=data["role"],
            unit=unit,
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            acting_for=acting_for,
        )
    except AppError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return _page(request, unit, grant_form=form, status=400)
    except PermissionDenied:
        form.add_error("role", _("you may not grant this role here: it is above your own."))
        return _page(request, unit, grant_form=form, status=403)
    messages.success(
        request,
        _("%(name)s now holds the role %(role)s.")
        % {"name": user.username, "role": grant.get_role_display()},
    )
    return redirect("unit_accounts", unit.pk)


@login_required
@require_POST
def grant_end(request, pk):
    grant = get_grant_for_user(request.user, pk)
    form = EndGrantForm(request.POST)
    if form.is_valid():
        try:
            role_grant_end(actor=request.user, grant=grant, on=form.cleaned_data["on"])
        except AppError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The grant has ended."))
            return redirect("unit_accounts", grant.unit_id)
    for message in form.messages():
        messages.error(request, message)
    return _page(request, grant.unit, status=400)


@login_required
@require_POST
def account_deactivate(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_USERS)
    form = DeactivateForm(request.POST)
    target = None
    if form.is_valid():
        target = User.objects.filter(username=form.cleaned_data["username"]).first()
        # One answer for "no such account" and "not yours": nobody learns other units' logins.
        if target is None or not may_manage_user(request.user, target):
            form.add_error("username", _("no account you manage has this login name."))
    if not form.is_valid():
        for message in form.messages():
            messages.error(request, message)
        return _page(request, unit, status=400)
    try:
        user_deactivate(actor=request.user, user=target)
    except AppError as error:
        messages.error(request, error.message)
        return _page(request, unit, status=400)
    messages.success(request, _("The account %(name)s is deactivated.") % {"name": target.username})
    return redirect("unit_accounts", unit.pk)


@login_required
def staff_new(request, pk):
    unit = get_unit_for_user(request.user, pk, Action.MANAGE_USERS)
    form = StaffForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = staff_create(
                    actor=request.user,
                    username=data["username"],
                    password=data["password1"],
                    full_name=data["full_name"],
                    email=data["email"],
                    role=data["role"],
                    unit=unit,
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                )
            except AppError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except PermissionDenied:
                form.add_error("role", _("you may not grant this role here: it is above your own."))
                status = 403
            else:
                messages.success(
                    request, _("The account %(name)s is created.") % {"name": user.username}
                )
                return redirect("unit_accounts", unit.pk)
    return render(
        request,
        "accounts/staff_new.html",
        {
            "unit": unit,
            "form": request.POST,
            "errors": form.field_errors() if form.is_bound else {},
            "roles": StaffForm.base_fields["role"].choices,
        },
        status=status,
    )
