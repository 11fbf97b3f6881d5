"""Failed logins are limited per address, and per account only at the address they come from: whoever types a
committee member's e-mail with wrong passwords is stopped, the member at their own address still gets in."""

import pytest
from django.core.cache import cache

from .accounts_factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"
REFUSED = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _login(client, address, email, password):
    client.logout()
    response = client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=address)
    return response, "_auth_user_id" in client.session


def test_wrong_passwords_typed_elsewhere_do_not_lock_the_member_out(client):
    member = make_user("committee@example.org")
    for _ in range(6):
        _login(client, "192.0.2.66", member.email, "not-the-password")
    response, logged_in = _login(client, "198.51.100.10", member.email, PASSWORD)
    assert logged_in, response.content.decode()[:500]


def test_the_address_typing_wrong_passwords_is_refused_even_the_right_one(client):
    member = make_user("committee@example.org")
    statuses = [_login(client, "192.0.2.66", member.email, "not-the-password")[0] for _ in range(5)]
    assert all(REFUSED not in r.content.decode() for r in statuses)
    response, logged_in = _login(client, "192.0.2.66", member.email, PASSWORD)
    assert not logged_in
    assert REFUSED in response.content.decode()


def test_one_address_trying_many_accounts_is_stopped_after_ten_failures_a_minute(client):
    users = [make_user() for _ in range(11)]
    for user in users[:10]:
        response, _ = _login(client, "192.0.2.66", user.email, "not-the-password")
        assert REFUSED not in response.content.decode()
    response, logged_in = _login(client, "192.0.2.66", users[10].email, PASSWORD)
    assert not logged_in
    assert response.status_code == 429 or REFUSED in response.content.decode()
    # Another address is not concerned.
    assert _login(client, "198.51.100.10", users[10].email, PASSWORD)[1]


def test_behind_the_proxy_the_limits_follow_the_forwarded_address(client, settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    member = make_user("committee@example.org")
    for n in range(6):
        client.post(
            LOGIN,
            {"login": member.email, "password": "not-the-password"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 192.0.2.66",  # the left part is the attacker's own forgery
        )
    assert (
        REFUSED
        in client.post(
            LOGIN, {"login": member.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="192.0.2.66"
        ).content.decode()
    )
    client.post(LOGIN, {"login": member.email, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert "_auth_user_id" in client.session
