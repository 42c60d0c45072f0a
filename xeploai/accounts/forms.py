"""The accounts pages' forms, built from the input boundary's fields (web/fields.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from xeploai.accounts.models import Role
from xeploai.web.fields import BoundaryForm, ChoiceField, DayField, TextField

SCOPES = [("subtree", _("this unit and every unit under it")), ("cell", _("this unit only"))]
FORMATS = [("xlsx", _("Excel workbook (.xlsx)")), ("pdf", _("PDF for printing"))]


class CreateAccountsForm(BoundaryForm):
    scope = ChoiceField(label=_("Members of"), choices=SCOPES, required=True)
    fmt = ChoiceField(label=_("Sheet of codes"), choices=FORMATS, required=True)


class GrantForm(BoundaryForm):
    username = TextField(label=_("Login name"), max_length=150, required=True)
    role = ChoiceField(label=_("Role"), choices=Role.choices, required=True)
    valid_from = DayField(label=_("From"), required=True)
    valid_to = DayField(label=_("To (inclusive, empty: no end)"))
    acting_for = TextField(
        label=_("Acting for (login name, empty: in one's own right)"), max_length=150
    )


class EndGrantForm(BoundaryForm):
    on = DayField(label=_("Last day"), required=True)


class PasswordPairForm(BoundaryForm):
    password1 = forms.CharField(label=_("Password"), strip=False, max_length=128)
    password2 = forms.CharField(label=_("Password again"), strip=False, max_length=128)

    def clean_password2(self):
        if self.cleaned_data.get("password1") != self.cleaned_data.get("password2"):
            raise ValidationError(_("the two passwords differ."))
        return self.cleaned_data["password2"]


class StaffForm(PasswordPairForm):
    username = TextField(label=_("Login name"), max_length=150, required=True)
    full_name = TextField(label=_("Full name"), max_length=150, required=True)
    email = TextField(label=_("E-mail (for password reset)"), max_length=254)
    role = ChoiceField(label=_("Role"), choices=Role.choices, required=True)
    valid_from = DayField(label=_("From"), required=True)
    valid_to = DayField(label=_("To (inclusive, empty: no end)"))

    field_order = ["username", "full_name", "email", "role", "valid_from", "valid_to"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise ValidationError(_("not an e-mail address.")) from None
        return email


class ActivateForm(PasswordPairForm):
    username = TextField(label=_("Login name"), max_length=150, required=True)
    code = TextField(label=_("Activation code"), max_length=32, required=True)

    field_order = ["username", "code", "password1", "password2"]
