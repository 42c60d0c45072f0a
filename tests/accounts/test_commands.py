"""`xeploai accounts …` and `xeploai grant …` as an administrator scripts them."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.conftest import make_member
from xeploai.accounts.models import RoleGrant, User
from xeploai.audit.models import Event


def test_it_writes_the_sheet_of_codes_for_a_unit(people, tree, tmp_path):
    make_member(tree["A2"], "Phạm Văn Dũng", "10000003")
    out = io.StringIO()
    call_command("accounts", "create-for-unit", "A", "--out", str(tmp_path / "c.xlsx"), stdout=out)
    book = load_workbook(tmp_path / "c.xlsx")
    assert book.worksheets[0]["B5"].value == "Phạm Văn Dũng"
    call_command(
        "accounts", "create-for-unit", "A2", "--cell-only", "--out", str(tmp_path / "c.pdf")
    )
    text = PdfReader(tmp_path / "c.pdf").pages[0].extract_text()
    assert "Phạm Văn Dũng" in text


def test_it_grants_acting_roles_and_ends_them(people, tree):
    User.objects.create_user("dung")
    out = io.StringIO()
    call_command(
        "grant",
        "dung",
        "cell_secretary",
        "A1",
        "--from",
        "01/01/2026",
        "--to",
        "31/03/2026",
        "--acting-for",
        "carol",
        stdout=out,
    )
    grant = RoleGrant.objects.get(user__username="dung")
    assert grant.acting_for.username == "carol"
    call_command("grant", "--end", str(grant.pk), "--on", "15/02/2026", stdout=out)
    grant.refresh_from_db()
    assert grant.valid_to.isoformat() == "2026-02-15"
    call_command("accounts", "holders", "A", stdout=out)
    assert Event.objects.filter(action__in=["role.grant_acting", "role.end"]).count() == 2


def test_it_refuses_bad_input_naming_it(people, tree):
    with pytest.raises(CommandError, match="No unit"):
        call_command("grant", "bob", "member", "ZZ", "--from", "01/01/2026")
    with pytest.raises(CommandError, match="31/02/2026"):
        call_command("grant", "bob", "member", "A1", "--from", "31/02/2026")
    with pytest.raises(CommandError):
        call_command("grant", "bob", "member", "A1", "--from", "01/02/2026", "--to", "01/01/2026")
    assert (
        not RoleGrant.objects.filter(user__username="bob", role="member", unit=tree["A1"])
        .exclude(valid_from="2025-07-01")
        .exists()
    )


def test_it_creates_staff_and_deactivates(people, tree, monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", "Xanh-la-cay-2026")
    call_command(
        "accounts",
        "create-staff",
        "erin",
        "--name",
        "Lê Thị Én",
        "--role",
        "organization_staff",
        "--unit",
        "B",
        "--from",
        "01/01/2026",
        "--password-env",
        "NEW_PASSWORD",
    )
    assert User.objects.get(username="erin").check_password("Xanh-la-cay-2026")
    call_command("accounts", "deactivate", "erin")
    assert not User.objects.get(username="erin").is_active
