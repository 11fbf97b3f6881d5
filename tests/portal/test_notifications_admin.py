"""The notifications office in the Wagtail admin: who may see it, downloads, actions, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import roles
from portal.notifications.models import Channel, DeliveryStatus, NotificationBatch
from portal.notifications.services import Audience, notification_send

from . import notifications_factories as f

pytestmark = pytest.mark.django_db


def _tenant():
    h = f.household()
    person = h.members.get()
    user = f.user_with_role(None)
    person.user = user
    person.save()
    return user


USERS = {
    "anonymous": lambda: None,
    "tenant": _tenant,
    # Department staff reach the admin for their own work, but not the notifications.
    "department staff": lambda: f.user_with_role(roles.DEPARTMENT_STAFF, admin_access=True),
    "worker": lambda: f.user_with_role(roles.COLLECTIVE_WORKERS),
    "administrator": lambda: f.user_with_role(roles.ADMINISTRATORS),
}
ALLOWED = {"worker", "administrator"}


@pytest.fixture
def sent_batch(run_tasks):
    h1 = f.household(members=[{"email": "one@example.org"}])
    h2 = f.household(members=[{"last_name": "Zwijsen"}])
    with run_tasks():
        batch = notification_send(
            audience=Audience(households=[h1, h2]),
            message="portal/test_message",
            context={"topic": "heating"},
            hall_notices=True,
            title="Heating works",
        )
    batch.refresh_from_db()
    return batch


def _login(client, who):
    user = USERS[who]()
    if user is not None:
        client.force_login(user)
    return user


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("view", ["index", "detail", "letters", "notices"])
def test_only_workers_and_administrators_see_notifications_and_download_letters(
    client, sent_batch, who, view
):
    _login(client, who)
    url = {
        "index": reverse("portal_notifications:index"),
        "detail": reverse("portal_notifications:detail", args=[sent_batch.pk]),
        "letters": reverse("portal_notifications:download", args=[sent_batch.pk, "letters"]),
        "notices": reverse("portal_notifications:download", args=[sent_batch.pk, "notices"]),
    }[view]
    response = client.get(url)
    if who in ALLOWED:
        assert response.status_code == 200
        if view in ("letters", "notices"):
            assert response["Content-Type"] == "application/pdf"
            assert b"".join(response.streaming_content).startswith(b"%PDF")
            assert "attachment" in response["Content-Disposition"]
        else:
            assert "Heating works" in response.content.decode()
    elif who == "anonymous":
        assert response.status_code == 302
        assert "login" in response["Location"]
    else:
        assert response.status_code in (302, 403)
        assert b"%PDF" not in response.content


@pytest.mark.parametrize("who", list(USERS))
def test_only_workers_and_administrators_can_mark_letters_printed_or_retry(client, sent_batch, who):
    _login(client, who)
    response = client.post(reverse("portal_notifications:mark_printed", args=[sent_batch.pk]))
    printed = sent_batch.deliveries.filter(status=DeliveryStatus.PRINTED).count()
    if who in ALLOWED:
        assert response.status_code == 302
        assert printed == 1
    else:
        assert response.status_code in (302, 403)
        assert printed == 0
    response = client.post(reverse("portal_notifications:retry", args=[sent_batch.pk]))
    assert response.status_code in (302, 403)


def test_letters_are_not_reachable_through_the_public_media_url(client, sent_batch, settings):
    assert not str(sent_batch.letters_pdf.path).startswith(str(settings.MEDIA_ROOT))
    response = client.get(f"{settings.MEDIA_URL}{sent_batch.letters_pdf.name}")
    assert response.status_code == 404


def test_detail_filters_deliveries_by_channel_and_status(client, sent_batch):
    _login(client, "worker")
    url = reverse("portal_notifications:detail", args=[sent_batch.pk])
    emails = client.get(url, {"channel": Channel.EMAIL}).content.decode()
    assert "one@example.org" in emails and "Zwijsen" not in emails
    letters = client.get(url, {"status": DeliveryStatus.READY}).content.decode()
    assert "Zwijsen" in letters and "one@example.org" not in letters
    assert reverse("portal_notifications:download", args=[sent_batch.pk, "letters"]) in letters
    assert client.get(url, {"status": "nonsense"}).status_code == 200


def test_retry_without_failed_emails_shows_a_message_instead_of_an_error(client, sent_batch):
    _login(client, "worker")
    response = client.post(reverse("portal_notifications:retry", args=[sent_batch.pk]), follow=True)
    assert response.status_code == 200
    [message] = list(response.context["messages"])
    assert message.level_tag == "error"


def test_unknown_download_kind_or_batch_without_pdf_is_not_found(client, sent_batch):
    _login(client, "worker")
    # (LocaleMiddleware first redirects a 404 to the language-prefixed URL, which is not found either.)
    other = client.get(reverse("portal_notifications:download", args=[sent_batch.pk, "other"]), follow=True)
    assert other.status_code == 404
    empty = NotificationBatch.objects.create(title="Empty", message="portal/test_message")
    missing = client.get(reverse("portal_notifications:download", args=[empty.pk, "letters"]), follow=True)
    assert missing.status_code == 404


def _create_batches(count: int) -> None:
    h = f.household(members=[{"email": "q@example.org"}])
    for index in range(count):
        batch = NotificationBatch.objects.create(title=f"Batch {index}", message="portal/test_message")
        batch.deliveries.create(
            household=h, channel=Channel.EMAIL, status=DeliveryStatus.SENT, email="q@example.org"
        )
        batch.deliveries.create(household=h, channel=Channel.LETTER, status=DeliveryStatus.FAILED, error="x")


def test_batch_list_query_count_does_not_grow_with_batches(client):
    _login(client, "worker")
    url = reverse("portal_notifications:index")
    _create_batches(2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _create_batches(25)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "Batch 24" in response.content.decode()
    assert len(large) == len(small)


def test_batch_detail_query_count_does_not_grow_with_deliveries(client, run_tasks):
    _login(client, "worker")
    hood = f.bulk_neighbourhood(10, email_every=2)
    batch = NotificationBatch.objects.create(title="Q", message="portal/test_message", audience={})
    from portal.notifications.recipients import plan_deliveries

    batch.audience = Audience(neighbourhoods=[hood]).as_json()
    batch.deliveries.bulk_create(plan_deliveries(batch))
    url = reverse("portal_notifications:detail", args=[batch.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    hood2 = f.bulk_neighbourhood(60, email_every=2)
    batch.audience = Audience(neighbourhoods=[hood2]).as_json()
    batch.deliveries.bulk_create(plan_deliveries(batch))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_worker_sees_the_mailings_menu_and_department_staff_does_not(client):
    _login(client, "worker")
    assert reverse("portal_notifications:index") in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    _login(client, "department staff")
    assert (
        reverse("portal_notifications:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
    )
