"""The roster columns committees already keep, with the header variants seen in their sheets.

Headers are matched after folding (no accents, lower case, single spaces, no punctuation), so
"Họ và tên", "HỌ VÀ TÊN" and "Ho va ten" are the same column.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xeploai.org.names import fold


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # the header the template uses
    variants: tuple[str, ...]
    required: bool
    help: object  # lazy translation: what to write in it


COLUMNS = (
    Column(
        "full_name",
        "Họ và tên",
        ("Họ tên", "Họ và tên đảng viên", "Tên đảng viên", "Họ và tên khai sinh"),
        True,
        _("Full name as on the party card."),
    ),
    Column(
        "date_of_birth",
        "Ngày sinh",
        ("Ngày tháng năm sinh", "Sinh ngày", "Năm sinh"),
        True,
        _("Date, dd/mm/yyyy."),
    ),
    Column("sex", "Giới tính", ("Nam/Nữ", "Nam nữ", "Phái"), True, _("Nam or Nữ.")),
    Column(
        "card_number",
        "Số thẻ đảng viên",
        ("Số thẻ ĐV", "Số thẻ", "Số thẻ Đảng", "Số thẻ đảng"),
        False,
        _(
            "Party card number; required unless the national ID is given (probationary "
            "members have no card yet)."
        ),
    ),
    Column(
        "national_id",
        "Số CCCD",
        (
            "CCCD",
            "Số định danh",
            "Số định danh cá nhân",
            "Căn cước công dân",
            "Số căn cước",
            "CMND/CCCD",
            "Số CMND/CCCD",
        ),
        False,
        _("National ID: 12 digits (9 for an old identity card)."),
    ),
    Column(
        "admitted_on",
        "Ngày vào Đảng",
        ("Ngày kết nạp", "Ngày kết nạp Đảng", "Ngày vào đảng"),
        True,
        _("Date of admission, dd/mm/yyyy."),
    ),
    Column(
        "official_on",
        "Ngày chính thức",
        ("Ngày công nhận chính thức", "Ngày chuyển chính thức", "Ngày đảng viên chính thức"),
        False,
        _("Date of official membership, dd/mm/yyyy; empty for a probationary member."),
    ),
    Column(
        "cell",
        "Chi bộ",
        ("Tên chi bộ", "Chi bộ sinh hoạt", "Mã chi bộ"),
        True,
        _("Code or name of the cell of official membership."),
    ),
    Column(
        "organization",
        "Đảng bộ",
        ("Đảng bộ cơ sở", "Tên đảng bộ", "Đảng bộ trực thuộc"),
        False,
        _(
            "Code or name of the party committee above the cell, to tell apart cells "
            "with the same name."
        ),
    ),
    Column(
        "status",
        "Tình trạng",
        ("Tình trạng sinh hoạt", "Trạng thái"),
        False,
        _(
            "Empty or 'Đang sinh hoạt'; 'Miễn công tác và sinh hoạt đảng'; "
            "'Đình chỉ sinh hoạt đảng'."
        ),
    ),
)

BY_FIELD = {c.field: c for c in COLUMNS}


def header_key(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", fold(str(text))).strip().replace("  ", " ")


_HEADER_TO_FIELD = {
    header_key(name): column.field
    for column in COLUMNS
    for name in (column.header, *column.variants)
}


def field_for_header(text: object) -> str | None:
    if text is None:
        return None
    return _HEADER_TO_FIELD.get(" ".join(header_key(str(text)).split()))


STATUS_VALUES = {
    "": None,
    "dang sinh hoat": None,
    "binh thuong": None,
    "mien cong tac va sinh hoat dang": "exempt",
    "mien cong tac va sinh hoat": "exempt",
    "mien sinh hoat dang": "exempt",
    "mien sinh hoat": "exempt",
    "dinh chi sinh hoat dang": "suspended",
    "dinh chi sinh hoat": "suspended",
}

SEX_VALUES = {
    "nam": "male",
    "nu": "female",
    "male": "male",
    "female": "female",
    "m": "male",
    "f": "female",
}
