"""Password change and reset through Django's own views; the reset mail goes through a real
SMTP server on loopback and its link is followed."""

import re

from tests.accounts.smtp import smtp_inbox
from xeploai.accounts.models import User

__all__ = ["smtp_inbox"]
NEW = "Mat-khau-moi-2026"


def test_bob_resets_his_password_from_the_mail(client, people, smtp_inbox):
    bob = people["bob"]
    bob.email = "bob@example.org"
    bob.save()
    response = client.post("/password/reset/", {"email": "bob@example.org"})
    assert response.status_code == 302
    ((recipients, message),) = smtp_inbox.messages
    assert recipients == ["bob@example.org"]
    link = re.search(r"https?://\S+(/password/reset/\S+/)", smtp_inbox.body()).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    page = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert page.status_code == 302
    assert User.objects.get(pk=bob.pk).check_password(NEW)
    # The link works once.
    again = client.get(link, follow=True)
    assert "new_password1" not in again.content.decode()


def test_an_unknown_address_sends_nothing_and_says_the_same(client, people, smtp_inbox):
    response = client.post("/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert smtp_inbox.messages == []


def test_a_deactivated_account_gets_no_reset_mail(client, people, smtp_inbox):
    bob = people["bob"]
    bob.email = "bob@example.org"
    bob.is_active = False
    bob.save()
    client.post("/password/reset/", {"email": "bob@example.org"})
    assert smtp_inbox.messages == []


def test_carol_changes_her_password_and_a_wrong_old_one_is_refused(client, people):
    client.force_login(people["carol"])
    wrong = client.post(
        "/password/",
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    assert 'class="field-error"' in wrong.content.decode()
    done = client.post(
        "/password/",
        {"old_password": "correct horse battery", "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302
    assert User.objects.get(username="carol").check_password(NEW)
