"""Accounts and grants, activation, password change and reset in a real browser at 1280 and
360 px: alice (staff of commune A) grants an acting secretary, ends a grant and prints the codes;
a member activates with the printed code; carol changes her password; bob resets his from the
mail a real SMTP server on loopback received."""

import re

from openpyxl import load_workbook

from tests.accounts.smtp import smtp_inbox
from tests.browser.test_walkthrough import PASSWORD, browser, login, pytestmark, shoot
from tests.conftest import make_member
from xeploai.accounts.models import RoleGrant, User

__all__ = ["browser", "pytestmark", "smtp_inbox"]
NEW = "Mat-khau-moi-2026"


def test_alice_grants_roles_and_prints_codes_a_member_activates(
    transactional_db, live_server, browser, people, tree, tmp_path
):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    User.objects.create_user("dung", password=PASSWORD)
    base = live_server.url
    page = login(browser, base, "alice")
    page.click("text=Tài khoản và vai trò")
    page.click(f"a[href='/units/{tree['A'].pk}/accounts/']")
    shoot(page, "accounts-unit")
    # A wrong date is refused beside its field.
    page.fill("#g_username", "dung")
    page.select_option("#g_role", "cell_secretary")
    page.fill("#g_from", "31/02/2026")
    page.click("#grant button.primary")
    assert page.locator("#grant .field-error").count() == 1
    shoot(page, "accounts-grant-refused")
    page.goto(f"{base}/units/{tree['A1'].pk}/accounts/")
    page.fill("#g_username", "dung")
    page.select_option("#g_role", "cell_secretary")
    page.fill("#g_from", "01/12/2026")
    page.fill("#g_to", "31/03/2027")
    page.fill("#g_acting", "carol")
    page.click("#grant button.primary")
    holders = page.locator("#holders")
    assert holders.locator("text=carol").count() >= 1
    assert "31/03/2027" in holders.inner_text()
    shoot(page, "accounts-acting-grant")
    assert RoleGrant.objects.get(user__username="dung").acting_for.username == "carol"
    # The sheet of codes for the commune, as a workbook.
    page.goto(f"{base}/units/{tree['A'].pk}/accounts/")
    page.check("input[name=fmt][value=xlsx]")
    with page.expect_download() as download:
        page.click("#members button.primary")
    path = tmp_path / "codes.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path).worksheets[0]
    name, username, code = sheet["B5"].value, sheet["C5"].value, sheet["D5"].value
    assert name == "Phạm Văn Dũng"
    # The member activates on a phone.
    context = browser.new_context(locale="vi-VN", viewport={"width": 360, "height": 800})
    phone = context.new_page()
    phone.goto(f"{base}/login/")
    phone.click("text=Kích hoạt tài khoản")
    phone.fill("#username", username)
    phone.fill("#code", "AAAAA-AAAAA")
    phone.fill("#password1", NEW)
    phone.fill("#password2", NEW)
    phone.click("button.primary")
    assert phone.locator(".field-error").count() == 1
    shoot(phone, "accounts-activate-refused")
    phone.fill("#code", code.lower())
    phone.fill("#password1", NEW)
    phone.fill("#password2", NEW)
    phone.click("button.primary")
    phone.wait_for_url(f"{base}/login/")
    phone.fill("#id_username", username)
    phone.fill("#id_password", NEW)
    phone.click("button.primary")
    phone.wait_for_url(f"{base}/")
    context.close()


def test_carol_changes_and_bob_resets_a_password(
    transactional_db, live_server, browser, people, smtp_inbox
):
    base = live_server.url
    page = login(browser, base, "carol")
    page.click("header >> text=Mật khẩu")
    shoot(page, "password-change")
    page.fill("#id_old_password", PASSWORD)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click("button.primary")
    assert page.locator("h1").inner_text() == "Đã đổi mật khẩu"
    assert User.objects.get(username="carol").check_password(NEW)

    User.objects.filter(username="bob").update(email="bob@example.org")
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.click("text=Quên mật khẩu")
    page.fill("#id_email", "bob@example.org")
    shoot(page, "password-reset")
    page.click("button.primary")
    assert page.locator("[role=status]").count() == 1
    link = re.search(r"https?://\S+/password/reset/\S+/", smtp_inbox.body()).group(0)
    page.goto(link)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    shoot(page, "password-reset-confirm")
    page.click("button.primary")
    assert User.objects.get(username="bob").check_password(NEW)
