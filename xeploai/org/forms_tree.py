"""Forms of the tree pages: create, rename, move, merge, dissolve, import."""

from django import forms
from django.utils.translation import gettext_lazy as _lazy

from xeploai.org.models import OrgType, Unit, UnitKind
from xeploai.web.fields import BoundaryForm, ChoiceField, DayField, TextField


def _max(field: str) -> int:
    return Unit._meta.get_field(field).max_length


YES_NO = [("no", _lazy("No")), ("yes", _lazy("Yes"))]
ON = _lazy("Date (dd/mm/yyyy)")


class UnitCreateForm(BoundaryForm):
    code = TextField(label=_lazy("Code"), max_length=_max("code"), required=True)
    name = TextField(label=_lazy("Name"), max_length=_max("name"), required=True)
    kind = ChoiceField(label=_lazy("Kind"), choices=UnitKind.choices, required=True)
    org_type = ChoiceField(label=_lazy("Organization type"), choices=OrgType.choices, required=True)
    has_cell_committee = ChoiceField(
        label=_lazy("Has its own cell committee"), choices=YES_NO, required=True
    )
    on = DayField(label=_lazy("Established on (dd/mm/yyyy)"), required=True)


class UnitRenameForm(BoundaryForm):
    name = TextField(label=_lazy("New name"), max_length=_max("name"), required=True)
    on = DayField(label=ON, required=True)


class UnitMoveForm(BoundaryForm):
    target = TextField(label=_lazy("Code of the new parent unit"), max_length=64, required=True)
    on = DayField(label=ON, required=True)


class UnitMergeForm(BoundaryForm):
    target = TextField(label=_lazy("Code of the unit it merges into"), max_length=64, required=True)
    on = DayField(label=ON, required=True)


class UnitDissolveForm(BoundaryForm):
    on = DayField(label=ON, required=True)
    note = TextField(label=_lazy("Reason or decision"), max_length=1000)


class TreeImportForm(BoundaryForm):
    file = forms.FileField(
        label=_lazy("File"), error_messages={"required": _lazy("choose a file to import.")}
    )
