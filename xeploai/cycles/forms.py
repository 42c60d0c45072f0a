"""The forms of the season's pages and their query strings, built from the boundary's fields
(web/fields.py). A form that is not valid is answered 400 with its messages; nothing it holds
reaches a service."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xeploai.cycles.models import (
    Cycle,
    CycleDocument,
    Decision,
    Level,
    Opinion,
    OpinionSource,
    PeriodKind,
    RemediationStatus,
)
from xeploai.cycles.services.decisions import PaperRecord
from xeploai.cycles.tally import tally_problems, task_problems
from xeploai.web.fields import (
    LONG_TEXT,
    BoundaryForm,
    ChoiceField,
    CountField,
    DayField,
    IdField,
    PointsField,
    TextField,
    number_text,
)

NOT_UNDERSTOOD = _lazy("The form was not understood; reload the page and try again.")


_NUMBERED = re.compile(r"(level|pick|item)_([0-9]{1,18})")


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


def item_maximum(group, item) -> Decimal:
    """An item's most points: its own weight, or its group's maximum where the annex sets none
    (§8.5); the page shows it and the form holds to it."""
    return item.weight if item.weight is not None else group.max_points


def _long(label) -> TextField:
    return TextField(label=label, max_length=LONG_TEXT, multiline=True)


class CycleOpenForm(BoundaryForm):
    name = TextField(label=_lazy("Name"), max_length=_max(Cycle, "name"), required=True)
    period_kind = ChoiceField(label=_lazy("Period"), choices=PeriodKind.choices, required=True)
    period_start = DayField(label=_lazy("From (dd/mm/yyyy)"), required=True)
    period_end = DayField(label=_lazy("To (dd/mm/yyyy)"), required=True)
    deadline_self_submitted = DayField(label=_lazy("Self-reviews due (dd/mm/yyyy)"))
    deadline_appraised = DayField(label=_lazy("Appraisals due (dd/mm/yyyy)"))
    deadline_decided = DayField(label=_lazy("Everything decided by (dd/mm/yyyy)"))

    def deadlines(self) -> list:
        steps = ("self_submitted", "appraised", "decided")
        data = self.cleaned_data
        return [(s, "", data[f"deadline_{s}"]) for s in steps if data[f"deadline_{s}"]]


class DeadlinesForm(BoundaryForm):
    """The deadlines for all units, edited after opening (kind-specific ones are kept)."""

    deadline_self_submitted = DayField(label=_lazy("Self-reviews due (dd/mm/yyyy)"))
    deadline_appraised = DayField(label=_lazy("Appraisals due (dd/mm/yyyy)"))
    deadline_decided = DayField(label=_lazy("Everything decided by (dd/mm/yyyy)"))

    deadlines = CycleOpenForm.deadlines


class CancelForm(BoundaryForm):
    reason = TextField(
        label=_lazy("Reason for cancelling"), max_length=LONG_TEXT, multiline=True, required=True
    )


class CycleDocumentForm(BoundaryForm):
    title = TextField(label=_lazy("Title"), max_length=_max(CycleDocument, "title"))
    number = TextField(label=_lazy("Document number"), max_length=_max(CycleDocument, "number"))
    issued_on = DayField(label=_lazy("Date (dd/mm/yyyy)"))


class TransitionForm(BoundaryForm):
    reason = _long(_lazy("Reason for reopening"))


class PaperForm(BoundaryForm):
    """A paper decision's number, date and signer; the date is needed once there is a number."""

    paper_number = TextField(
        label=_lazy("Document number"), max_length=_max(Decision, "document_number")
    )
    paper_date = DayField(label=_lazy("Date (dd/mm/yyyy)"))
    paper_signer = TextField(label=_lazy("Signed by"), max_length=_max(Decision, "signer"))

    def clean(self):
        data = super().clean()
        if (
            data.get("paper_number")
            and not data.get("paper_date")
            and "paper_date" not in (self.errors)
        ):
            self.add_error("paper_date", _("write the date, dd/mm/yyyy."))
        return data


class RerateForm(PaperForm):
    level = ChoiceField(label=_lazy("New level"), choices=Level.choices, required=True)
    reason = TextField(
        label=_lazy("Reason"),
        max_length=LONG_TEXT,
        multiline=True,
        required=True,
        error_messages={"required": _lazy("A re-rating needs its reason.")},
    )


class OpinionForm(BoundaryForm):
    source = ChoiceField(label=_lazy("From"), choices=OpinionSource.choices, required=True)
    author = TextField(label=_lazy("Who gave it"), max_length=_max(Opinion, "author"))
    text = TextField(
        label=_lazy("Content"),
        max_length=LONG_TEXT,
        multiline=True,
        required=True,
        error_messages={"required": _lazy("Write the opinion's content.")},
    )
    received_on = DayField(label=_lazy("Received on (dd/mm/yyyy)"), required=True)


TEXTS = {
    "strengths": _lazy("Strengths and results"),
    "shortcomings": _lazy("Shortcomings (one per line)"),
    "causes": _lazy("Causes"),
    "prompt_answers": _lazy("Answers to the review prompts"),
    "direction": _lazy("Direction and measures"),
}


TASKS = {
    "total": _lazy("Assigned"),
    "completed": _lazy("Completed"),
    "on_time": _lazy("On time"),
    "late": _lazy("Late"),
    "exceeding": _lazy("Exceeding requirements"),
}


class _Prefixed(BoundaryForm):
    """A form with fields named `<prefix>_<key>` built per object: a key it does not know is
    refused rather than silently dropped or read as a number it is not."""

    prefixes: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        for key in self.data:
            if key.startswith(self.prefixes) and key not in self.fields:
                raise ValidationError(NOT_UNDERSTOOD)
        return data


class SelfAssessmentForm(_Prefixed):
    """The annex's points per item, the tasks, the texts, the proposed level and the status of
    every earlier shortcoming."""

    prefixes = ("score_", "item_", "tasks_")
    version = IdField(label=_lazy("Version"), required=True)
    proposed_level = ChoiceField(
        label=_lazy("The level you propose for yourself"), choices=Level.choices
    )

    def __init__(self, data, *, sheet=None, earlier=(), english=False, **kwargs):
        super().__init__(data, **kwargs)
        self.groups = sheet.groups if sheet else ()
        self.english = english
        self.group_errors: dict[str, str] = {}
        for group in self.groups:
            for item in group.items:
                label = item.label_en if english else item.label_vi
                self.fields[f"score_{item.code}"] = PointsField(
                    label=_("Points: %(item)s") % {"item": label},
                    max_value=item_maximum(group, item),
                )
        for name, label in TASKS.items():
            self.fields[f"tasks_{name}"] = CountField(label=label)
        for name, label in TEXTS.items():
            self.fields[name] = _long(label)
        for item in earlier:
            self.fields[f"item_{item.pk}"] = ChoiceField(
                label=item.text[:80], choices=RemediationStatus.choices
            )

    def clean(self):
        """Each group's items together within the group's maximum (QĐ 366 Phụ lục 1–5): said
        beside the group, before the rule core is asked."""
        data = super().clean()
        if not any(f"tasks_{name}" in self.errors for name in TASKS):
            tasks = {name: data.get(f"tasks_{name}") for name in TASKS}
            for field, message in task_problems(tasks):
                self.add_error(field, message)
        for group in self.groups:
            names = [f"score_{item.code}" for item in group.items]
            if any(name in self.errors for name in names):
                continue
            total = sum((data.get(name) or Decimal(0) for name in names), Decimal(0))
            if total > group.max_points:
                label = group.label_en if self.english else group.label_vi
                message = _("the points of this group add up to %(total)s, at most %(max)s.") % {
                    "total": number_text(total.normalize()),
                    "max": number_text(group.max_points),
                }
                self.group_errors[group.code] = message
                self.add_error(None, f"{label}: {message}")
        return data

    def field_errors(self) -> dict[str, str]:
        errors = super().field_errors()
        errors.update({f"group_{code}": m for code, m in self.group_errors.items()})
        return errors

    def scores(self) -> dict[str, str]:
        return {
            key[6:]: str(value)
            for key, value in self.cleaned_data.items()
            if key.startswith("score_") and value is not None
        }

    def tasks(self) -> dict[str, int]:
        return {name: self.cleaned_data[f"tasks_{name}"] or 0 for name in TASKS}

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in TEXTS}

    def remediation(self) -> dict[int, str]:
        return {
            int(key[5:]): value
            for key, value in self.cleaned_data.items()
            if key.startswith("item_") and value
        }


class AppraisalForm(_Prefixed):
    """The meeting's tally and the proposal: whole numbers, present no more than those convened,
    votes no more than those present, and a reason for a proposal the majority did not vote for
    (cycles/tally.py, which the service asks too)."""

    prefixes = ("votes_",)
    version = IdField(label=_lazy("Version"), required=True)
    attendees = CountField(
        label=_lazy("Present"),
        required=True,
        error_messages={"required": _lazy("write how many members were present.")},
    )
    proposed_level = ChoiceField(
        label=_lazy("Proposed level"), choices=Level.choices, required=True
    )
    reason = _long(_lazy("Reason"))

    def __init__(self, data, *, convened=None, **kwargs):
        super().__init__(data, **kwargs)
        self.convened = convened
        for value, label in Level.choices:
            self.fields[f"votes_{value}"] = CountField(
                label=_("Votes: %(l)s") % {"l": label},
                required=True,
                error_messages={"required": _lazy("write the votes, 0 where none.")},
            )

    def votes(self) -> dict[str, int]:
        return {level: self.cleaned_data.get(f"votes_{level}") or 0 for level in Level.values}

    def clean(self):
        data = super().clean()
        if any(f"votes_{level}" in self.errors for level in Level.values) or self.errors.get(
            "attendees"
        ):
            return data
        convened = self.convened
        for field, message in tally_problems(
            votes=self.votes(),
            attendees=data.get("attendees"),
            convened=convened.count if convened else None,
            cell=convened.cell if convened else True,
            proposed_level=data.get("proposed_level") or "",
            reason=data.get("reason") or "",
        ):
            if field == "votes":
                field = f"votes_{data.get('proposed_level') or Level.values[0]}"
            if field not in self.errors:
                self.add_error(field, message)
        return data


class BoardForm(BoundaryForm):
    """The calibration board: `level_<subject>` (a what-if level, or empty) and `pick_<subject>`
    (ticked to decide), with the paper decision's fields."""

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.paper = PaperForm(data)

    def clean(self):
        data = super().clean()
        levels: dict[int, str] = {}
        picked: set[int] = set()
        for key, value in self.data.items():
            if not key.startswith(("level_", "pick_")):
                continue
            match = _NUMBERED.fullmatch(key)
            if match is None:
                raise ValidationError(NOT_UNDERSTOOD)
            subject = int(match[2])
            if match[1] == "pick":
                picked.add(subject)
            elif value:
                if value not in Level.values:
                    raise ValidationError(_("Choose one of the four levels."))
                levels[subject] = value
        data["what_if"] = levels
        data["chosen"] = {pk: level for pk, level in levels.items() if pk in picked}
        return data

    def is_valid(self) -> bool:
        own = super().is_valid()
        return self.paper.is_valid() and own

    def messages(self) -> list[str]:
        return [*super().messages(), *self.paper.messages()]


class UnitQueryForm(BoundaryForm):
    """`?unit=` on the cycle page."""

    unit = IdField(label=_lazy("Unit"))


def paper_record(form: PaperForm):
    """A paper decision's document, when its number is given."""
    data = form.cleaned_data
    if not data["paper_number"]:
        return None
    return PaperRecord(data["paper_number"], data["paper_date"], data["paper_signer"])
