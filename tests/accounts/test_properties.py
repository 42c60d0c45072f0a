"""Whatever is typed into the activation page and the grant form, the answer is the page or a
4xx with a message, never a server error, and nothing is written but what is valid."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xeploai.accounts.models import RoleGrant, User

TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(max_codepoint=0x20AF), max_size=300),
    st.sampled_from(["", " ", "\x00", "AAAAA-AAAAA", "31/02/2026", "01/01/2026", "carol", "bob"]),
)
SLOW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SLOW
@given(username=TEXT, code=TEXT, password=TEXT)
def test_the_activation_page_never_fails_and_activates_nobody(
    client, people, username, code, password
):
    response = client.post(
        "/activate/",
        {"username": username, "code": code, "password1": password, "password2": password},
    )
    assert response.status_code == 400
    assert not User.objects.filter(last_login__isnull=False).exists()


@SLOW
@given(username=TEXT, role=TEXT, start=TEXT, end=TEXT, acting=TEXT)
def test_the_grant_form_never_fails(client, people, tree, username, role, start, end, acting):
    client.force_login(people["alice"])
    before = RoleGrant.objects.count()
    response = client.post(
        f"/units/{tree['A1'].pk}/grants/",
        {
            "username": username,
            "role": role,
            "valid_from": start,
            "valid_to": end,
            "acting_for": acting,
        },
    )
    assert response.status_code in (302, 400, 403)
    if response.status_code != 302:
        assert RoleGrant.objects.count() == before
