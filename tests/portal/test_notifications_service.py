"""The notification service end to end: recipients, e-mails through the worker, letters PDF, retries."""

from __future__ import annotations

import datetime
import subprocess
import tempfile
from smtplib import SMTPRecipientsRefused

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.utils import translation

from portal.models import AuditEvent, NotificationBatch
from portal.notifications.kinds import MessageKind, register, unregister
from portal.notifications.models import BatchStatus, Channel, DeliveryStatus
from portal.notifications.services import (
    Audience,
    notification_letters_mark_printed,
    notification_retry_failed,
    notification_send,
)

from . import notifications_factories as f

pytestmark = pytest.mark.django_db

REFUSED = "refused@example.org"


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


def _letters_text(batch) -> str:
    batch.refresh_from_db()
    return pdf_text(batch.letters_pdf)


def test_letters_follow_the_household_language_and_unknown_gets_french_then_dutch(run_tasks):
    b = f.building(street="Rue Blaes", number="33")
    fr = f.household(b, language="fr", unit="1A")
    nl = f.household(b, language="nl", unit="2B")
    unknown = f.household(b, language="", unit="3C")
    with run_tasks():
        batch = send(Audience(households=[fr, nl, unknown]))
    batch.refresh_from_db()
    by_household = {d.household_id: d for d in batch.deliveries.all()}
    assert (
        by_household[fr.pk].language,
        by_household[nl.pk].language,
        by_household[unknown.pk].language,
    ) == (
        "fr",
        "nl",
        "",
    )
    assert pdf_pages(batch.letters_pdf) == 4
    pages = _letters_text(batch).split("\f")
    assert "Rue Blaes 33 / 1A" in pages[0]
    assert "Rue Blaes 33 / 2B" in pages[1]
    assert "Rue Blaes 33 / 3C" in pages[2] and "Rue Blaes 33 / 3C" in pages[3]
    # Sender and date on every page.
    assert all("Société de logement" in page for page in pages[:4])


def test_email_is_sent_in_the_persons_language_with_html_and_text(run_tasks):
    h = f.household(
        language="fr", members=[{"email": "an@example.org", "language": "nl", "first_name": "An"}]
    )
    with run_tasks():
        batch = send(Audience(households=[h]), context={"topic": "<b>bins</b>"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    [message] = mail.outbox
    assert message.to == ["an@example.org"]
    assert "An" in message.body
    assert "<b>bins</b>" in message.body  # plain text is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "&lt;b&gt;bins&lt;/b&gt;" in html  # HTML is escaped
    assert 'lang="nl"' in html
    assert batch.deliveries.get().language == "nl"


def test_email_of_unknown_language_carries_french_and_dutch(run_tasks):
    h = f.household(language="", members=[{"email": "x@example.org"}])
    with run_tasks():
        send(Audience(households=[h]))
    [message] = mail.outbox
    html = message.alternatives[0][0]
    assert 'lang="fr"' in html and 'lang="nl"' in html
    assert message.body.count("Société de logement") == 2  # one section (with its footer) per language


def test_tenant_who_opted_out_gets_a_letter_even_with_an_email_address(run_tasks):
    h = f.household(members=[{"email": "keep@example.org", "email_opt_out": True, "last_name": "Papier"}])
    with run_tasks():
        batch = send(Audience(households=[h]))
    assert mail.outbox == []
    delivery = batch.deliveries.get()
    assert (delivery.channel, delivery.status) == (Channel.LETTER, DeliveryStatus.READY)
    assert "Papier" in _letters_text(batch)


def test_verified_primary_address_of_the_linked_account_is_used_when_the_register_has_none(run_tasks):
    h = f.household(members=[{}])
    person = h.members.get()
    user = User.objects.create_user("tenant", password="x-password-123")
    person.user = user
    person.save()
    EmailAddress.objects.create(user=user, email="verified@example.org", primary=True, verified=True)
    other = f.household(members=[{}])
    unverified = User.objects.create_user("tenant2", password="x-password-123")
    other_person = other.members.get()
    other_person.user = unverified
    other_person.save()
    EmailAddress.objects.create(user=unverified, email="unverified@example.org", primary=True, verified=False)
    with run_tasks():
        batch = send(Audience(households=[h, other]))
    assert [m.to for m in mail.outbox] == [["verified@example.org"]]
    assert batch.deliveries.get(household=other).channel == Channel.LETTER


def test_household_email_goes_to_every_adult_with_an_address_but_not_to_children(run_tasks):
    h = f.household(
        members=[
            {"email": "mum@example.org"},
            {"email": "dad@example.org"},
            {
                "email": "kid@example.org",
                "birth_date": datetime.date.today() - datetime.timedelta(days=365 * 12),
            },
        ]
    )
    with run_tasks():
        batch = send(Audience(households=[h]))
    assert sorted(m.to[0] for m in mail.outbox) == ["dad@example.org", "mum@example.org"]
    assert not batch.deliveries.filter(channel=Channel.LETTER).exists()


def test_refused_address_is_retried_then_recorded_as_failed_while_others_are_sent(run_tasks, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_notifications_service.RefusingBackend"
    settings.PORTAL_NOTIFICATIONS_RETRY_DELAY = 0
    settings.PORTAL_NOTIFICATIONS_EMAIL_ATTEMPTS = 3
    ok = f.household(members=[{"email": "ok@example.org"}])
    bad = f.household(members=[{"email": REFUSED}])
    with run_tasks():
        batch = send(Audience(households=[ok, bad]))
    batch.refresh_from_db()
    assert [m.to for m in mail.outbox] == [["ok@example.org"]]
    failed = batch.deliveries.get(email=REFUSED)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.attempts == 3
    assert "SMTPRecipientsRefused" in failed.error
    assert batch.deliveries.get(email="ok@example.org").status == DeliveryStatus.SENT
    assert batch.status == BatchStatus.DONE

    # Once the mail server accepts it again, an operator sends the failed e-mails again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with run_tasks():
        assert notification_retry_failed(batch=batch) == 1
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox][-1] == [REFUSED]


def test_retry_is_delayed_so_a_failing_email_waits_for_the_next_worker_round(run_tasks, settings):
    settings.EMAIL_BACKEND = "tests.portal.test_notifications_service.RefusingBackend"
    settings.PORTAL_NOTIFICATIONS_RETRY_DELAY = 600
    bad = f.household(members=[{"email": REFUSED}])
    with run_tasks():
        batch = send(Audience(households=[bad]))
    delivery = batch.deliveries.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.QUEUED, 1)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PROCESSING


def test_per_person_gives_one_letter_per_person_with_their_name(run_tasks):
    h = f.household(language="nl", members=[{"last_name": "Janssens"}, {"last_name": "Peeters"}, {}])
    with run_tasks():
        batch = send(Audience(households=[h], per_person=True))
    assert batch.deliveries.filter(channel=Channel.LETTER).count() == 3
    batch.refresh_from_db()
    assert pdf_pages(batch.letters_pdf) == 3
    text = _letters_text(batch)
    assert "Janssens" in text and "Peeters" in text


def test_postal_address_of_a_person_replaces_the_dwelling_address(run_tasks):
    h = f.household(members=[{"postal_address": "Boîte postale 12\n1050 Ixelles"}])
    with run_tasks():
        batch = send(Audience(households=[h]))
    text = _letters_text(batch)
    assert "Boîte postale 12" in text and "1050 Ixelles" in text


def test_households_that_left_are_not_reached_through_their_neighbourhood(run_tasks):
    hood = f.neighbourhood()
    b = f.building(f.site(hood))
    current = f.household(b)
    f.household(b, end=datetime.date(2020, 1, 1))
    with run_tasks():
        batch = send(Audience(neighbourhoods=[hood]))
    assert list(batch.deliveries.values_list("household_id", flat=True)) == [current.pk]


def test_context_builders_are_called_in_the_recipients_language(run_tasks, personal_kind):
    fr = f.household(language="fr", members=[{"email": "fr@example.org"}])
    nl = f.household(language="nl")
    with run_tasks():
        batch = send(Audience(households=[fr, nl]), message=personal_kind, context={"topic": "x"})
    [message] = mail.outbox
    assert "topic-fr" in message.body and "CODE-" in message.body
    text = _letters_text(batch)
    assert "topic-nl" in text and f"CODE-{nl.pk}" in text


@pytest.fixture
def personal_kind():
    """A kind of the tests' own, with both builders, on the test message's templates."""
    kind = MessageKind(
        "tests/personal",
        context=topic_in_language,
        recipient_context=personal_code,
        template_dir="notifications/portal/test_message/",
    )
    register(kind)
    yield kind
    unregister(kind.name)


def topic_in_language(context):
    from django.utils.translation import get_language

    return {"topic": f"topic-{get_language()}"}


def personal_code(person, household, context):
    return {"code": f"CODE-{household.pk}"}


def test_nothing_is_sent_when_the_callers_transaction_rolls_back(run_tasks):
    from django.db import transaction

    h = f.household(members=[{"email": "rb@example.org"}])
    with run_tasks():
        try:
            with transaction.atomic():
                send(Audience(households=[h]))
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not NotificationBatch.objects.exists()


def test_unknown_message_or_empty_audience_is_refused_with_a_readable_error():
    h = f.household()
    with translation.override("en"):
        with pytest.raises(ValidationError, match="not a registered message kind"):
            send(Audience(households=[h]), message="portal/does_not_exist")
        with pytest.raises(ValidationError, match="not a registered message kind"):
            send(Audience(households=[h]), message=MessageKind("portal/test_message", letter=False))
        with pytest.raises(ValidationError, match="at least one"):
            send(Audience())
        with pytest.raises(ValidationError, match="plain values"):
            send(Audience(households=[h]), context={"meeting": h})
    assert not NotificationBatch.objects.exists()


def test_apps_find_the_batches_about_their_object_with_counts_per_channel_and_status(run_tasks):
    h_mail = f.household(members=[{"email": "m@example.org"}])
    h_letter = f.household()
    about = h_letter.dwelling.building
    with run_tasks():
        batch = send(Audience(households=[h_mail, h_letter]), related=about)
        send(Audience(households=[h_mail]))
    assert list(NotificationBatch.objects.for_object(about)) == [batch]
    assert batch.related == about
    assert batch.related_label == str(about)
    assert batch.delivery_counts() == {"email": {"sent": 1}, "letter": {"ready": 1}}


def test_marking_letters_printed_records_who_and_when_and_is_audited(run_tasks):
    worker = f.user_with_role(f.ROLES.COLLECTIVE_WORKERS)
    h = f.household()
    with run_tasks():
        batch = send(Audience(households=[h]), actor=worker)
    batch.refresh_from_db()
    assert notification_letters_mark_printed(batch=batch, actor=worker) == 1
    batch.refresh_from_db()
    assert batch.deliveries.get().status == DeliveryStatus.PRINTED
    assert batch.letters_printed_by == worker
    assert AuditEvent.objects.filter(action="notification.letters_printed", actor=worker).exists()
    assert AuditEvent.objects.filter(action="notification.sent", object_id=str(batch.pk)).exists()


def test_emails_are_sent_in_chunks_one_task_per_chunk(run_tasks, settings):
    from django_tasks_db.models import DBTaskResult

    settings.PORTAL_NOTIFICATIONS_EMAIL_CHUNK = 2
    households = [f.household(members=[{"email": f"c{i}@example.org"}]) for i in range(5)]
    with run_tasks():
        send(Audience(households=households))
    assert len(mail.outbox) == 5
    chunks = DBTaskResult.objects.filter(task_path__endswith="notification_send_emails")
    assert chunks.count() == 3


def test_demo_notification_is_created_once_and_delivered_by_the_worker(run_tasks):
    import io

    from portal import demo

    with run_tasks():
        demo.load(io.StringIO())
        demo.load(io.StringIO())
    batch = NotificationBatch.objects.get()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert batch.deliveries.count() >= 18
    assert (
        len(mail.outbox) == batch.deliveries.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
    )
    assert pdf_pages(batch.notices_pdf) == 3
    notices = " ".join(pdf_text(batch.notices_pdf).split())
    assert "Travaux de chauffage du 2 au 4 décembre" in notices
    assert "Verwarmingswerken van 2 tot 4 december" in notices
    if batch.letters_pdf:
        assert "Rue Haute" in pdf_text(batch.letters_pdf)


def test_neighbourhood_without_current_tenants_gives_a_done_batch_with_no_letters(run_tasks):
    hood = f.neighbourhood()
    f.household(f.building(f.site(hood)), end=datetime.date(2019, 6, 30))
    with run_tasks():
        batch = send(Audience(neighbourhoods=[hood]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE
    assert not batch.deliveries.exists()
    assert not batch.letters_pdf
    assert mail.outbox == []


def test_letters_sharing_their_text_print_exactly_as_letters_laid_out_one_by_one(run_tasks):
    """The shared-text rendering (each distinct letter laid out once, only the address windows per household)
    must print the same pages, in the same order, as the plain rendering of every letter in full."""
    from portal import pdf
    from portal.models import Delivery
    from portal.notifications.rendering import MessageRenderer, letter_jobs

    b = f.building(street="Rue Blaes", number="33")
    languages = ["fr", "nl", "", "fr", "fr", "nl", "", "fr"]
    households = [f.household(b, language=lang, unit=f"{i}A") for i, lang in enumerate(languages)]
    with run_tasks():
        batch = send(Audience(households=households))
    letters = list(
        Delivery.objects.filter(batch=batch, channel=Channel.LETTER)
        .select_related("person", "household__dwelling__building")
        .order_by("pk")
    )
    renderer = MessageRenderer(batch)
    [job] = letter_jobs(renderer, renderer.letter_pages(letters), size=100)
    html, bodies, addresses, keys, base_url = job
    assert bodies is not None and len(bodies) == 2  # the French and the Dutch letter, each laid out once

    def text(content: bytes) -> str:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
            tmp.write(content)
            tmp.flush()
            return subprocess.run(
                ["pdftotext", "-layout", tmp.name, "-"], capture_output=True, text=True, check=True
            ).stdout

    shared = text(pdf.letters_to_pdf(bodies, addresses, keys, base_url))
    plain = text(pdf.html_to_pdf(html, base_url))
    assert shared == plain
    assert all(f"Rue Blaes 33 / {i}A" in shared for i in range(len(languages)))
