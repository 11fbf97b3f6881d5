"""The import page of the Wagtail admin: who may use it, and upload -> report -> confirm."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.utils import translation
from wagtail.users.models import UserProfile

from portal import roles
from portal.models import AuditEvent, Person
from portal.register_import import pending
from portal.register_import.columns import COLUMN_NAMES
from tests.factories.register import person
from tests.portal.register_csv import person_row, to_csv

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/register/import/"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def user_in(group_name: str | None, *, admin_access: bool = False, username: str = "someone") -> User:
    user = User.objects.create_user(username, f"{username}@example.org", "a-long-password-1")
    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": "en"})  # admin in English
    if group_name:
        group = Group.objects.get(name=group_name)
        user.groups.add(group)
        if admin_access:  # as the apps of these roles grant it (meetings, project call)
            group.permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def worker(client):
    user = user_in(roles.COLLECTIVE_WORKERS, username="worker")
    client.force_login(user)
    return user


def upload(client, rows=None, content=None, **data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = content if content is not None else to_csv(rows)
    payload = {"export_date": "2025-03-31", "full_export": "on", **data}
    payload["file"] = SimpleUploadedFile("export.csv", content, content_type="text/csv")
    return client.post(UPLOAD, payload)


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_tenant_without_admin_access_is_sent_away_by_the_admin(client):
    tenant = user_in(None, username="tenant")
    person(user=tenant)
    client.force_login(tenant)
    response = client.get(UPLOAD)
    # The admin's refusal page (portal.accounts.two_factor.AdminDoorMiddleware), not a login loop.
    assert response.status_code == 403
    assert "réservée au personnel de la société de logement" in response.content.decode()


@pytest.mark.parametrize("group_name", [roles.DEPARTMENT_STAFF, roles.REVIEWERS, roles.ELECTION_COMMITTEE])
def test_staff_of_other_roles_get_403_even_with_admin_access(client, group_name):
    client.force_login(user_in(group_name, admin_access=True))
    assert client.get(UPLOAD).status_code == 403
    assert upload(client, [person_row(1)]).status_code == 403
    assert not Person.objects.exists()


@pytest.mark.parametrize("group_name", [roles.COLLECTIVE_WORKERS, roles.ADMINISTRATORS])
def test_workers_and_administrators_see_the_upload_form(client, group_name):
    client.force_login(user_in(group_name))
    response = client.get(UPLOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="file"' in html
    assert "household_ref" in html  # the column list is shown


def test_worker_sees_the_import_entry_in_the_tenant_register_menu(client, worker):
    html = client.get("/admin/").content.decode()
    assert "Tenant register" in html
    assert "Import from the rental system" in html


def test_upload_shows_the_report_then_confirming_imports_and_audits(client, worker):
    response = upload(client, [person_row(1), person_row(2, household=1), person_row(3)])
    assert response.status_code == 302
    report_url = response["Location"]
    assert not Person.objects.exists()  # nothing before confirmation

    html = client.get(report_url).content.decode()
    assert "3 rows: 3 valid, 0 rejected." in html
    assert "Import 3 rows" in html
    token = report_url.rstrip("/").rsplit("/", 1)[1]
    assert (pending.directory() / f"{token}.csv").exists()

    response = client.post(report_url, {"confirm": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("/done/")
    assert Person.objects.count() == 3
    assert not (pending.directory() / f"{token}.csv").exists()  # the personal data file is gone
    event = AuditEvent.objects.get(action="register.imported")
    assert event.actor == worker
    done = client.get(response["Location"]).content.decode()
    assert "The register was updated. Rows imported: 3." in done
    assert client.post(report_url, {"confirm": "1"}).status_code == 302  # a second click imports nothing more
    assert AuditEvent.objects.filter(action="register.imported").count() == 1


def test_a_file_with_rejected_rows_offers_to_import_only_the_valid_ones(client, worker):
    response = upload(client, [person_row(1), person_row(2, birth_date="1960-02-30"), person_row(3)])
    html = client.get(response["Location"]).content.decode()
    assert "Rows with a problem, which will not be imported: 1." in html
    assert "Import the 2 valid rows" in html
    assert "birth_date" in html and "is not a date" in html
    assert not Person.objects.exists()

    client.post(response["Location"], {"confirm": "1"})
    assert sorted(Person.objects.values_list("external_ref", flat=True)) == ["P-1", "P-3"]


def test_cancelling_removes_the_file_and_changes_nothing(client, worker):
    response = upload(client, [person_row(1)])
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    response = client.post(response["Location"], {"cancel": "1"})
    assert response.status_code == 302
    assert not (pending.directory() / f"{token}.csv").exists()
    assert not Person.objects.exists()


def test_a_missing_column_is_shown_next_to_the_file_field_and_nothing_is_kept(client, worker):
    columns = [name for name in COLUMN_NAMES if name != "email"]
    before = set(pending.directory().iterdir())
    response = upload(client, content=to_csv([person_row(1)], columns=columns))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Missing columns: email." in html
    assert re.search(r'aria-invalid="true"|error-message', html)
    assert set(pending.directory().iterdir()) == before


def test_a_file_in_a_wrong_encoding_gets_a_clear_message(client, worker):
    response = upload(client, content=to_csv([person_row(1)], encoding="utf-16"))
    assert response.status_code == 200
    assert "UTF-16" in response.content.decode()


def test_another_worker_cannot_open_or_confirm_someone_elses_upload(client, worker):
    report_url = upload(client, [person_row(1)])["Location"]
    client.force_login(user_in(roles.COLLECTIVE_WORKERS, username="colleague"))
    assert client.get(report_url).status_code in (302, 404)
    client.post(report_url, {"confirm": "1"})
    assert not Person.objects.exists()


def test_an_invented_token_is_not_found(client, worker):
    response = client.get("/admin/register/import/../../etc/passwd/")
    assert response.status_code in (302, 404)
    assert client.get("/admin/register/import/" + "x" * 30 + "/").status_code in (302, 404)


def test_partial_upload_closes_nobody(client, worker):
    person_left_alone = person(since=datetime.date(2010, 1, 1))
    response = upload(client, [person_row(1)], full_export="")
    client.post(response["Location"], {"confirm": "1"})
    person_left_alone.refresh_from_db()
    assert person_left_alone.end_date is None


def test_a_french_speaking_worker_gets_the_upload_page_in_french(client):
    user = user_in(roles.COLLECTIVE_WORKERS, username="ouvriere")
    UserProfile.objects.filter(user=user).update(preferred_language="fr")
    client.force_login(user)
    with translation.override("fr"):
        html = client.get(UPLOAD).content.decode()
    assert "Vérifier le fichier" in html
    assert "Fichier d&#x27;export (CSV)" in html or "Fichier d'export (CSV)" in html
