"""The API's input boundary: a request's shape is checked by its ninja schema (types, unknown
keys), its values by the very forms the pages use (cycles/forms.py), so a limit is written once
and the API and the pages cannot disagree. A refused value is a 422 naming the field."""

from django.core.exceptions import ValidationError

from xeploai.api.core import Invalid
from xeploai.web.fields import clean_text


def text_or_invalid(name: str, value: str, max_length: int) -> str:
    try:
        return clean_text(value, max_length=max_length)
    except ValidationError as exc:
        raise Invalid({name: list(exc.messages)}) from None


def as_form_value(value) -> str:
    """What a form field would have received from a page: text. None is an empty field."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def checked(form, names: dict[str, str] | None = None):
    """The form's cleaned data, or Invalid with each field under its API name
    (`names`: the form's field name → the API's; a non-field error is under "body")."""
    if form.is_valid():
        return form.cleaned_data
    names = names or {}
    fields: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        key = "body" if name == "__all__" else names.get(name, name)
        fields.setdefault(key, []).extend(str(m) for m in messages)
    paper = getattr(form, "paper", None)
    if paper is not None and paper.is_bound and not paper.is_valid():
        for name, messages in paper.errors.items():
            fields.setdefault(names.get(name, name), []).extend(str(m) for m in messages)
    raise Invalid(fields)
