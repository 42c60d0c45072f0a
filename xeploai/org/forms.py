"""The search box of the member list."""

from django.utils.translation import gettext_lazy as _lazy

from xeploai.web.fields import SEARCH_TEXT, BoundaryForm, TextField


class SearchForm(BoundaryForm):
    q = TextField(label=_lazy("Search"), max_length=SEARCH_TEXT)
