"""Applicants outside the register (organisations, accounts without a register person) and authors of ideas
are reached through the notification service: a delivery record, retries, the office's list, e-mail or letter."""

from __future__ import annotations

import subprocess
import tempfile

import pytest
from django.core import mail

from portal.notifications.models import Channel, DeliveryStatus, NotificationBatch
from projectcall import services

from ..portal.test_notifications_service import REFUSED
from . import factories as f

pytestmark = pytest.mark.django_db


def _organisation_application(
    *, contact_email="contact@asbl.example.org", contact_address="", owner_email=None
):
    owner = f.user(email=owner_email)
    app = f.complete_application(f.call(phase="open", year=2031), owner)
    app.organisation = f.organisation(members=[owner])
    app.contact_email = contact_email
    app.contact_address = contact_address
    app.language = "nl"
    app.save()
    return app, owner


def test_organisation_gets_its_confirmation_with_a_delivery_record(run_tasks):
    app, owner = _organisation_application()
    with run_tasks():
        services.application_submit(application=app, actor=owner)
    [message] = mail.outbox
    assert message.to == ["contact@asbl.example.org"]
    assert "PC-2031-001" in message.subject
    batch = NotificationBatch.objects.get(message="projectcall/submitted")
    assert batch.related == app
    delivery = batch.deliveries.get()
    assert (delivery.channel, delivery.status, delivery.name, delivery.language, delivery.person) == (
        Channel.EMAIL,
        DeliveryStatus.SENT,
        "Anne Dubois",
        "nl",
        None,
    )


def test_organisation_address_refused_by_the_mail_server_is_retried_then_recorded_as_failed(
    run_tasks, settings
):
    settings.EMAIL_BACKEND = "tests.portal.test_notifications_service.RefusingBackend"
    settings.PORTAL_NOTIFICATIONS_RETRY_DELAY = 0
    settings.PORTAL_NOTIFICATIONS_EMAIL_ATTEMPTS = 3
    app, owner = _organisation_application(contact_email=REFUSED)
    with run_tasks():
        services.application_submit(application=app, actor=owner)
    delivery = NotificationBatch.objects.get(message="projectcall/submitted").deliveries.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert "SMTPRecipientsRefused" in delivery.error


def test_organisation_without_email_gets_a_letter_at_its_postal_address(run_tasks):
    app, owner = _organisation_application(
        contact_email="", contact_address="Rue des Tanneurs 8\n1000 Bruxelles", owner_email=""
    )
    with run_tasks():
        services.application_submit(application=app, actor=owner)
    assert mail.outbox == []
    batch = NotificationBatch.objects.get(message="projectcall/submitted")
    assert batch.deliveries.get().status == DeliveryStatus.READY
    with batch.letters_pdf.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(handle.read())
        tmp.flush()
        text = subprocess.run(["pdftotext", tmp.name, "-"], capture_output=True, text=True, check=True).stdout
    assert "Anne Dubois" in text and "Rue des Tanneurs 8" in text


def test_idea_answer_reaches_an_email_contact_and_a_phone_number_is_called_back_instead(run_tasks):
    worker = f.worker()
    by_mail = services.idea_submit(title="Potager", description="Sur le toit.", contact="voisine@example.org")
    by_phone = services.idea_submit(
        title="Fête", description="En juin.", contact="0470 12 34 56", language="nl"
    )
    with run_tasks():
        services.idea_answer(idea=by_mail, answer="Venez jeudi au bureau.", actor=worker)
        services.idea_answer(idea=by_phone, answer="Nous vous appelons.", actor=worker)
    [message] = mail.outbox
    assert message.to == ["voisine@example.org"] and "Venez jeudi au bureau." in message.body
    [batch] = NotificationBatch.objects.filter(message="projectcall/idea_answer")
    assert batch.related == by_mail
    assert batch.deliveries.get().status == DeliveryStatus.SENT
