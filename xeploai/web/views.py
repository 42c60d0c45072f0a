"""The home page: each user's roles, units and, for a member, their own reviews."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from xeploai.accounts.access import (
    active_grants,
    root_units_for_user,
)
from xeploai.accounts.models import Role, RoleGrant
from xeploai.cycles.selectors import own_reviews
from xeploai.reports.multiyear import member_years


@login_required
def home(request):
    today = timezone.localdate()
    active_grants(request.user, today)
    grants = (
        RoleGrant.objects.filter(user=request.user, valid_from__lte=today)
        .exclude(valid_to__lt=today)
        .select_related("unit")
        .order_by("unit__path")
    )
    member = request.user.member
    own = {**own_reviews(member), "years": member_years(member)} if member is not None else {}
    return render(
        request,
        "web/home.html",
        {
            "grants": [(Role(g.role).label, g.unit) for g in grants],
            "roots": root_units_for_user(request.user),
            "me": request.user.member,
            **own,
        },
    )
