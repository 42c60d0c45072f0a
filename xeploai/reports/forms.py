"""`?number=` on the decision list."""

from django.utils.translation import gettext_lazy as _lazy

from xeploai.cycles.models import (
    Decision,
)
from xeploai.web.fields import BoundaryForm, TextField


class NumberQueryForm(BoundaryForm):
    """`?number=` on the decision list: one paper decision's."""

    number = TextField(
        label=_lazy("Document number"),
        max_length=Decision._meta.get_field("document_number").max_length,
    )
