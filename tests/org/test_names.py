import unicodedata

from tests.conftest import make_member, make_user
from xeploai.org.names import fold, normalize_name, sort_key
from xeploai.org.selectors import member_search


def test_it_stores_names_in_nfc_whatever_the_keyboard_sent(tree):
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Ánh")
    assert decomposed != "Nguyễn Văn Ánh"
    member = make_member(tree["A1"], "  " + decomposed + " ", "1")
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Ánh"
    assert unicodedata.is_normalized("NFC", member.full_name)


def test_it_folds_accents_and_d_bar():
    assert fold("Đặng Thị Ánh ĐÀO") == "dang thi anh dao"
    assert normalize_name("Lê   văn\tTám") == "Lê văn Tám"


def test_it_finds_a_member_without_accents(tree):
    make_member(tree["A1"], "Nguyễn Văn A", "1")
    make_member(tree["A1"], "Nguyễn Văn Ba", "2")
    make_member(tree["A1"], "Trần Thị Ánh", "3")
    admin = make_user("root")
    admin.is_superuser = True
    names = lambda q: [m.full_name for m in member_search(user=admin, query=q)]  # noqa: E731
    assert "Nguyễn Văn A" in names("nguyen van a")
    assert names("tran thi anh") == ["Trần Thị Ánh"]
    assert names("NGUYỄN VĂN BA") == ["Nguyễn Văn Ba"]
    assert names("3") == ["Trần Thị Ánh"]  # the card number too


def test_it_sorts_by_given_name_in_the_vietnamese_alphabet():
    names = [
        "Nguyễn Văn Bình",
        "Trần Thị An",
        "Lê Văn Anh",
        "Phạm Ánh",
        "Đỗ Thị Ân",
        "Hồ Văn Ăn",
        "Nguyễn Đức Đông",
        "Bùi Thị Dung",
        "Vũ Hà",
        "Lê Hà",
        "Lê Hả",
    ]
    ordered = sorted(names, key=sort_key)
    assert ordered == [
        "Trần Thị An",
        "Lê Văn Anh",
        "Phạm Ánh",
        "Hồ Văn Ăn",
        "Đỗ Thị Ân",
        "Nguyễn Văn Bình",
        "Bùi Thị Dung",
        "Nguyễn Đức Đông",
        "Lê Hà",
        "Vũ Hà",
        "Lê Hả",
    ]


def test_it_sorts_the_same_way_in_the_database(tree):
    for i, name in enumerate(["Vũ Hà", "Đỗ Thị Ân", "Trần Thị An", "Bùi Thị Dung", "Lê Hà"]):
        make_member(tree["A1"], name, str(i))
    admin = make_user("root")
    admin.is_superuser = True
    assert [m.full_name for m in member_search(user=admin)] == [
        "Trần Thị An",
        "Đỗ Thị Ân",
        "Bùi Thị Dung",
        "Lê Hà",
        "Vũ Hà",
    ]
