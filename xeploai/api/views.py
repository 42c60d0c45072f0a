"""The user's own API tokens: create one (its secret shown once), list them, revoke one.

The secret is shown in the answer to the POST itself, not after a redirect: it is then never
kept anywhere on the server, not even for a moment in the session."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from xeploai.api.models import ApiToken
from xeploai.api.services import token_create, token_revoke, tokens_of
from xeploai.errors import AppError
from xeploai.web.fields import BoundaryForm, TextField


class TokenForm(BoundaryForm):
    name = TextField(
        label=_lazy("Name of the token"),
        max_length=ApiToken._meta.get_field("name").max_length,
        required=True,
    )


@login_required
def token_list(request):
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = None
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            _token, secret = token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except AppError as exc:
            form.add_error("name", exc.message)
            status = 400
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "tokens": tokens_of(request.user),
            "secret": secret,
            "posted": request.POST if status == 400 else {},
            "errors": form.field_errors() if form.is_bound else {},
        },
        status=status,
    )


@login_required
@require_POST
def token_revoke_view(request, pk):
    token = tokens_of(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token is revoked; programs using it can no longer sign in."))
    return redirect("api_tokens")
