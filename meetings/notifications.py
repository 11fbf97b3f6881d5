"""Messages to tenants about meetings, sent through the shared notification service (portal.notifications).

The message kinds (`KINDS`) are registered by `meetings.apps.MeetingsConfig.ready`. Every sending function here
is called from `meetings.services` inside the caller's transaction; the notification service queues the heavy
work with `transaction.on_commit`. Context builders are called by the service at render time, inside
`translation.override(language)`, so URLs and dates come out in the recipient's language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.notifications.kinds import MessageKind
from portal.notifications.services import Address, Audience, notification_send

if TYPE_CHECKING:
    import datetime

    from .models import Meeting, TopicSuggestion


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _audience(meeting: Meeting) -> Audience:
    sites = list(meeting.sites.all())
    if sites:
        return Audience(sites=sites)
    return Audience(neighbourhoods=[meeting.neighbourhood])


def _load_meeting(context: dict) -> Meeting:
    from .models import Meeting

    return (
        Meeting.objects.select_related("neighbourhood")
        .with_public_agenda()
        .prefetch_related("action_points__department")
        .get(pk=context["meeting_id"])
    )


# --- Context builders ---------------------------------------------------------------------------------------------


def meeting_context(context: dict) -> dict[str, Any]:
    """Invitation, cancellation notice and minutes: the meeting, its public agenda and links."""
    meeting = _load_meeting(context)
    return {
        "meeting": meeting,
        "items": meeting.public_items,
        "action_points": list(meeting.action_points.all()),
        "meeting_url": _absolute(meeting.get_absolute_url()),
        "calendar_url": _absolute(reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk})),
        "minutes_pdf_url": _absolute(reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk})),
    }


def suggestion_context(context: dict) -> dict[str, Any]:
    from .models import TopicSuggestion

    suggestion = TopicSuggestion.objects.select_related(
        "neighbourhood", "agenda_item__meeting__neighbourhood"
    ).get(pk=context["suggestion_id"])
    meeting = suggestion.agenda_item.meeting if suggestion.agenda_item_id else None
    return {
        "suggestion": suggestion,
        "meeting": meeting,
        "meeting_url": _absolute(meeting.get_absolute_url()) if meeting else "",
    }


# --- Message kinds ---------------------------------------------------------------------------------------------

INVITATION = MessageKind("meetings/invitation", context=meeting_context)
CANCELLATION = MessageKind("meetings/cancellation", context=meeting_context)
CHANGE = MessageKind("meetings/change", context=meeting_context)
MINUTES = MessageKind("meetings/minutes", context=meeting_context)
SUGGESTION_ANSWER = MessageKind("meetings/suggestion_answer", context=suggestion_context)

KINDS = (INVITATION, CANCELLATION, CHANGE, MINUTES, SUGGESTION_ANSWER)


# --- Sending ---------------------------------------------------------------------------------------------------


def _send_to_households(*, meeting: Meeting, actor: Any, message: MessageKind, title: str) -> Any:
    """One message about a meeting to every household concerned (e-mail or letter), plus the hall notices."""
    return notification_send(
        audience=_audience(meeting),
        message=message,
        context={"meeting_id": meeting.pk},
        hall_notices=True,
        related=meeting,
        actor=actor,
        title=title,
    )


def send_invitation(*, meeting: Meeting, actor: Any) -> Any:
    """The invitation with the agenda: e-mail or letter to every household concerned, plus hall notices."""
    return _send_to_households(
        meeting=meeting,
        actor=actor,
        message=INVITATION,
        title=_("Invitation: %(meeting)s") % {"meeting": meeting},
    )


def schedule_invitation(*, meeting: Meeting, actor: Any, run_after: datetime.datetime) -> None:
    """Queue the invitation for its due day (the agenda was published earlier than needed)."""
    from .tasks import send_scheduled_invitation

    actor_id = getattr(actor, "pk", None)
    transaction.on_commit(
        lambda: send_scheduled_invitation.using(run_after=run_after).enqueue(meeting.pk, actor_id)
    )


def send_cancellation(*, meeting: Meeting, actor: Any) -> Any:
    return _send_to_households(
        meeting=meeting,
        actor=actor,
        message=CANCELLATION,
        title=_("Cancelled: %(meeting)s") % {"meeting": meeting},
    )


def send_change(*, meeting: Meeting, actor: Any) -> Any:
    """The date, time or place changed after the invitation left: tell every household again."""
    return _send_to_households(
        meeting=meeting,
        actor=actor,
        message=CHANGE,
        title=_("Changed: %(meeting)s") % {"meeting": meeting},
    )


def send_minutes(*, meeting: Meeting, actor: Any) -> Any:
    """The minutes to every household concerned (the letter carries the whole text)."""
    return _send_to_households(
        meeting=meeting,
        actor=actor,
        message=MINUTES,
        title=_("Minutes: %(meeting)s") % {"meeting": meeting},
    )


def send_suggestion_answer(*, suggestion: TopicSuggestion, actor: Any) -> Any:
    """Tell the suggester what happened to the topic: a register person by e-mail or letter, an anonymous
    visitor by e-mail if they left an address, nobody otherwise."""
    person = suggestion.person
    if person is None and suggestion.submitted_by_id:
        person = getattr(suggestion.submitted_by, "person", None)
    if person is not None:
        audience = Audience(persons=[person], per_person=True)
    else:
        address = suggestion.contact_email or (
            suggestion.submitted_by.email if suggestion.submitted_by_id else ""
        )
        if not address:
            return None
        audience = Audience(
            addresses=[
                Address(
                    email=address,
                    name=suggestion.contact_name,
                    language=suggestion.language or settings.LANGUAGE_CODE,
                )
            ]
        )
    return notification_send(
        audience=audience,
        message=SUGGESTION_ANSWER,
        context={"suggestion_id": suggestion.pk},
        related=suggestion,
        actor=actor,
        title=_("Answer to a topic suggestion: %(title)s") % {"title": suggestion.title},
    )
