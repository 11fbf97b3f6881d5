"""Reads for meeting pages, written so the number of queries does not grow with the data."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from portal.models import Neighbourhood

from .models import ActionPoint, AgendaItem, AttendanceCount, Meeting, SpeakerTurn, TopicSuggestion
from .permissions import can_manage_meeting, user_department_ids


def upcoming_meetings(*, neighbourhood: Neighbourhood | None = None, limit: int = 20) -> list[Meeting]:
    meetings = Meeting.objects.upcoming()
    if neighbourhood is not None:
        meetings = meetings.filter(neighbourhood=neighbourhood)
    return list(meetings.with_public_agenda()[:limit])


def neighbourhoods_with_meetings() -> QuerySet[Neighbourhood]:
    """Neighbourhoods that have at least one meeting, with how many are coming up."""
    today = timezone.localdate()
    return Neighbourhood.objects.annotate(
        upcoming_count=Count(
            "meetings",
            filter=Q(meetings__date__gte=today)
            & Q(meetings__status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED]),
        ),
        meetings_count=Count("meetings"),
    ).filter(meetings_count__gt=0)


def meeting_for_page(pk: int) -> Meeting:
    """One meeting with everything its public page shows, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("neighbourhood")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.accepted().select_related("department", "follow_up_of__meeting"),
                to_attr="public_items",
            ),
            Prefetch("action_points", queryset=ActionPoint.objects.select_related("department")),
            Prefetch("attendance", queryset=AttendanceCount.objects.select_related("building")),
            "sites",
        )
        .get(pk=pk)
    )


def archive(*, neighbourhood: Neighbourhood, query: str = "") -> QuerySet[Meeting]:
    return (
        Meeting.objects.past()
        .filter(neighbourhood=neighbourhood)
        .exclude(status=Meeting.Status.CANCELLED)
        .search(query)
        .annotate(item_count=Count("items", filter=Q(items__status=AgendaItem.Status.ACCEPTED)))
        .order_by("-date")
    )


def public_action_points(*, neighbourhood: Neighbourhood, status: str = "") -> QuerySet[ActionPoint]:
    points = (
        ActionPoint.objects.public()
        .filter(neighbourhood=neighbourhood)
        .prefetch_related("updates")
        .order_by("status", "due_date", "id")
    )
    if status in ActionPoint.Status.values:
        points = points.filter(status=status)
    return points


def speaker_queue(item: AgendaItem) -> list[SpeakerTurn]:
    """Who is waiting to speak: people who have not spoken yet in this meeting come first, then by request time."""
    turns = list(SpeakerTurn.objects.filter(item__meeting_id=item.meeting_id).select_related("item"))
    spoken_names = {t.name.casefold() for t in turns if t.spoken_at is not None}
    waiting = [t for t in turns if t.item_id == item.pk and t.spoken_at is None]
    for turn in waiting:
        turn.has_spoken_before = turn.name.casefold() in spoken_names
    return sorted(waiting, key=lambda t: (t.has_spoken_before, t.requested_at, t.pk))


def staff_meetings(user: Any, *, today: datetime.date | None = None) -> dict[str, list[Meeting]]:
    """The staff dashboard: what needs doing, per step of the cycle."""
    today = today or timezone.localdate()
    meetings = (
        Meeting.objects.select_related("neighbourhood")
        .annotate(
            proposed_count=Count("items", filter=Q(items__status=AgendaItem.Status.PROPOSED)),
            accepted_count=Count("items", filter=Q(items__status=AgendaItem.Status.ACCEPTED)),
        )
        .order_by("date", "starts_at")
    )
    active = meetings.filter(
        Q(
            status__in=[Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED],
            date__gte=today - datetime.timedelta(days=7),
        )
        | Q(status=Meeting.Status.HELD)
        | Q(status=Meeting.Status.AGENDA_PUBLISHED, date__lt=today)
    )
    mine = [m for m in active if can_manage_meeting(user, m)]
    departments = user_department_ids(user)
    return {
        "to_prepare": [m for m in mine if m.status == Meeting.Status.PLANNED][:6],
        "to_hold": [m for m in mine if m.status == Meeting.Status.AGENDA_PUBLISHED],
        "minutes": [m for m in mine if m.status == Meeting.Status.HELD],
        "open_for_proposals": [m for m in active if m.proposals_open(today)] if departments else [],
        "to_review": list(
            active.filter(status=Meeting.Status.HELD, minutes_status=Meeting.MinutesStatus.IN_REVIEW)
            .exclude(minutes_submitted_by=user)
            .filter(Q(pk__in=[x.pk for x in mine]) | Q(items__department_id__in=departments))
            .distinct()
        ),
    }


def new_suggestions(user: Any) -> QuerySet[TopicSuggestion]:
    from portal.permissions import is_administrator

    suggestions = TopicSuggestion.objects.filter(status=TopicSuggestion.Status.NEW).select_related(
        "neighbourhood", "building", "person"
    )
    if not is_administrator(user):
        assigned = list(user.worker_assignments.values_list("neighbourhood_id", flat=True))
        if assigned:
            suggestions = suggestions.filter(neighbourhood_id__in=assigned)
    return suggestions.order_by("created_at")


def staff_action_points(user: Any) -> QuerySet[ActionPoint]:
    from portal.permissions import is_administrator, is_collective_worker

    points = ActionPoint.objects.unfinished().select_related(
        "meeting__neighbourhood", "department", "neighbourhood"
    )
    if is_administrator(user):
        return points
    departments = user_department_ids(user)
    condition = Q(department_id__in=departments)
    if is_collective_worker(user):
        assigned = list(user.worker_assignments.values_list("neighbourhood_id", flat=True))
        if not assigned:
            return points
        condition |= Q(neighbourhood_id__in=assigned)
    return points.filter(condition)
