"""The input boundary: every text and number a page reads from a form or a query string passes
through one of these fields (docs/SECURITY-input.md lists the limits).

Text (`TextField`, `clean_text`):

- normalised to Unicode NFC, so that a name typed with combining accents is the stored name;
- bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are
  **stripped**: they are invisible, Vietnamese never needs them, and they can make a name read
  backwards on screen and in the exports;
- control characters (U+0000–U+001F, U+007F, U+0080–U+009F) are **refused** with a message
  naming the field, except tab and line breaks in multi-line fields (CR LF and CR become LF):
  they cannot be seen, PostgreSQL refuses NUL, and Excel and Word files cannot hold them;
- longer than the field's limit (the model's `max_length`, or `LONG_TEXT` for free text) is
  refused with the limit in the message, the same on SQLite and PostgreSQL.

Numbers (`PointsField`, `CountField`, `IdField`) accept finite decimals or integers within the
field's range and nothing else: no NaN, no infinity, no exponent, no silent zero for a typo.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from xeploai.org.dates import parse_date
from xeploai.text import BIDI, CONTROLS, CONTROLS_MULTILINE

# Free text (an opinion, strengths, a reason): about four typed pages.
LONG_TEXT = 10_000
# A search box.
SEARCH_TEXT = 100
# The largest id a database key holds (PostgreSQL bigint); beyond it nothing exists.
MAX_ID = 2**63 - 1
# A count typed by a person: tasks, votes, members present.
MAX_COUNT = 100_000


def clean_text(value: str, *, max_length: int, multiline: bool = False) -> str:
    """The text as it is stored, or ValidationError saying what is wrong with it."""
    text = unicodedata.normalize("NFC", str(value)).translate(BIDI)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if (CONTROLS_MULTILINE if multiline else CONTROLS).search(text):
        raise ValidationError(
            _("contains an invisible control character; retype it without copying it."),
            code="control",
        )
    text = text.strip()
    if len(text) > max_length:
        raise ValidationError(
            _("at most %(limit)s characters (this has %(length)s).")
            % {"limit": _number(max_length), "length": _number(len(text))},
            code="max_length",
        )
    return text


def _number(n) -> str:
    from django.utils.formats import number_format

    return number_format(n, force_grouping=True)


def number_text(n) -> str:
    """A number as the user's language writes it (12.345 in Vietnamese, 2,5 for a half)."""
    return _number(n)


class TextField(forms.CharField):
    """A line (or with `multiline`, a text) checked by `clean_text`."""

    default_error_messages = {"required": _lazy("fill this in.")}

    def __init__(self, *, max_length: int = 255, multiline: bool = False, **kwargs):
        kwargs.setdefault("required", False)
        self.limit = max_length
        self.multiline = multiline
        super().__init__(strip=False, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return ""
        return clean_text(value, max_length=self.limit, multiline=self.multiline)


class ChoiceField(forms.ChoiceField):
    """One of the options offered; the message does not repeat what was sent."""

    default_error_messages = {
        "required": _lazy("choose one of the options."),
        "invalid_choice": _lazy("choose one of the options."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class DayField(forms.Field):
    """A date written dd/mm/yyyy (or yyyy-mm-dd)."""

    default_error_messages = {"required": _lazy("write the date, dd/mm/yyyy.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = clean_text(value, max_length=32)
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            raise ValidationError(
                _("“%(value)s” is not a date; write dd/mm/yyyy.") % {"value": text}
            )
        return day


_DECIMAL = re.compile(r"[0-9]{1,9}([.,][0-9]{1,9})?")
_INTEGER = re.compile(r"-?[0-9]+")


class PointsField(forms.Field):
    """Points: a plain decimal (comma or point) between 0 and `max_value`, two decimals at
    most. Exponents, NaN and infinity are not numbers a person types."""

    def __init__(self, *, max_value: Decimal = Decimal(100), **kwargs):
        kwargs.setdefault("required", False)
        self.max_value = Decimal(max_value)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = clean_text(value, max_length=32)
        if not text:
            return None
        if not _DECIMAL.fullmatch(text):
            raise ValidationError(_("write a number of points, such as 8 or 8,5."))
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise ValidationError(_("write a number of points, such as 8 or 8,5.")) from None
        if number != number.quantize(Decimal("0.01"), rounding="ROUND_DOWN"):
            raise ValidationError(_("at most two decimal places."))
        if number > self.max_value:
            raise ValidationError(
                _("at most %(max)s points.") % {"max": _number(self.max_value.normalize())}
            )
        return number


class CountField(forms.Field):
    """A whole number from `min_value` to `max_value`; empty is None."""

    default_error_messages = {"required": _lazy("fill this in.")}

    def __init__(self, *, min_value: int = 0, max_value: int = MAX_COUNT, **kwargs):
        kwargs.setdefault("required", False)
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = clean_text(value, max_length=len(str(value)))
        if not text:
            return None
        if not _INTEGER.fullmatch(text):
            raise ValidationError(_("write a whole number, such as 12."))
        # Compared as text first: a thousand digits are never turned into an int.
        digits = text.lstrip("-").lstrip("0")
        if len(digits) > 20 and not text.startswith("-"):
            raise ValidationError(_("at most %(max)s.") % {"max": _number(self.max_value)})
        number = int(text) if len(digits) <= 20 else self.min_value - 1
        if number < self.min_value:
            raise ValidationError(_("at least %(min)s.") % {"min": _number(self.min_value)})
        if number > self.max_value:
            raise ValidationError(_("at most %(max)s.") % {"max": _number(self.max_value)})
        return number


class IdField(CountField):
    """A record's number as a form or a query string names it."""

    default_error_messages = {"required": _lazy("missing; reload the page and try again.")}

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_ID, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(_("not understood; reload the page and try again.")) from None


class BoundaryForm(forms.Form):
    """A form whose errors read "Field: what is wrong", in the user's language."""

    def messages(self) -> list[str]:
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else None
            for error in errors:
                out.append(f"{label}: {error}" if label else str(error))
        return out

    def field_errors(self) -> dict[str, str]:
        """The first message of each field, to show beside it."""
        return {name: str(errors[0]) for name, errors in self.errors.items()}
