import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xeploai.org.models import Member


@pytest.fixture
def login(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_logs_in_and_out_with_a_password(client, people):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert "Xin chào, alice" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_it_shows_a_wrong_password_in_vietnamese(client, people):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.content.decode()


def test_it_shows_the_unit_with_member_counts(login, people, tree):
    page = login(people["alice"]).get(reverse("unit_detail", args=[tree["A"].pk])).content.decode()
    assert "Đảng bộ xã An Phú" in page and "Chi bộ Thôn 1" in page
    assert "<strong>2</strong>" in page


def test_it_searches_members_without_accents(login, people):
    page = login(people["alice"]).get(reverse("member_list"), {"q": "nguyen van binh"})
    assert "Nguyễn Văn Bình" in page.content.decode()
    assert "Lê Thị Én" not in page.content.decode()


@pytest.mark.parametrize(
    "name,args",
    [
        ("unit_detail", lambda t, p: [t["A"].pk]),
        ("unit_detail", lambda t, p: [t["A1"].pk]),
        ("roster_import", lambda t, p: [t["A"].pk]),
        ("member_detail", lambda t, p: [p["bob_member"].pk]),
    ],
)
def test_it_hides_another_subtree_from_dave(login, people, tree, name, args):
    response = login(people["dave"]).get(reverse(name, args=args(tree, people)))
    assert response.status_code in (403, 404)


def test_it_forbids_the_import_page_to_a_cell_secretary(login, people, tree):
    response = login(people["carol"]).get(reverse("roster_import", args=[tree["A1"].pk]))
    assert response.status_code == 403


def test_it_lets_bob_see_his_own_profile_only(login, people):
    client = login(people["bob"])
    assert client.get(reverse("member_detail", args=[people["bob_member"].pk])).status_code == 200
    assert client.get(reverse("member_detail", args=[people["carol_member"].pk])).status_code == 404


def _upload(rows):
    wb = Workbook()
    wb.active.append(
        ["Họ và tên", "Ngày sinh", "Giới tính", "Số thẻ đảng viên", "Ngày vào Đảng", "Chi bộ"]
    )
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "ds.xlsx"
    return buffer


def test_it_imports_a_roster_through_the_page(login, people, tree):
    client = login(people["alice"])
    page = client.post(
        reverse("roster_import", args=[tree["A"].pk]),
        {"file": _upload([["Vũ Văn Mới", "01/02/1990", "Nam", "50000001", "03/02/2020", "A2"]])},
    ).content.decode()
    assert "1 mới" in page
    assert Member.objects.get(card_number="50000001").cell == tree["A2"]


def test_it_lists_every_problem_of_a_refused_roster(login, people, tree):
    client = login(people["alice"])
    page = client.post(
        reverse("roster_import", args=[tree["A"].pk]),
        {
            "file": _upload(
                [
                    ["Vũ Văn Mới", "31/31/1990", "Nam", "50000001", "03/02/2020", "A2"],
                    ["Vũ Văn Hai", "01/02/1990", "Nam", "50000002", "03/02/2020", "Không có"],
                ]
            )
        },
    )
    text = page.content.decode()
    assert "Chưa nhập dữ liệu nào" in text and "31/31/1990" in text and "Không có" in text
    assert not Member.objects.filter(card_number__in=["50000001", "50000002"]).exists()


def test_it_serves_the_roster_template(login, people):
    response = login(people["alice"]).get(reverse("roster_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.active["A1"].value == "Họ và tên"


def test_it_switches_to_english(login, people):
    client = login(people["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Hello, alice" in client.get(reverse("home")).content.decode()


def test_it_sends_a_content_security_policy_without_inline_scripts(login, people):
    response = login(people["alice"]).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_it_speaks_vietnamese_even_to_an_english_browser(client, people):
    client.force_login(people["alice"])
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Xin chào" in page


def test_it_answers_an_unknown_page_in_vietnamese(login, people, settings):
    settings.DEBUG = False
    response = login(people["carol"]).get("/units/999999/")
    assert response.status_code == 404
    assert "Trang này không tồn tại" in response.content.decode()


def test_it_does_not_link_breadcrumbs_the_user_cannot_open(login, people, tree):
    page = login(people["carol"]).get(reverse("unit_detail", args=[tree["A1"].pk])).content.decode()
    assert "Đảng bộ xã An Phú" in page
    assert reverse("unit_detail", args=[tree["A"].pk]) not in page


def test_it_offers_the_member_search_only_to_those_who_can_browse(login, people):
    link = f'href="{reverse("member_list")}"'
    assert link not in login(people["bob"]).get(reverse("home")).content.decode()
    assert link in login(people["alice"]).get(reverse("home")).content.decode()


def test_it_groups_thousands_the_vietnamese_way(login, people, tree):
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("vi"):
        assert Template("{{ n }}").render(Context({"n": 10000})) == "10.000"


def test_it_confirms_the_logout(client, people):
    client.force_login(people["alice"])
    page = client.post(reverse("logout"), follow=True).content.decode()
    assert "Bạn đã đăng xuất" in page


def test_it_masks_card_numbers_and_audits_each_reveal(login, people, tree):
    from xeploai.audit.models import Event

    bob = people["bob_member"]
    bob.national_id = "079170000123"
    bob.save()
    client = login(people["alice"])
    listing = client.get(reverse("member_list"), {"q": "Bình"}).content.decode()
    assert "Nguyễn Văn Bình" in listing
    assert "10000001" not in listing and "••••0001" in listing
    page = client.get(reverse("member_detail", args=[bob.pk])).content.decode()
    assert "10000001" not in page and "079170000123" not in page and "••••0123" in page
    assert not Event.objects.filter(action="member.reveal").exists()
    page = client.post(reverse("member_reveal", args=[bob.pk])).content.decode()
    assert "10000001" in page and "079170000123" in page
    (event,) = Event.objects.filter(action="member.reveal")
    assert (event.actor_id, event.target_id) == (people["alice"].pk, bob.pk)
    # Another province's staff can neither see nor reveal.
    assert login(people["dave"]).post(reverse("member_reveal", args=[bob.pk])).status_code == 404
    assert Event.objects.filter(action="member.reveal").count() == 1
