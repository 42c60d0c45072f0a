"""The accounts pages through the test client with named people: alice (staff of A), dave
(staff of B, another district), carol (cell secretary of A1), bob (a member of A1)."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import make_member
from xeploai.accounts.models import ActivationCode, Role, RoleGrant, User


def _codes(response):
    book = load_workbook(io.BytesIO(response.content))
    rows = []
    for sheet in book.worksheets:
        rows += [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    return book, rows


def test_alice_prints_a_workbook_of_codes_per_cell(client, people, tree):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    make_member(tree["A2"], "Hoàng Thị Em", "10000004")
    bob = people["bob"]
    bob.set_unusable_password()
    bob.save()
    client.force_login(people["alice"])
    url = f"/units/{tree['A'].pk}/accounts/codes/"
    response = client.post(url, {"scope": "subtree", "fmt": "xlsx"})
    assert response.status_code == 200
    book, rows = _codes(response)
    assert [s.title for s in book.worksheets] == ["A1 Chi bộ Thôn 1", "A2 Chi bộ Thôn 2"]
    # By given name, as Vietnamese lists are read.
    assert [r[1] for r in rows] == ["Nguyễn Văn Bình", "Phạm Văn Dũng", "Hoàng Thị Em"]
    assert all(re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", r[3]) for r in rows)
    assert "/activate/" in book.worksheets[0]["A2"].value
    # The member activates with the printed code.
    client.logout()
    name, code = rows[1][2], rows[1][3]
    page = client.post(
        "/activate/",
        {
            "username": name,
            "code": code,
            "password1": "Xanh-la-cay-2026",
            "password2": "Xanh-la-cay-2026",
        },
    )
    assert page.status_code == 302
    login = client.post("/login/", {"username": name, "password": "Xanh-la-cay-2026"})
    assert login.status_code == 302


def test_alice_prints_a_pdf_of_codes(client, people, tree):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    client.force_login(people["alice"])
    response = client.post(
        f"/units/{tree['A2'].pk}/accounts/codes/", {"scope": "cell", "fmt": "pdf"}
    )
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Phạm Văn Dũng" in text
    username = User.objects.get(member__full_name="Phạm Văn Dũng").username
    assert username in text


def test_a_wrong_format_is_refused_naming_the_field(client, people, tree):
    client.force_login(people["alice"])
    response = client.post(f"/units/{tree['A'].pk}/accounts/codes/", {"scope": "all", "fmt": "doc"})
    assert response.status_code == 400
    assert not ActivationCode.objects.exists()


@pytest.mark.parametrize("who", ["dave", "carol", "bob"])
def test_others_cannot_open_or_use_alices_accounts_pages(client, people, tree, who):
    client.force_login(people[who])
    unit = tree["A"].pk
    grant = RoleGrant.objects.get(user=people["carol"]).pk
    for method, url, data in [
        ("get", f"/units/{unit}/accounts/", {}),
        ("post", f"/units/{unit}/accounts/codes/", {"scope": "subtree", "fmt": "xlsx"}),
        (
            "post",
            f"/units/{unit}/grants/",
            {"username": "bob", "role": "cell_secretary", "valid_from": "01/01/2026"},
        ),
        ("post", f"/units/{unit}/accounts/deactivate/", {"username": "bob"}),
        ("post", f"/units/{unit}/staff/new/", {}),
        ("post", f"/grants/{grant}/end/", {"on": "01/01/2026"}),
    ]:
        status = getattr(client, method)(url, data).status_code
        assert status in (403, 404), f"{who} {method} {url}: {status}"
    assert RoleGrant.objects.count() == 4
    assert User.objects.filter(is_active=False).count() == 0
    assert not ActivationCode.objects.exists()


def test_the_page_shows_who_holds_what_and_acting_grants(client, people, tree):
    client.force_login(people["alice"])
    User.objects.create_user("dung", password="Xanh-la-cay-2026")
    url = f"/units/{tree['A'].pk}/grants/"
    refused = client.post(
        url, {"username": "dung", "role": "committee", "valid_from": "01/01/2026"}
    )
    assert refused.status_code == 403
    assert "above your own" in refused.content.decode() or "cao hơn" in refused.content.decode()
    bad = client.post(
        url, {"username": "dung", "role": "cell_secretary", "valid_from": "32/01/2026"}
    )
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "username": "dung",
            "role": "cell_secretary",
            "valid_from": "01/01/2026",
            "valid_to": "31/03/2027",
            "acting_for": "carol",
        },
    )
    assert response.status_code == 400  # on A: carol holds the role on A1 only
    assert "carol" in response.content.decode()
    client.post(
        f"/units/{tree['A1'].pk}/grants/",
        {
            "username": "dung",
            "role": "cell_secretary",
            "valid_from": "01/01/2026",
            "valid_to": "31/03/2027",
            "acting_for": "carol",
        },
    )
    page = client.get(f"/units/{tree['A'].pk}/accounts/").content.decode()
    assert RoleGrant.objects.filter(user__username="dung", acting_for=people["carol"]).exists()
    assert "carol" in page and "31/03/2027" in page
    holders = page[page.index('id="holders"') : page.index('id="grant"')]
    assert "cell_secretary" not in holders and "Bí thư chi bộ" in holders


def test_alice_deactivates_bob_and_not_daves_staff(client, people):
    client.force_login(people["alice"])
    unit = RoleGrant.objects.get(user=people["alice"]).unit_id
    refused = client.post(f"/units/{unit}/accounts/deactivate/", {"username": "dave"})
    assert refused.status_code == 400
    client.post(f"/units/{unit}/accounts/deactivate/", {"username": "bob"})
    assert not User.objects.get(username="bob").is_active
    assert User.objects.get(username="dave").is_active


def test_alice_creates_a_staff_account_with_its_grant(client, people, tree):
    client.force_login(people["alice"])
    url = f"/units/{tree['A1'].pk}/staff/new/"
    data = {
        "username": "erin",
        "full_name": "Lê Thị Én",
        "email": "not-mail",
        "role": Role.CELL_SECRETARY,
        "valid_from": "01/01/2026",
        "password1": "Xanh-la-cay-2026",
        "password2": "Xanh-la-cay-2026",
    }
    assert client.post(url, data).status_code == 400
    data["email"] = "en@example.org"
    assert client.post(url, data).status_code == 302
    erin = User.objects.get(username="erin")
    assert erin.grants.get().role == Role.CELL_SECRETARY
