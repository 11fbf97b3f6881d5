"""Personal data of tenant meetings ("My data", account removal): the topics a tenant suggested, and the work of
staff (agenda items proposed, minutes written or approved, news on action points). Registered by
`MeetingsConfig.ready()`; the declarations are checked by tests/portal/test_gdpr_schema.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.gdpr import Section, Subject, register

from .models import ActionPointUpdate, AgendaItem, Meeting, TopicSuggestion

#: Once on an agenda, a topic belongs to the meeting's record: it stays, without who suggested it.
KEPT_STATUSES = {TopicSuggestion.Status.SCHEDULED, TopicSuggestion.Status.MERGED}


def _verified_emails(subject: Subject) -> list[str]:
    if subject.user is None:
        return []
    return list(subject.user.emailaddress_set.filter(verified=True).values_list("email", flat=True))


def _suggestions(subject: Subject):
    """Suggestions made by the person, from their account, or anonymously with one of their verified addresses."""
    mine = Q(pk__in=[])
    if subject.person is not None:
        mine |= Q(person=subject.person)
    if subject.user is not None:
        mine |= Q(submitted_by=subject.user)
    for email in _verified_emails(subject):
        mine |= Q(contact_email__iexact=email)
    return TopicSuggestion.objects.filter(mine).select_related("neighbourhood", "building")


def suggestion_items(subject: Subject) -> list[dict[str, Any]]:
    return [
        {
            "created_at": s.created_at,
            "topic": s.title,
            "details": s.description,
            "neighbourhood": str(s.neighbourhood),
            "building": str(s.building) if s.building_id else "",
            "received": s.get_channel_display(),
            "name": s.contact_name,
            "email_for_the_answer": s.contact_email,
            "status": s.get_status_display(),
            "answer": s.answer,
            "answered_at": s.answered_at,
        }
        for s in _suggestions(subject)
    ]


def suggestions_delete(subject: Subject) -> None:
    """Topics not on an agenda are deleted; those on an agenda lose every trace of who suggested them."""
    suggestions = _suggestions(subject)
    suggestions.exclude(status__in=KEPT_STATUSES).delete()
    suggestions.filter(status__in=KEPT_STATUSES).update(
        person=None, submitted_by=None, contact_name="", contact_email=""
    )


def work_items(subject: Subject) -> list[dict[str, Any]]:
    """What a worker or department did, as the meetings record it (the links are cleared with the account)."""
    user = subject.user
    if user is None:
        return []
    rows = []
    for item in AgendaItem.objects.filter(proposed_by=user).select_related("meeting__neighbourhood"):
        rows.append({"created_at": item.proposed_at, "what": _("Agenda item proposed"), "about": item.title})
    meetings = Meeting.objects.filter(Q(minutes_submitted_by=user) | Q(minutes_approved_by=user))
    for meeting in meetings.select_related("neighbourhood"):
        if meeting.minutes_submitted_by_id == user.pk:
            rows.append(
                {
                    "created_at": meeting.minutes_submitted_at,
                    "what": _("Minutes sent for review"),
                    "about": str(meeting),
                }
            )
        if meeting.minutes_approved_by_id == user.pk:
            rows.append(
                {
                    "created_at": meeting.minutes_approved_at,
                    "what": _("Minutes approved"),
                    "about": str(meeting),
                }
            )
    for update in ActionPointUpdate.objects.filter(by=user).select_related("action_point"):
        rows.append(
            {"created_at": update.created_at, "what": _("News on an action point"), "about": str(update)}
        )
    for suggestion in TopicSuggestion.objects.filter(answered_by=user):
        rows.append(
            {"created_at": suggestion.answered_at, "what": _("Topic answered"), "about": suggestion.title}
        )
    return sorted(rows, key=lambda row: row["created_at"] or row["about"], reverse=True)


ATTRIBUTION = "who did it, exported as the person's work; the link is cleared when the account is removed"

EVENTS = {
    "meetings.action_point_added": _("Action point added"),
    "meetings.action_point_removed": _("Action point removed"),
    "meetings.action_point_updated": _("News on an action point"),
    "meetings.agenda_published": _("Agenda published"),
    "meetings.attendance_recorded": _("Attendance recorded"),
    "meetings.invitation_sent": _("Invitation sent"),
    "meetings.item_accepted": _("Agenda item accepted"),
    "meetings.item_declined": _("Agenda item declined"),
    "meetings.item_merged": _("Agenda items merged"),
    "meetings.item_proposed": _("Agenda item proposed"),
    "meetings.item_updated": _("Agenda item changed"),
    "meetings.meeting_cancelled": _("Meeting cancelled"),
    "meetings.meeting_planned": _("Meeting planned"),
    "meetings.meeting_updated": _("Meeting changed"),
    "meetings.minutes_approved": _("Minutes approved"),
    "meetings.minutes_published": _("Minutes published"),
    "meetings.minutes_returned": _("Minutes sent back for changes"),
    "meetings.minutes_submitted": _("Minutes sent for review"),
    "meetings.series_planned": _("Series of meetings planned"),
    "meetings.suggestion_answered": _("Topic suggestion answered"),
    "meetings.suggestion_received": _("Topic suggested for a meeting"),
}

SECTIONS = [
    Section(
        key="meetings_suggestions",
        title=_("Topics you suggested for tenant meetings"),
        order=40,
        items=suggestion_items,
        delete=suggestions_delete,
        covers={
            "meetings.TopicSuggestion": "exported (also when sent anonymously with a verified address of the "
            "account); deleted with the account, or anonymised when the topic is on an agenda",
        },
        labels={
            "topic": _("Topic"),
            "details": _("Details"),
            "building": _("Building"),
            "received": _("Received"),
            "name": _("Name"),
            "email_for_the_answer": _("E-mail for the answer"),
            "answer": _("Answer"),
            "answered_at": _("Answered on"),
        },
        events=EVENTS,
    ),
    Section(
        key="meetings_work",
        title=_("Your work on tenant meetings"),
        order=41,
        items=work_items,
        covers={
            "meetings.AgendaItem": f"who proposed it, {ATTRIBUTION}",
            "meetings.Meeting": f"who wrote and approved the minutes, {ATTRIBUTION}",
            "meetings.ActionPointUpdate": f"who gave the news, {ATTRIBUTION}",
            "meetings.ActionPoint": "public minutes; `responsible` names a service or a role, never a tenant",
            "meetings.AttendanceCount": "numbers of tenants present per building: no names",
            "meetings.SpeakerTurn": "names as said at the meeting, linked to no one; deleted when the minutes "
            "are published or the meeting is cancelled",
        },
        labels={"what": _("What"), "about": _("About")},
    ),
]


def register_all() -> None:
    for section in SECTIONS:
        register(section)
