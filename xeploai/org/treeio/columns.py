"""The columns of a unit-tree workbook, the words accepted in them, and the header row."""

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _lazy

from xeploai.org.models import OrgType, UnitKind
from xeploai.org.roster.columns import header_key


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    variants: tuple[str, ...]
    required: bool
    help: object


COLUMNS = (
    Column(
        "code", "Mã đơn vị", ("Ma", "Code", "Unit code"), True, _lazy("Unique code of the unit.")
    ),
    Column("name", "Tên đơn vị", ("Ten", "Name", "Unit name"), True, _lazy("Full name.")),
    Column(
        "kind",
        "Loại đơn vị",
        ("Loai", "Kind"),
        True,
        _lazy("One of the kinds in the list below."),
    ),
    Column(
        "org_type",
        "Loại hình tổ chức",
        ("Loai hinh", "Organization type"),
        False,
        _lazy("One of the organization types in the list below; empty: other."),
    ),
    Column(
        "parent",
        "Mã đơn vị cấp trên",
        ("Ma cap tren", "Parent code", "Parent"),
        False,
        _lazy(
            "Code of the unit above, in this file or already in the tree; empty: the unit "
            "the file is imported under."
        ),
    ),
    Column(
        "has_cell_committee",
        "Có chi ủy",
        ("Chi uy", "Has a cell committee"),
        False,
        _lazy("Có or empty (no)."),
    ),
)

HEADER_TO_FIELD = {header_key(name): c.field for c in COLUMNS for name in (c.header, *c.variants)}

YES = {"co", "x", "yes", "1", "true"}
NO = {"", "khong", "no", "0", "false"}


def _words(enum) -> dict[str, str]:
    """Every spelling of each value: its Vietnamese and English labels and the value itself."""
    words = {}
    for value, label in enum.choices:
        words[header_key(value.replace("_", " "))] = value
        for lang in ("en", "vi"):
            with translation.override(lang):
                words[header_key(str(label))] = value
    return words


def kind_words() -> dict[str, str]:
    return _words(UnitKind)


def org_type_words() -> dict[str, str]:
    return _words(OrgType)
