"""Wrong passwords at the login page, counted by django-axes in the database.

alice is a real user; mallory guesses from elsewhere."""

import datetime
import logging

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xeploai.accounts.lockout import client_address, client_username

PASSWORD = "correct horse battery"
ALICE = "198.51.100.7"
MALLORY = "203.0.113.9"
PROXY = "10.0.0.2"


def attempt(username, password, address=ALICE, **headers):
    return Client(REMOTE_ADDR=address, **headers).post(
        reverse("login"), {"username": username, "password": password}
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_it_locks_a_name_from_one_address_after_five_wrong_passwords(people):
    for _ in range(4):
        assert attempt("alice", "wrong").status_code == 200
    locked = attempt("alice", "wrong")
    assert locked.status_code == 429
    # Even the right password is refused while locked, and the page says until when.
    response = attempt("alice", PASSWORD)
    assert response.status_code == 429
    until = timezone.localtime(timezone.now() + datetime.timedelta(minutes=15))
    page = response.content.decode()
    assert "Quá nhiều lần nhập sai mật khẩu" in page
    assert (
        until.strftime("%H:%M") in page
        or (until - datetime.timedelta(minutes=1)).strftime("%H:%M") in page
    )


def test_it_keeps_the_count_in_the_database_for_every_process(people):
    for _ in range(5):
        attempt("alice", "wrong")
    row = AccessAttempt.objects.get(username="alice", ip_address=ALICE)
    assert row.failures_since_start == 5
    # Another browser (another session, as another worker would see it) is locked as well.
    assert attempt("alice", PASSWORD).status_code == 429


def test_it_lets_alice_in_while_mallory_is_locked_out_of_her_name(people):
    for _ in range(6):
        attempt("alice", "wrong", MALLORY)
    assert attempt("alice", PASSWORD, MALLORY).status_code == 429
    assert logged_in(attempt("alice", PASSWORD, ALICE))


def test_it_tells_clients_apart_behind_the_trusted_proxy(people, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    for _ in range(6):
        attempt("alice", "wrong", PROXY, HTTP_X_FORWARDED_FOR=MALLORY)
    assert attempt("alice", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=MALLORY).status_code == 429
    assert logged_in(attempt("alice", PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=ALICE))


def test_it_ignores_a_forwarded_address_unless_a_proxy_is_trusted(people):
    # Mallory cannot escape the count by inventing a new address on every try.
    for i in range(5):
        attempt("alice", "wrong", MALLORY, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert attempt("alice", PASSWORD, MALLORY, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_it_blocks_an_address_spraying_many_names(people, settings):
    # The probe: 40 names from each of 10 addresses, one password each.
    names = [f"user{i}" for i in range(39)] + ["alice"]
    tried = {}
    for a in range(10):
        address = f"203.0.113.{a + 10}"
        tried[address] = sum(
            attempt(name, "Password1!", address).status_code == 200 for name in names
        )
    assert set(tried.values()) == {settings.LOGIN_ADDRESS_FAILURE_LIMIT - 1}
    # The sprayed address is refused even the right password of a real user…
    assert attempt("alice", PASSWORD, "203.0.113.10").status_code == 429
    # …while alice at her own address is not affected.
    assert logged_in(attempt("alice", PASSWORD, ALICE))


def test_it_keeps_an_address_count_when_one_of_its_names_logs_in(people, settings):
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    for i in range(limit - 2):
        attempt(f"user{i}", "wrong", MALLORY)
    attempt("alice", "wrong", MALLORY)
    assert logged_in(attempt("alice", PASSWORD, MALLORY))
    # alice's own failure is forgiven, the other names' are not.
    assert attempt("nobody", "wrong", MALLORY).status_code == 200
    assert attempt("nobody2", "wrong", MALLORY).status_code == 429


def test_it_lifts_the_lock_after_the_cool_off(people):
    for _ in range(5):
        attempt("alice", "wrong")
    assert attempt("alice", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert logged_in(attempt("alice", PASSWORD))


def test_it_logs_failures_with_the_name_and_the_address_but_not_the_password(people, caplog):
    with caplog.at_level(logging.WARNING, logger="axes"):
        attempt("alice", "hunter2-secret", MALLORY)
    logged = caplog.text
    assert "alice" in logged and MALLORY in logged
    assert "hunter2-secret" not in logged


def test_it_records_a_very_long_login_name_cut_to_the_longest_a_user_can_have(rf):
    request = rf.post("/login/", {"username": "a" * 5000 + "\0", "password": "x"})
    assert client_username(request) == "a" * 150
    assert client_username(request, {"username": "b\0" * 3}) == "bbb"


@pytest.mark.parametrize(
    "header,count,forwarded,expected",
    [
        ("", 1, "192.0.2.1", "10.0.0.2"),
        ("X-Forwarded-For", 1, "192.0.2.1", "192.0.2.1"),
        ("X-Forwarded-For", 1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        ("X-Forwarded-For", 2, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        ("X-Forwarded-For", 3, "192.0.2.1, 10.0.0.9", "192.0.2.1"),
        ("X-Forwarded-For", 1, "not an address", "10.0.0.2"),
        ("X-Forwarded-For", 1, "", "10.0.0.2"),
    ],
)
def test_it_reads_the_client_address_from_the_trusted_header_only(
    rf, settings, header, count, forwarded, expected
):
    settings.TRUSTED_PROXY_HEADER = header
    settings.TRUSTED_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
