"""Two-factor authentication is required for staff: without it they are sent to set it up."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Group, Permission

from portal import roles

from .accounts_factories import PASSWORD, make_tenant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_on(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True


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


def test_staff_with_an_authenticator_app_use_the_admin(client, mfa_on):
    worker = make_user(groups=(roles.COLLECTIVE_WORKERS,))
    Authenticator.objects.create(user=worker, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(worker)
    assert client.get("/admin/").status_code == 200


def test_staff_pages_listed_in_the_setting_are_guarded_too(client, mfa_on, settings):
    settings.PORTAL_STAFF_PATH_PREFIXES = ["/my/data/"]
    client.force_login(make_user(groups=(roles.REVIEWERS,)))
    assert client.get("/en/my/data/").status_code == 302
    assert client.get("/en/my/").status_code == 200


def test_tenants_are_not_asked_for_two_factor(client, mfa_on, settings):
    settings.PORTAL_STAFF_PATH_PREFIXES = ["/my/data/"]
    user, _person = make_tenant()
    client.force_login(user)
    assert client.get("/en/my/data/").status_code == 200


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
    Authenticator.objects.create(user=worker, type=Authenticator.Type.TOTP, data={"secret": "x"})
    response = client.post("/en/accounts/login/", {"login": worker.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "/2fa/authenticate/" in response["Location"]
    assert client.get("/admin/").status_code == 302


def test_staff_member_sets_up_an_authenticator_app_and_then_reaches_the_admin(client, mfa_on):
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
    assert Authenticator.objects.filter(user=worker, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200
