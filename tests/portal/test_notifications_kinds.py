"""Message kinds: declared by each app at start-up, checked by a system check, the one way to send.

Today's pattern before the kinds (a message sent by its template name with dotted context builders, nothing
declared) is what the check refuses: templates that belong to no registered kind, a kind without its templates.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from portal.models import AuditEvent
from portal.notifications.checks import check_batches_have_kinds, check_message_kinds
from portal.notifications.kinds import MessageKind, get_kind, register, registered_kinds, unregister
from portal.notifications.models import Channel, DeliveryStatus, NotificationBatch
from portal.notifications.services import Address, Audience, notification_send

from . import notifications_factories as f
from .test_notifications_service import pdf_text


@pytest.fixture
def kind_registered():
    added = []

    def add(kind: MessageKind) -> MessageKind:
        register(kind)
        added.append(kind.name)
        return kind

    yield add
    for name in added:
        unregister(name)


def _ids(messages) -> list[tuple[str, str]]:
    return [(message.id, message.obj) for message in messages]


def test_every_app_registers_its_kinds_and_the_product_passes_the_check():
    names = {kind.name for kind in registered_kinds()}
    assert {
        "meetings/minutes",
        "meetings/suggestion_answer",
        "projectcall/funded",
        "projectcall/idea_answer",
        "elections/invitation",
        "portal/information",
    } <= names
    assert check_message_kinds() == []
    call_command("check", "--fail-level", "ERROR")  # the same, as `manage.py check` runs it


def test_templates_sent_by_name_without_a_registered_kind_fail_the_check():
    """The pattern of today's code: "meetings/minutes" sent by template name, its builder a dotted string."""
    minutes = get_kind("meetings/minutes")
    unregister(minutes.name)
    try:
        assert _ids(check_message_kinds()) == [("notifications.E003", "meetings/minutes")]
        with pytest.raises(SystemCheckError, match="belong to no registered message kind"):
            call_command("check")
    finally:
        register(minutes)


def test_registered_kind_without_its_templates_or_with_a_dotted_builder_fails_the_check(kind_registered):
    kind_registered(MessageKind("portal/no_templates"))
    kind_registered(
        MessageKind(
            "portal/dotted",
            context="meetings.notifications.meeting_context",
            template_dir="notifications/portal/test_message/",
        )
    )
    kind_registered(
        MessageKind("portal/email_only", letter=False, template_dir="notifications/projectcall/idea_answer/")
    )
    found = _ids(check_message_kinds())
    assert found.count(("notifications.E001", "portal/no_templates")) == 3  # subject, e-mail, letter
    assert ("notifications.E002", "portal/dotted") in found
    assert not [item for item in found if item[1] == "portal/email_only"]


def test_batches_of_an_unregistered_kind_are_reported_by_the_database_check(db):
    NotificationBatch.objects.create(title="Old", message="meetings/old_message", status="processing")
    NotificationBatch.objects.create(title="Done", message="meetings/older_message", status="done")
    warnings = check_batches_have_kinds(databases=["default"])
    assert _ids(warnings) == [("notifications.W001", "meetings/old_message")]
    assert check_batches_have_kinds() == []  # only with --database


def test_two_kinds_cannot_share_a_name(kind_registered):
    from django.core.exceptions import ImproperlyConfigured

    kind_registered(MessageKind("portal/twice"))
    register(MessageKind("portal/twice"))  # the same declaration again: harmless
    with pytest.raises(ImproperlyConfigured):
        register(MessageKind("portal/twice", letter=False))


# --- Plain addresses: organisations and visitors go through the same door ---------------------------------


@pytest.mark.django_db
def test_plain_email_address_gets_a_recorded_email_in_its_language(run_tasks):
    with run_tasks():
        batch = notification_send(
            audience=Audience(
                addresses=[Address(email="asbl@example.org", name="ASBL Soleil", language="nl")]
            ),
            message="portal/test_message",
            context={"topic": "de tuin"},
            title="Plain",
        )
    [message] = mail.outbox
    assert message.to == ["asbl@example.org"]
    assert 'lang="nl"' in message.alternatives[0][0]
    delivery = batch.deliveries.get()
    assert (delivery.channel, delivery.status, delivery.name, delivery.language) == (
        Channel.EMAIL,
        DeliveryStatus.SENT,
        "ASBL Soleil",
        "nl",
    )
    assert delivery.recipient_label == "ASBL Soleil"
    with translation.override("nl"):
        tenant_footer = translation.gettext(
            "You receive this e-mail because you live in one of our dwellings. Would you rather receive "
            "letters? Tell your collective social worker."
        )
        plain_footer = translation.gettext(
            "You receive this e-mail in answer to your request or your application."
        )
    assert (
        plain_footer != "You receive this e-mail in answer to your request or your application."
    )  # translated
    assert plain_footer in message.body and tenant_footer not in message.body
    # The audit log counts the addresses, it does not copy them.
    event = AuditEvent.objects.get(action="notification.sent", object_id=str(batch.pk))
    assert event.data["audience"]["addresses"] == 1
    assert "asbl@example.org" not in str(event.data)


@pytest.mark.django_db
def test_plain_postal_address_gets_a_letter_in_the_batch_pdf(run_tasks):
    h = f.household(members=[{"last_name": "Register"}])
    with run_tasks():
        batch = notification_send(
            audience=Audience(
                households=[h],
                addresses=[Address(name="Comité Blaes", postal="Rue Blaes 12\n1000 Bruxelles")],
            ),
            message="portal/test_message",
            context={"topic": "x"},
        )
    batch.refresh_from_db()
    letters = list(batch.deliveries.filter(channel=Channel.LETTER).order_by("pk"))
    assert [d.status for d in letters] == [DeliveryStatus.READY, DeliveryStatus.READY]
    text = pdf_text(batch.letters_pdf)
    assert "Comité Blaes" in text and "Rue Blaes 12" in text and "Register" in text


@pytest.mark.django_db
def test_email_only_kind_reaches_nobody_without_an_email_and_a_bad_address_is_refused(
    run_tasks, kind_registered
):
    kind = kind_registered(
        MessageKind("tests/email_only", letter=False, template_dir="notifications/portal/test_message/")
    )
    h = f.household()
    with run_tasks():
        batch = notification_send(audience=Audience(households=[h]), message=kind)
    assert not batch.deliveries.exists()
    with translation.override("en"), pytest.raises(ValidationError, match="not a valid e-mail address"):
        notification_send(audience=Audience(addresses=[Address(email="0470 12 34 56")]), message=kind)
    with translation.override("en"), pytest.raises(ValidationError, match="at least one"):
        notification_send(audience=Audience(addresses=[Address(name="nobody")]), message=kind)
