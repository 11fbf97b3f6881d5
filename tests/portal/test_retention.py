"""`manage.py portal_retention`: what the privacy page promises to delete after its period is deleted, at the day.

The portal's own rule: the copies of e-mail and postal addresses kept on deliveries, and the letters PDF of their
batch, after PORTAL_RETENTION_DELIVERY_MONTHS months. The rules of the apps are tested beside them
(tests/elections/test_gdpr.py, tests/projectcall/test_gdpr.py).
"""

import datetime
import io
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from portal import gdpr
from portal.models import AuditEvent, Delivery, NotificationBatch

from .notifications_factories import household

pytestmark = pytest.mark.django_db
SENT = timezone.make_aware(datetime.datetime(2026, 1, 31, 10, 0))


def _batch_with_deliveries() -> NotificationBatch:
    batch = NotificationBatch.objects.create(title="Travaux", message="portal/test_message", created_at=SENT)
    batch.letters_pdf.save("letters.pdf", ContentFile(b"%PDF-1.4 names and addresses"), save=True)
    person = household().members.first()
    Delivery.objects.create(
        batch=batch,
        person=person,
        channel="email",
        status="failed",
        email="a@example.org",
        error="550 <a@...>",
    )
    Delivery.objects.create(
        batch=batch,
        person=person,
        channel="letter",
        status="ready",
        address="Mme A\nRue Haute 1\n1000 Bruxelles",
    )
    return batch


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("portal_retention", *args, stdout=out)
    return out.getvalue()


def test_months_before_keeps_the_day_or_takes_the_last_day_of_a_shorter_month():
    assert gdpr.months_before(SENT, 1) == SENT.replace(month=12, day=31, year=2025)
    assert gdpr.months_before(SENT.replace(month=3, day=31), 1) == SENT.replace(month=2, day=28)
    assert gdpr.months_before(SENT, 13) == SENT.replace(year=2024, month=12)


@pytest.mark.parametrize(
    ("moment", "emptied"),
    [
        (datetime.datetime(2026, 7, 31, 9, 59), False),  # six months later, a minute before
        (datetime.datetime(2026, 7, 31, 10, 1), True),
    ],
    ids=["a minute before six months", "a minute after"],
)
def test_address_copies_and_the_letters_pdf_go_after_the_set_number_of_months(
    settings, django_capture_on_commit_callbacks, moment, emptied
):
    settings.PORTAL_RETENTION_DELIVERY_MONTHS = 6
    batch = _batch_with_deliveries()
    pdf = Path(batch.letters_pdf.path)
    with (
        time_machine.travel(timezone.make_aware(moment), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        output = _run()
    copies = set(Delivery.objects.values_list("email", "address", "error"))
    batch.refresh_from_db()
    if emptied:
        assert copies == {("", "", "")}
        assert not batch.letters_pdf and not pdf.exists()
        assert "deliveries: 3 deleted or emptied" in output
        event = AuditEvent.objects.get(action="personal_data.retention")
        assert event.data["deliveries"] == 3
    else:
        assert ("a@example.org", "", "550 <a@...>") in copies
        assert batch.letters_pdf and pdf.exists()
        assert "deliveries: 0 deleted or emptied" in output
    assert Delivery.objects.count() == 2  # who was reached, how and when, stays
    assert set(Delivery.objects.values_list("status", flat=True)) == {"failed", "ready"}


def test_a_second_run_finds_nothing_and_a_dry_run_changes_nothing(settings):
    settings.PORTAL_RETENTION_DELIVERY_MONTHS = 6
    _batch_with_deliveries()
    with time_machine.travel(SENT + datetime.timedelta(days=365), tick=False):
        assert "deliveries: 3 would be deleted or emptied" in _run("--dry-run")
        assert Delivery.objects.exclude(email="").exists()
        assert not AuditEvent.objects.filter(action="personal_data.retention").exists()
        assert "Total: 3 deleted or emptied" in _run()
        assert "Total: 0 deleted or emptied" in _run()
    assert AuditEvent.objects.filter(action="personal_data.retention").count() == 1


def test_every_app_registers_the_rules_the_privacy_page_promises():
    assert {rule.key for rule in gdpr.retention_rules()} == {
        "deliveries",
        "elections_participation",
        "projectcall_drafts",
    }


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["9 months after sending", "for 200 days is deleted", "complaint period ends", "every night"]),
        (
            "fr",
            ["9 mois après l'envoi", "depuis 200 jours est supprimée", "période de recours", "chaque nuit"],
        ),
        ("nl", ["9 maanden na verzending", "al 200 dagen", "beroepstermijn", "elke nacht"]),
    ],
)
def test_the_privacy_page_says_what_the_nightly_job_deletes_and_when(client, settings, language, expected):
    settings.PORTAL_RETENTION_DELIVERY_MONTHS = 9
    settings.PORTAL_RETENTION_DRAFT_DAYS = 200
    html = client.get(f"/{language}/privacy/").content.decode().replace("&#x27;", "'")
    for words in expected:
        assert words in html
