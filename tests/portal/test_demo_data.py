"""`make run` loads the demo data on every start: it must be idempotent and give a usable admin login."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {"portal", "home", "meetings", "projectcall", "elections", "wagtailcore", "wagtailimages"}
    }


def test_loading_the_demo_twice_creates_nothing_the_second_time():
    call_command("load_demo", stdout=io.StringIO())
    first = _row_counts()
    assert first["portal.Person"] > 100
    call_command("load_demo", stdout=io.StringIO())
    second = _row_counts()
    changed = {label: (first[label], second[label]) for label in first if first[label] != second[label]}
    assert not changed, f"a second load_demo changed row counts: {changed}"


def test_printed_admin_login_opens_the_wagtail_admin(client, settings, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("PORTAL_ADMIN_PASSWORD", raising=False)
    settings.BASE_DIR = tmp_path
    from portal.management.commands import ensure_admin

    monkeypatch.setattr(ensure_admin, "LOGIN_FILE", tmp_path / ".dev-admin-login")
    call_command("ensure_admin")
    output = capsys.readouterr().out
    email = re.search(r"e-mail:\s+(\S+)", output).group(1)
    password = re.search(r"password:\s+(\S+)", output).group(1)
    # Run again: the same login is printed (reused, not replaced).
    call_command("ensure_admin")
    assert f"password: {password}" in capsys.readouterr().out
    assert client.login(username=email, password=password) or client.login(
        username="admin", password=password
    )
    settings.PORTAL_REQUIRE_STAFF_MFA = False  # as in the development settings of `make run`
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "wagtail" in response.content.decode().lower()
