"""Sign up, e-mail verification, log in, log out, password reset (django-allauth) in the site's look, translated,
with a captcha on sign-up and rate limits on failed logins and resets."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from .accounts_factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/en/accounts/login/", "Sign In"),
        ("/fr/accounts/login/", "Connexion"),
        ("/nl/accounts/login/", "Aanmelden"),
        ("/en/accounts/signup/", "Sign Up"),
        ("/fr/accounts/password/reset/", "Mot de passe oublié"),
    ],
)
def test_account_pages_use_the_site_look_and_the_visitors_language(client, url, text):
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert text in html
    assert "site.css" in html and "account.css" in html
    assert 'class="skip-link"' in html
    assert 'class="button"' in html


def _signup(client, solve_captcha, email="nadia@example.org", **extra):
    form = client.get("/en/accounts/signup/")
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **solve_captcha(form), **extra}
    return client.post("/en/accounts/signup/", data)


def test_signup_sends_a_verification_mail_and_login_waits_for_it(client, solve_captcha):
    response = _signup(client, solve_captcha)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia@example.org"]
    client.logout()
    response = client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/en/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_verification_link_confirms_the_address_and_login_works(client, solve_captcha):
    _signup(client, solve_captcha)
    link = re.search(r"http://testserver(/en/accounts/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert client.get("/en/my/").status_code == 200, "confirming in the same browser logs the person in"
    client.logout()
    response = client.post("/en/accounts/login/", {"login": "nadia@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/en/my/").status_code == 200


def test_signup_with_a_wrong_captcha_is_refused_with_a_message_next_to_the_field(client, solve_captcha):
    form = client.get("/en/accounts/signup/")
    data = {**solve_captcha(form), "captcha_1": "wrong"}
    response = client.post(
        "/en/accounts/signup/",
        {"email": "bot@example.org", "password1": PASSWORD, "password2": PASSWORD, **data},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not mail.outbox


def test_logout_ends_the_session(client):
    user = make_user()
    client.force_login(user)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/en/my/").status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client):
    user = make_user("marie@example.org")
    response = client.post("/en/accounts/password/reset/", {"email": "marie@example.org"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/en/accounts/password/reset/key/[^\s]+)", mail.outbox[0].body).group(
        1
    )
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "Another-long-password-42"
    response = client.post(form_url, {"password1": new_password, "password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_too_many_failed_logins_are_refused_even_with_the_right_password(client):
    user = make_user("jean@example.org")
    for _attempt in range(5):
        response = client.post("/en/accounts/login/", {"login": user.email, "password": "not-the-password"})
        assert response.status_code == 200
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_too_many_password_reset_requests_for_one_address_are_refused(client):
    make_user("luc@example.org")
    statuses = [
        client.post("/en/accounts/password/reset/", {"email": "luc@example.org"}).status_code
        for _ in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert len(mail.outbox) == 5
