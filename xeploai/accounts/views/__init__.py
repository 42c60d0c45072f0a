"""Signing in and out. Wrong passwords are counted by django-axes (accounts/lockout.py)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xeploai.accounts.lockout import locked_until


class ThrottledLoginView(LoginView):
    """The login page. Wrong passwords are counted by django-axes (xeploai/accounts/lockout.py),
    which answers a locked client with `login_locked_out`."""

    template_name = "accounts/login.html"


def login_locked_out(request, original_response=None, credentials=None):
    """The login page again, saying when this client may try again (status 429)."""
    until = locked_until(request, credentials)
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    context = {
        "form": form,
        "next": request.POST.get("next", ""),
        "locked": True,
        "locked_until": timezone.localtime(until) if until else None,
    }
    return render(request, "accounts/login.html", context, status=429)


def logout_view(request):
    if request.method == "POST":
        logout(request)
        messages.success(request, _("You have logged out."))
    return redirect("login")
