"""The activation page: a member types the login name and the one-time code from the printed
sheet and chooses a password. Wrong codes are counted per code (activation.py) and the page
is throttled like the login page by django-axes' per-client counter."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xeploai.accounts.activation import account_activate
from xeploai.accounts.forms import ActivateForm
from xeploai.errors import AppError


def activate(request):
    form = ActivateForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = account_activate(
                    username=data["username"], code=data["code"], password=data["password1"]
                )
            except AppError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(
                    request,
                    _("Your account %(name)s is active. Log in with your new password.")
                    % {"name": user.username},
                )
                return redirect("login")
    return render(
        request,
        "accounts/activate.html",
        {
            "form": {"username": request.POST.get("username", "")} if form.is_bound else {},
            "errors": form.field_errors() if form.is_bound else {},
        },
        status=status,
    )
