"""Two-factor authentication for staff: a staff session is usable only once the second factor was given in it.

Every URL of the site, per role, is covered by `tests/urlconf/test_staff_two_factor.py`; this file checks the
ways in (allauth's login, Wagtail's login address, setting up an authenticator) and the refusals.
"""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from portal import roles

from .accounts_factories import PASSWORD, give_authenticator, log_in_with_code, make_tenant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_on(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    cache.clear()  # allauth's rate limits and used TOTP codes
    yield
    cache.clear()


@pytest.mark.parametrize("group", roles.ROLE_GROUPS)
def test_every_staff_role_has_access_to_the_admin(group):
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    assert access in Group.objects.get(name=group).permissions.all()


@pytest.mark.parametrize("group", roles.ROLE_GROUPS)
def test_staff_without_two_factor_are_sent_to_set_it_up_from_the_admin(client, mfa_on, group):
    staff = make_user(groups=(group,))
    client.post("/en/accounts/login/", {"login": staff.email, "password": PASSWORD})
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"].endswith("/accounts/2fa/totp/activate/")
    # allauth asks for the password once more before showing the set-up page; our message explains why.
    follow = client.get(response["Location"], follow=True)
    assert follow.status_code == 200
    assert (
        "Staff members must protect their account with two-factor authentication" in follow.content.decode()
    )


@pytest.mark.parametrize(
    "url", ["/en/meetings/staff/", "/en/projects/manage/", "/en/projects/review/", "/en/elections/manage/"]
)
def test_front_end_staff_screens_ask_for_two_factor_too(client, mfa_on, url):
    client.post("/en/accounts/login/", {"login": make_user(superuser=True).email, "password": PASSWORD})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_staff_who_gave_their_code_at_login_use_the_admin_and_the_staff_screens(client, mfa_on):
    worker = make_user(groups=(roles.COLLECTIVE_WORKERS,))
    log_in_with_code(client, worker, give_authenticator(worker))
    assert client.get("/admin/").status_code == 200
    assert client.get("/en/meetings/staff/").status_code == 200


def test_a_session_opened_without_the_code_must_give_it_before_anything_else(client, mfa_on):
    """An authenticator is not enough: the session itself must have passed the second factor."""
    worker = make_user(groups=(roles.COLLECTIVE_WORKERS,))
    secret = give_authenticator(worker)
    client.force_login(worker)  # a way in that skips allauth's code step
    response = client.get("/en/meetings/staff/?tab=1")
    assert response.status_code == 302
    assert (
        response["Location"] == "/en/accounts/2fa/reauthenticate/?next=%2Fen%2Fmeetings%2Fstaff%2F%3Ftab%3D1"
    )
    page = client.get(response["Location"])
    assert "code of your authenticator app" in page.content.decode()
    answer = client.post(
        response["Location"], {"code": format_hotp_value(hotp_value(secret, int(time.time()) // 30))}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/en/meetings/staff/?tab=1"
    assert client.get("/en/meetings/staff/").status_code == 200


def test_wagtails_password_only_login_form_leads_to_the_portals_login(client, mfa_on):
    worker = make_user(groups=(roles.COLLECTIVE_WORKERS,))
    give_authenticator(worker)
    response = client.post(
        "/admin/login/?next=/admin/pages/", {"username": worker.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/login/?next=https://evil.example.org/")["Location"].endswith(
        "?next=%2Fadmin%2F"
    )


def test_tenants_are_not_asked_for_two_factor(client, mfa_on):
    user, _person = make_tenant()
    client.force_login(user)
    assert client.get("/en/my/data/").status_code == 200
    assert client.get("/en/meetings/").status_code == 200


def test_rule_can_be_switched_off_for_the_demo(client, settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(make_user(superuser=True))
    assert client.get("/admin/").status_code == 200


def test_staff_logging_in_without_two_factor_land_on_the_set_up_page(client, mfa_on):
    worker = make_user("worker@example.org", groups=(roles.COLLECTIVE_WORKERS,))
    response = client.post("/en/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/totp/activate/"


def test_staff_with_two_factor_must_give_a_code_when_logging_in(client, mfa_on):
    worker = make_user("worker2@example.org", groups=(roles.COLLECTIVE_WORKERS,))
    give_authenticator(worker)
    response = client.post("/en/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/2fa/authenticate/" in response["Location"]
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db(transaction=True)
def test_staff_member_sets_up_an_authenticator_app_and_then_reaches_the_admin(
    client, mfa_on, restore_migration_data
):
    """Real commits: allauth announces the new authenticator once its transaction commits, inside the request."""
    worker = make_user("worker3@example.org", groups=(roles.COLLECTIVE_WORKERS,))
    client.post("/en/accounts/login/", {"login": worker.email, "password": PASSWORD})
    client.post("/en/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', page.content.decode())
    secret = secret or re.search(
        r'value="([A-Z2-7]{16,})"[^>]*id="authenticator_secret"', page.content.decode()
    )
    code = format_hotp_value(hotp_value(secret.group(1), int(time.time()) // 30))
    response = client.post("/en/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    # The recovery codes are shown next, then every staff screen opens without asking for a code again.
    assert client.get(response["Location"]).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert client.get("/en/projects/manage/").status_code == 200


def test_a_tenant_opening_the_admin_gets_a_refusal_page_not_a_login_loop(client):
    user, _person = make_tenant()
    client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This part is for the housing company" in html
    assert 'href="/en/my/"' in html
    assert client.get("/admin/pages/", HTTP_ACCEPT_LANGUAGE="en").status_code == 403
    # Logging out from there still works.
    assert client.post("/admin/logout/").status_code == 302


def test_the_admin_refusal_page_speaks_french_and_dutch(client):
    user, _person = make_tenant()
    client.force_login(user)
    french = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    dutch = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "société de logement" in french
    assert "huisvestingsmaatschappij" in dutch


def test_anonymous_visitors_of_the_admin_are_sent_to_the_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
