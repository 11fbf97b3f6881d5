"""Personal data: "My data" export holds the person's data and no one else's; removing an account anonymises."""

import datetime
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile

from portal import gdpr
from portal.forms import OnBehalfExportForm
from portal.models import AuditEvent, Person
from portal.services import audit_record

from .accounts_factories import PASSWORD, make_neighbourhood, make_person, make_tenant, make_worker

pytestmark = pytest.mark.django_db


def unzip(response) -> tuple[str, dict, dict[str, bytes]]:
    """The JSON document (raw and parsed) and the other files of a downloaded archive."""
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    raw = files.pop("my-data.json").decode()
    return raw, json.loads(raw), files


def _download(client, user):
    client.force_login(user)
    response = client.get("/en/my/data/download/")
    assert response.status_code == 200
    raw, document, _files = unzip(response)
    return raw, document


def test_data_export_contains_the_persons_data_and_no_one_elses(client):
    user, person = make_tenant(first_name="Nadia", last_name="Benali")
    other_user, other = make_tenant(first_name="Jan", last_name="Peeters")
    audit_record(action="meeting.suggested", actor=user, summary="Topic about the lift")
    audit_record(action="meeting.suggested", actor=other_user, summary="Topic about the bins by Jan")
    raw, document = _download(client, user)
    sections = document["sections"]
    assert sections["register"]["items"][0]["last_name"] == "Benali"
    assert sections["register"]["items"][0]["date_of_birth"] == person.birth_date.isoformat()
    assert sections["account"]["items"][0]["email"] == user.email
    assert [e["summary"] for e in sections["events"]["items"]] == ["Topic about the lift"]
    for marker in ("Peeters", other.email, other_user.email, "bins"):
        assert marker not in raw


def test_my_data_page_shows_register_data_with_readable_labels(client):
    user, person = make_tenant(last_name="Lambert")
    client.force_login(user)
    html = client.get("/en/my/data/").content.decode()
    assert "Lambert" in html
    assert "Date of birth" in html
    assert "Download my data" in html
    assert "On behalf of the tenant" not in html


def test_worker_downloads_a_covered_tenants_data_on_their_behalf_and_it_is_audited(client):
    hood = make_neighbourhood()
    person = make_person(neighbourhood=hood, last_name="Diallo")
    worker = make_worker(hood)
    client.force_login(worker)
    assert "On behalf of the tenant" in client.get("/en/my/data/").content.decode()
    response = client.post("/en/my/data/download/", {"on_behalf_of": person.pk})
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="personal-data-{person.external_ref}.zip"'
    )
    _raw, document, _files = unzip(response)
    assert document["sections"]["register"]["items"][0]["last_name"] == "Diallo"
    event = AuditEvent.objects.get(action="personal_data.exported")
    assert event.actor == worker and event.on_behalf_of == person


def test_worker_cannot_export_a_tenant_outside_their_neighbourhoods(client):
    covered, other_hood = make_neighbourhood(), make_neighbourhood()
    outsider = make_person(neighbourhood=other_hood)
    client.force_login(make_worker(covered))
    response = client.post("/en/my/data/download/", {"on_behalf_of": outsider.pk})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="personal_data.exported").exists()


def test_account_removal_asks_for_the_password(client):
    user, _person = make_tenant()
    client.force_login(user)
    response = client.post("/en/my/delete/", {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert "This password is not correct." in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_account_removal_anonymises_and_keeps_the_register_row_and_the_audit_events(client):
    user, person = make_tenant()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    audit_record(action="meeting.suggested", actor=user, on_behalf_of=None, summary="Topic")
    other_client = type(client)()
    other_client.force_login(user)
    client.force_login(user)
    response = client.post("/en/my/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not Authenticator.objects.filter(user_id=user.pk).exists()
    person.refresh_from_db()
    assert Person.objects.filter(pk=person.pk).exists() and person.user_id is None
    event = AuditEvent.objects.get(action="meeting.suggested")
    assert event.actor is None
    assert AuditEvent.objects.filter(action="account.deleted", object_id=str(person.pk)).exists()
    # Logged out everywhere: another browser's session no longer works.
    assert other_client.get("/en/my/").status_code == 302


def test_account_removal_without_confirmation_box_changes_nothing(client):
    user, _person = make_tenant()
    client.force_login(user)
    response = client.post("/en/my/delete/", {"password": PASSWORD})
    assert response.status_code == 200
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_on_behalf_of_mixin_offers_only_current_tenants_of_the_workers_neighbourhoods():
    covered, other = make_neighbourhood(), make_neighbourhood()
    inside = make_person(neighbourhood=covered)
    outside = make_person(neighbourhood=other)
    moved_out = make_person(neighbourhood=covered, end_date=datetime.date(2015, 1, 1))
    form = OnBehalfExportForm(user=make_worker(covered))
    choices = set(form.fields["on_behalf_of"].queryset)
    assert inside in choices
    assert outside not in choices and moved_out not in choices
    tenant_user, _person = make_tenant()
    assert "on_behalf_of" not in OnBehalfExportForm(user=tenant_user).fields


def test_other_apps_add_their_own_section_and_files_through_the_registry(client, tmp_path):
    user, person = make_tenant()
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"JPEG bytes")

    def items(subject):
        return [
            {
                "suggested_topic": f"Lift for {subject.person.pk}",
                "picture": gdpr.ExportFile(
                    FieldFile(None, FileField(storage=FileSystemStorage(location=tmp_path)), "photo.jpg"),
                    "lift.jpg",
                ),
            }
        ]

    section = gdpr.Section(key="example", title="Example", covers={}, items=items)
    with gdpr.registered(section):
        client.force_login(user)
        _raw, document, files = unzip(client.get("/en/my/data/download/"))
        html = client.get("/en/my/data/").content.decode()
    assert document["sections"]["example"]["items"] == [
        {"suggested_topic": f"Lift for {person.pk}", "picture": "files/example/lift.jpg"}
    ]
    assert files == {"files/example/lift.jpg": b"JPEG bytes"}
    assert "lift.jpg" in html
    assert "example" not in {s.key for s in gdpr.registered_sections()}


def test_every_audit_action_the_code_writes_has_a_readable_label():
    """Action names (`meetings.suggestion_received`) are never shown raw on "My data"."""
    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in root.glob("*/**/*.py"):
        if {".venv", ".tools", "tests", "bench", "migrations"} & set(path.relative_to(root).parts):
            continue
        source = path.read_text()
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', source))
        for prefix, _name in re.findall(r'action=f"([a-z_]+\.[a-z_]+_)\{(\w+)\}"', source):
            written |= {f"{prefix}accepted", f"{prefix}declined"}  # meetings.item_{status}
    assert {"meetings.suggestion_received", "account.linked", "projectcall.application_submitted"} <= written
    # Wagtail's own history of an admin edit (`wagtail.log_actions.log`) is not our audit log: not on "My data".
    written = {action for action in written if not action.startswith("wagtail.")}
    labels = gdpr.registry.event_labels()
    assert sorted(written - set(labels)) == []


def test_my_data_page_in_french_and_dutch_shows_translated_labels_and_no_event_codes(client):
    user, _person = make_tenant(last_name="Lambert")
    audit_record(action="meetings.suggestion_received", actor=user, summary="Ascenseur")
    client.force_login(user)
    french = client.get("/fr/my/data/").content.decode()
    dutch = client.get("/nl/my/data/").content.decode()
    assert "meetings.suggestion_received" not in french + dutch
    assert "Sujet proposé pour une réunion" in french and "Date de naissance" in french
    assert "Onderwerp voorgesteld voor een vergadering" in dutch and "Geboortedatum" in dutch
    for english in ("Date of birth", "Recorded events about you", "Topic suggested"):
        assert english not in french and english not in dutch
