"""Tokens: created on the user's page (shown once, stored hashed), listed, revoked; scripted
by an administrator; both audited. A token acts with its user's grants and no more."""

import hashlib
import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.api.conftest import bearer
from tests.conftest import make_user
from xeploai.api.models import ApiToken
from xeploai.audit.models import Event


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_it_creates_a_token_on_the_page_shown_once_and_stored_hashed(season):
    sam = season["sam"]
    client = _login(sam)
    page = client.post("/account/api-tokens/", {"name": "Văn phòng điện tử"})
    assert page.status_code == 200
    html = page.content.decode()
    token = ApiToken.objects.get(user=sam, name="Văn phòng điện tử")
    secret = html.split('id="secret"')[1].split(">", 1)[1].split("</code>")[0]
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert "Mã truy cập API" in html
    again = client.get("/account/api-tokens/").content.decode()
    assert secret not in again and f"xl_{token.prefix}" in again
    assert Event.objects.filter(action="api_token.create", target_id=token.pk).exists()
    response = Client().get("/api/v1/cycles", **bearer(secret))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("name", ["", "x" * 101, "a\x00b"])
def test_it_refuses_a_bad_name_beside_the_field(season, name):
    client = _login(season["sam"])
    before = ApiToken.objects.count()
    page = client.post("/account/api-tokens/", {"name": name})
    assert page.status_code == 400
    assert 'class="field-error"' in page.content.decode() or "error" in page.content.decode()
    assert ApiToken.objects.count() == before


def test_it_revokes_a_token_and_the_api_refuses_it(season):
    sam = season["sam"]
    secret = season["tokens"]["sam"]
    token = ApiToken.objects.get(user=sam)
    assert _login(season["m2"]).post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    assert _login(sam).post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 302
    assert Event.objects.filter(action="api_token.revoke", target_id=token.pk).exists()
    assert Client().get("/api/v1/cycles", **bearer(secret)).status_code == 401


def test_an_administrator_scripts_tokens(season):
    out = io.StringIO()
    call_command("token", "create", user="wendy", name="Cổng dữ liệu", stdout=out)
    secret = out.getvalue().split()[-1]
    assert Client().get("/api/v1/units", **bearer(secret)).status_code == 200
    listing = io.StringIO()
    call_command("token", "list", user="wendy", stdout=listing)
    prefix = ApiToken.objects.get(name="Cổng dữ liệu").prefix
    assert f"xl_{prefix}" in listing.getvalue() and "đang dùng" in listing.getvalue()
    call_command("token", "revoke", prefix=f"xl_{prefix}", stdout=io.StringIO())
    assert Client().get("/api/v1/units", **bearer(secret)).status_code == 401
    with pytest.raises(CommandError, match="nobody"):
        call_command("token", "create", user="nobody", name="x")
    with pytest.raises(CommandError):
        call_command("token", "create", user="wendy", name="")


def test_a_token_acts_with_exactly_its_users_grants(season):
    """m2 sees their own review; carol sees her cell but may not open a cycle there; a user
    whose grant has ended sees nothing."""
    m2 = bearer(season["tokens"]["m2"])
    own = Client().get("/api/v1/me/subjects", **m2).json()
    assert [s["id"] for s in own] == [season["m2_subject"].pk]
    denied = Client().post(
        "/api/v1/cycles",
        {
            "unit_id": season["C1"].pk,
            "name": "x",
            "period_kind": "year",
            "period_start": "01/01/2026",
            "period_end": "31/12/2026",
        },
        content_type="application/json",
        **bearer(season["tokens"]["carol"]),
    )
    assert denied.status_code == 403
    assert denied.json()["code"] == "forbidden"
    import datetime

    from xeploai.accounts.models import Role
    from xeploai.api.services import token_create

    gone = make_user(
        "gone", Role.ORGANIZATION_STAFF, season["W"], valid_to=datetime.date(2021, 1, 1)
    )
    secret = token_create(actor=None, user=gone, name="x")[1]
    assert Client().get("/api/v1/cycles", **bearer(secret)).json()["count"] == 0


def test_it_speaks_the_requests_language(season):
    sam = bearer(season["tokens"]["sam"])
    url = f"/api/v1/cycles/{season['cycle'].pk}"
    vi = Client().get(url, **sam).json()
    en = Client().get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9", **sam).json()
    assert vi["state"] == {"code": "open", "label": "Đang mở"}
    assert en["state"] == {"code": "open", "label": "Open"}
    bad = Client().post(
        f"/api/v1/subjects/{season['m2_subject'].pk}/appraisal",
        {"version": 0, "proposed_level": "good", "votes": {"good": "abc"}},
        content_type="application/json",
        **sam,
    )
    assert bad.status_code == 422
    assert (
        bad.json()["fields"]["votes.good"] and bad.json()["message"] == "Một số trường chưa hợp lệ."
    )
    missing = Client().get("/api/v1/cycles", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.json()["message"].startswith("Send a valid API token")


def test_the_docs_page_is_served_without_a_cdn(season):
    page = Client().get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "openapi.json" in html
