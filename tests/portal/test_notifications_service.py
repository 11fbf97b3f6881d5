"""The notification service end to end: recipients, e-mails through the worker, letters PDF, retries."""

from __future__ import annotations

import subprocess
import tempfile
from smtplib import SMTPRecipientsRefused

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

from portal.models import NotificationBatch
from portal.notifications.models import BatchStatus, Channel, DeliveryStatus
from portal.notifications.services import (
    Audience,
    notification_send,
)

from . import notifications_factories as f

pytestmark = pytest.mark.django_db

REFUSED = "refused@example.org"


@pytest.fixture(autouse=True)
def _worker_keeps_test_connection(monkeypatch):
    f.keep_test_connection(monkeypatch)


class RefusingBackend(LocmemBackend):
    """Stands for the mail server: refuses one address, delivers the others to Django's outbox."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.to:
                raise SMTPRecipientsRefused({REFUSED: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def pdf_text(field) -> str:
    with field.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(handle.read())
        tmp.flush()
        return subprocess.run(
            ["pdftotext", "-layout", tmp.name, "-"], capture_output=True, text=True, check=True
        ).stdout  # noqa: S603, S607


def pdf_pages(field) -> int:
    with field.open("rb") as handle, tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(handle.read())
        tmp.flush()
        info = subprocess.run(["pdfinfo", tmp.name], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def send(audience: Audience, **kwargs) -> NotificationBatch:
    kwargs.setdefault("message", "portal/test_message")
    kwargs.setdefault("context", {"topic": "the new bins"})
    kwargs.setdefault("title", "Test")
    return notification_send(audience=audience, **kwargs)


def test_neighbourhood_of_1000_households_with_40_percent_emails_gets_400_emails_and_one_letters_pdf(
    run_tasks, settings
):
    settings.PORTAL_NOTIFICATIONS_EMAIL_CHUNK = 150
    # 1,000 households: 2 in 5 have an e-mail; languages cycle FR, NL, unknown.
    hood = f.bulk_neighbourhood(1000, email_every=0)
    for index, person in enumerate(
        f.Person.objects.filter(household__dwelling__building__site__neighbourhood=hood).order_by("last_name")
    ):
        if index % 5 in (0, 1):
            person.email = f"tenant{index}@example.org"
            person.save(update_fields=["email"])
    with run_tasks():
        batch = send(Audience(neighbourhoods=[hood]), hall_notices=True)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert len(mail.outbox) == 400
    assert batch.deliveries.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count() == 400
    letters = batch.deliveries.filter(channel=Channel.LETTER)
    assert letters.count() == 600
    assert set(letters.values_list("status", flat=True)) == {DeliveryStatus.READY}
    # Unknown language (every 3rd household) gets FR + NL: one page each.
    bilingual = letters.filter(language="").count()
    assert pdf_pages(batch.letters_pdf) == 600 + bilingual
    text = pdf_text(batch.letters_pdf)
    assert text.count("Rue des Tests") == 600 + bilingual
    assert "1000 Bruxelles" in text
    assert "Locataire N00002" in text  # index 2: no e-mail, so a letter
    assert "Locataire N00000" not in text  # index 0: e-mail
    assert pdf_pages(batch.notices_pdf) == 50  # one page per building (20 dwellings each)
    assert str(batch.letters_pdf.path).startswith(str(settings.PRIVATE_MEDIA_ROOT))
