"""Passwords follow AUTH_PASSWORD_VALIDATORS wherever an account is made."""

import pytest

from xeploai.accounts.models import User
from xeploai.accounts.services import user_create
from xeploai.errors import AppError


@pytest.mark.parametrize(
    "password,why",
    [
        ("1", "quá ngắn"),
        ("12345678901234", "toàn là số"),
        ("password1234", "quá phổ biến"),
        ("nguyenvana1", "quá giống"),
    ],
)
def test_it_refuses_a_weak_password_when_creating_a_user(db, password, why):
    with pytest.raises(AppError) as refused:
        user_create(actor=None, username="nguyenvana", password=password)
    assert refused.value.field == "password"
    assert why in refused.value.message
    assert not User.objects.filter(username="nguyenvana").exists()


def test_it_accepts_the_demo_password(db):
    user = user_create(actor=None, username="dangvien", password="xeploai-demo")
    assert user.check_password("xeploai-demo")
