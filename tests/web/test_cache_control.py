"""Nothing a logged-in user sees is kept by the browser or a cache."""

import urllib.request

from django.urls import reverse


def test_it_forbids_storing_a_personal_page(client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("member_detail", args=[people["bob_member"].pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_it_forbids_storing_a_download(client, people):
    client.force_login(people["alice"])
    response = client.get(reverse("roster_template"))
    assert response.status_code == 200 and response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store, private"


def test_it_forbids_storing_the_page_after_logging_in(client, people):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store, private"


def test_it_leaves_static_files_cacheable_for_a_logged_in_user(
    live_server, client, transactional_db, people
):
    client.force_login(people["alice"])
    session = client.cookies["sessionid"].value
    request = urllib.request.Request(
        f"{live_server.url}/static/xeploai/app.css", headers={"Cookie": f"sessionid={session}"}
    )
    with urllib.request.urlopen(request) as response:
        assert response.status == 200
        assert "no-store" not in (response.headers.get("Cache-Control") or "")
    page = urllib.request.Request(f"{live_server.url}/", headers={"Cookie": f"sessionid={session}"})
    with urllib.request.urlopen(page) as response:
        assert response.headers["Cache-Control"] == "no-store, private"
