"""`xeploai token create --user NAME --name …`, `xeploai token list [--user NAME]`,
`xeploai token revoke --prefix PREFIX`: an administrator's script for API tokens."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from xeploai.accounts.models import User
from xeploai.api.models import ApiToken
from xeploai.api.services import token_create, token_revoke
from xeploai.errors import AppError


class Command(BaseCommand):
    help = "Create, list and revoke users' API tokens."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--user", default="")
        parser.add_argument("--name", default="")
        parser.add_argument("--prefix", default="")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user named “%(name)s”.") % {"name": username})
        return user

    def handle(self, *args, action, user, name, prefix, lang, **options):
        translation.activate(lang)
        if action == "create":
            try:
                _token, secret = token_create(actor=None, user=self._user(user), name=name)
            except AppError as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(_("Token (shown only this once):"))
            self.stdout.write(secret)
        elif action == "list":
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "pk")
            if user:
                tokens = tokens.filter(user=self._user(user))
            for t in tokens:
                state = (
                    _("revoked %(on)s") % {"on": t.revoked_at.strftime("%d/%m/%Y %H:%M")}
                    if t.revoked_at
                    else _("in use")
                )
                used = t.last_used_at.strftime("%d/%m/%Y %H:%M") if t.last_used_at else "—"
                self.stdout.write(
                    f"xl_{t.prefix}…\t{t.user.username}\t{t.name}\t"
                    f"{t.created_at.strftime('%d/%m/%Y')}\t{used}\t{state}"
                )
        else:
            token = ApiToken.objects.filter(prefix=prefix.removeprefix("xl_").rstrip("…")).first()
            if not prefix or token is None:
                raise CommandError(_("No token starts with “%(p)s”.") % {"p": prefix})
            token_revoke(actor=None, token=token)
            self.stdout.write(_("Revoked."))
