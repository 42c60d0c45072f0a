"""The two extra sheets of a roster workbook: posts ("Chức vụ") and discipline ("Kỷ luật").

A row names its member by party card number or national ID (the member is on the members sheet
of the same workbook, or already in the unit imported into); values are matched after folding,
like the members sheet's headers.
"""

from django.utils.translation import gettext_lazy as _

from xeploai.org.models import DisciplineForm, ManagingLevel, PositionKind
from xeploai.org.roster.columns import BY_FIELD, Column, header_key

_WHO = (
    Column(
        "card_number",
        BY_FIELD["card_number"].header,
        BY_FIELD["card_number"].variants,
        False,
        _("The member's party card number, as on the members sheet."),
    ),
    Column(
        "national_id",
        BY_FIELD["national_id"].header,
        BY_FIELD["national_id"].variants,
        False,
        _("The member's national ID, when the card number is not given."),
    ),
    Column(
        "full_name",
        BY_FIELD["full_name"].header,
        BY_FIELD["full_name"].variants,
        False,
        _("The member's name, checked against the number."),
    ),
)

POST_COLUMNS = (
    *_WHO,
    Column(
        "post",
        "Chức vụ",
        ("Chức vụ đảng", "Loại chức vụ", "Chức vụ đảm nhiệm"),
        True,
        _(
            "Bí thư chi bộ, Phó Bí thư chi bộ, Cấp ủy viên, Ủy viên Ban Thường vụ, Bí thư đảng ủy, "
            "Phó Bí thư đảng ủy, Người đứng đầu cơ quan, đơn vị, Cấp phó người đứng đầu, or "
            "Chức vụ khác. Bí thư and Phó Bí thư alone are read from the unit."
        ),
    ),
    Column(
        "title",
        "Chức danh",
        ("Tên chức danh", "Chức danh cụ thể"),
        False,
        _("The title in full, e.g. Chủ tịch UBND xã; up to 255 characters."),
    ),
    Column(
        "unit",
        "Đơn vị",
        ("Mã đơn vị", "Tổ chức đảng", "Nơi giữ chức vụ"),
        True,
        _(
            "Code or name of the party cell or committee the post belongs to (for a head of an "
            "agency: the party committee of that agency)."
        ),
    ),
    Column(
        "leadership",
        "Lãnh đạo, quản lý",
        ("Chức vụ lãnh đạo, quản lý", "Là lãnh đạo, quản lý"),
        False,
        _(
            "Có or Không. Empty: Có for secretaries, deputy secretaries, standing committee "
            "members, heads and deputy heads; Không otherwise."
        ),
    ),
    Column(
        "managing_level",
        "Cấp quản lý cán bộ",
        ("Diện quản lý", "Cấp quản lý"),
        False,
        _(
            "Bộ Chính trị, Ban Bí thư; Ban Thường vụ Tỉnh ủy; Cấp ủy cấp trên trực tiếp của cơ "
            "sở; Đảng ủy cơ sở; or empty when the cadre is not managed by a committee."
        ),
    ),
    Column(
        "valid_from",
        "Từ ngày",
        ("Ngày bắt đầu", "Ngày nhận chức vụ", "Ngày bổ nhiệm"),
        True,
        _("Date the post began, dd/mm/yyyy."),
    ),
    Column(
        "valid_to",
        "Đến ngày",
        ("Ngày kết thúc", "Ngày thôi chức vụ"),
        False,
        _(
            "Date the post ended, dd/mm/yyyy; empty while it is held. An ended post stays in "
            "the history."
        ),
    ),
)

DISCIPLINE_COLUMNS = (
    *_WHO,
    Column(
        "form",
        "Hình thức kỷ luật",
        ("Hình thức", "Kỷ luật"),
        True,
        _("Khiển trách, Cảnh cáo, Cách chức or Khai trừ."),
    ),
    Column(
        "violation_on",
        "Ngày vi phạm",
        ("Ngày xảy ra vi phạm",),
        True,
        _("Date of the violation, dd/mm/yyyy."),
    ),
    Column(
        "decided_on",
        "Ngày quyết định",
        ("Ngày ra quyết định", "Ngày quyết định kỷ luật"),
        True,
        _("Date of the discipline decision, dd/mm/yyyy: it decides the year the record counts in."),
    ),
    Column(
        "unit_of_act",
        "Nơi vi phạm",
        ("Đơn vị nơi vi phạm", "Nơi xảy ra vi phạm"),
        True,
        _("Code or name of the party unit where the act happened."),
    ),
    Column(
        "duty_related",
        "Liên quan công vụ",
        ("Liên quan thực thi công vụ", "Vi phạm liên quan công vụ"),
        True,
        _("Có or Không: whether the violation is related to official duties."),
    ),
    Column(
        "note",
        "Ghi chú",
        ("Số quyết định", "Nội dung"),
        False,
        _("The decision's number or a short note; up to 500 characters."),
    ),
)

POSTS_SHEET = "Chức vụ"
DISCIPLINE_SHEET = "Kỷ luật"
_POSTS_NAMES = {"chuc vu", "chuc vu lanh dao", "chuc vu lanh dao quan ly", "positions", "posts"}
_DISCIPLINE_NAMES = {"ky luat", "ky luat dang", "discipline"}
_GUIDE_NAMES = {"huong dan", "guide"}


def sheet_role(name: str) -> str | None:
    """ "posts", "discipline" or "guide" for the sheets the import knows by name; None for a
    sheet that may be the members sheet."""
    key = header_key(name)
    if key in _POSTS_NAMES:
        return "posts"
    if key in _DISCIPLINE_NAMES:
        return "discipline"
    if key in _GUIDE_NAMES:
        return "guide"
    return None


def _lookup(columns: tuple[Column, ...]) -> dict[str, str]:
    return {header_key(n): c.field for c in columns for n in (c.header, *c.variants)}


POST_HEADERS = _lookup(POST_COLUMNS)
DISCIPLINE_HEADERS = _lookup(DISCIPLINE_COLUMNS)
POST_BY_FIELD = {c.field: c for c in POST_COLUMNS}
DISCIPLINE_BY_FIELD = {c.field: c for c in DISCIPLINE_COLUMNS}

# "Bí thư" and "Phó Bí thư" alone: the cell's or the committee's, read from the unit.
SECRETARY = "secretary"
DEPUTY_SECRETARY = "deputy_secretary"
POST_VALUES = {
    "bi thu chi bo": PositionKind.CELL_SECRETARY,
    "pho bi thu chi bo": PositionKind.CELL_DEPUTY_SECRETARY,
    "cap uy vien": PositionKind.COMMITTEE_MEMBER,
    "dang uy vien": PositionKind.COMMITTEE_MEMBER,
    "uy vien ban chap hanh": PositionKind.COMMITTEE_MEMBER,
    "chi uy vien": PositionKind.COMMITTEE_MEMBER,
    "uy vien ban thuong vu": PositionKind.STANDING_COMMITTEE_MEMBER,
    "uy vien thuong vu": PositionKind.STANDING_COMMITTEE_MEMBER,
    "bi thu dang uy": PositionKind.COMMITTEE_SECRETARY,
    "bi thu cap uy": PositionKind.COMMITTEE_SECRETARY,
    "pho bi thu dang uy": PositionKind.COMMITTEE_DEPUTY_SECRETARY,
    "pho bi thu cap uy": PositionKind.COMMITTEE_DEPUTY_SECRETARY,
    "nguoi dung dau co quan don vi": PositionKind.HEAD,
    "nguoi dung dau": PositionKind.HEAD,
    "thu truong": PositionKind.HEAD,
    "thu truong co quan don vi": PositionKind.HEAD,
    "cap pho nguoi dung dau": PositionKind.DEPUTY_HEAD,
    "cap pho": PositionKind.DEPUTY_HEAD,
    "pho thu truong": PositionKind.DEPUTY_HEAD,
    "chuc vu khac": PositionKind.OTHER,
    "khac": PositionKind.OTHER,
    "bi thu": SECRETARY,
    "pho bi thu": DEPUTY_SECRETARY,
}
CELL_POSTS = {PositionKind.CELL_SECRETARY, PositionKind.CELL_DEPUTY_SECRETARY}
COMMITTEE_POSTS = {
    PositionKind.COMMITTEE_SECRETARY,
    PositionKind.COMMITTEE_DEPUTY_SECRETARY,
    PositionKind.STANDING_COMMITTEE_MEMBER,
}
PARTY_POSTS = CELL_POSTS | COMMITTEE_POSTS | {PositionKind.COMMITTEE_MEMBER}
LEADERSHIP_BY_DEFAULT = CELL_POSTS | COMMITTEE_POSTS | {PositionKind.HEAD, PositionKind.DEPUTY_HEAD}

MANAGING_VALUES = {
    "": ManagingLevel.NONE,
    "bo chinh tri ban bi thu": ManagingLevel.POLITBURO,
    "bo chinh tri": ManagingLevel.POLITBURO,
    "ban bi thu": ManagingLevel.POLITBURO,
    "trung uong": ManagingLevel.POLITBURO,
    "ban thuong vu tinh uy": ManagingLevel.PROVINCE,
    "ban thuong vu thanh uy": ManagingLevel.PROVINCE,
    "tinh uy": ManagingLevel.PROVINCE,
    "cap uy cap tren truc tiep cua co so": ManagingLevel.DIRECT_HIGHER,
    "cap tren truc tiep cua co so": ManagingLevel.DIRECT_HIGHER,
    "cap tren co so": ManagingLevel.DIRECT_HIGHER,
    "dang uy co so": ManagingLevel.GRASSROOTS,
    "cap uy co so": ManagingLevel.GRASSROOTS,
    "co so": ManagingLevel.GRASSROOTS,
    "khong thuoc dien quan ly": ManagingLevel.NONE,
    "khong": ManagingLevel.NONE,
}

DISCIPLINE_VALUES = {
    "khien trach": DisciplineForm.REPRIMAND,
    "canh cao": DisciplineForm.WARNING,
    "cach chuc": DisciplineForm.REMOVAL,
    "khai tru": DisciplineForm.EXPULSION,
}

YES_NO = {"co": True, "x": True, "yes": True, "khong": False, "no": False}
