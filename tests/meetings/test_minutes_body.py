"""The minutes body is written once (meetings/includes/minutes_body.html) and read the same on the page, in the
PDF, in the letter and in the e-mail."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from meetings import services
from portal.notifications.models import NotificationBatch

from . import factories as f
from .test_public_pages import pdf_text

pytestmark = pytest.mark.django_db

INCLUDE = "meetings/includes/minutes_body.html"
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_page_pdf_letter_email_and_review_include_the_one_minutes_body_and_copy_none_of_it():
    for name in (
        "meetings/meeting.html",
        "meetings/minutes_pdf_part.html",
        "meetings/staff/review.html",
        "notifications/meetings/minutes/letter.html",
        "notifications/meetings/minutes/email.txt",
    ):
        source = (TEMPLATES / name).read_text()
        assert INCLUDE in source, name
        assert "What was said" not in source and "Who does what" not in source, name


def test_every_copy_of_the_minutes_carries_the_same_text(client, run_tasks):
    hood = f.neighbourhood()
    f.household(hood, email="fatima@example.org")
    f.household(hood)
    worker = f.worker(hood)
    meeting = f.held_meeting(hood, actor=worker)
    item = meeting.items.get(follow_up_of__isnull=True)
    services.minutes_save(
        actor=worker,
        meeting=meeting,
        introduction="Réunion animée par l'équipe.",
        items={item.pk: {"summary": "On a parlé du chauffage.", "decisions": "Purge en mai."}},
    )
    services.action_point_add(
        actor=worker,
        meeting=meeting,
        item=item,
        description="Purger les radiateurs",
        responsible="Service technique",
        due_date=datetime.date(2030, 5, 31),
    )
    services.minutes_submit_for_review(actor=worker, meeting=meeting)
    services.minutes_approve(actor=f.worker(hood), meeting=meeting)
    mail.outbox.clear()
    with run_tasks():
        services.minutes_publish(actor=worker, meeting=meeting)
    expected = [
        "Réunion animée par l'équipe.",
        "On a parlé du chauffage.",
        "Purge en mai.",
        "Purger les radiateurs — Service technique",
        "31 mai 2030",
        "12",  # tenants present
    ]
    page = client.get(f"/fr/meetings/meeting/{meeting.pk}/").content.decode().replace("&#x27;", "'")
    minutes_pdf = pdf_text(client.get(f"/fr/meetings/meeting/{meeting.pk}/minutes.pdf").content)
    batch = NotificationBatch.objects.get(message="meetings/minutes")
    letter = subprocess.run(
        ["pdftotext", batch.letters_pdf.path, "-"], capture_output=True, text=True, check=True
    ).stdout
    [email] = mail.outbox
    for copy_name, copy in {"page": page, "pdf": minutes_pdf, "letter": letter, "e-mail": email.body}.items():
        flat = " ".join(copy.split())
        for text in expected:
            assert text in flat, (copy_name, text)
    assert "<" not in email.body.split("Purger", 1)[0].rsplit("\n\n", 1)[-1]  # the e-mail text has no HTML
