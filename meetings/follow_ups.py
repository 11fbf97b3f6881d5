"""Open action points come back on the agenda: each one on the next meeting of its neighbourhood, and only there.

The next meeting of an action point is the first meeting of its neighbourhood, after the meeting that recorded it,
that has not been held yet (cancelled meetings are skipped). While that meeting's agenda is a draft the point is on
it once, as an accepted follow-up item; it is on no other draft agenda. When that meeting is held and the point is
still open, the point moves on to the meeting after; once done, it leaves every draft agenda. An agenda that is
published is never changed here.

`agenda_follow_ups_sync` applies the rule to a neighbourhood. The services that change what it depends on call it
(`meetings.services`: a meeting planned, moved, cancelled or held; an action point added, removed or updated;
minutes published); no page does (a GET writes nothing). It locks the neighbourhood's row, so two workers changing
the same neighbourhood at once are applied one after the other.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from portal.models import Neighbourhood

from .models import ActionPoint, AgendaItem, Meeting

_NOT_HELD = {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}


def next_meeting_of(point: ActionPoint, meetings: list[Meeting]) -> Meeting | None:
    """The first meeting after the point's own that is not held yet (`meetings`: not cancelled, by date)."""
    return next((m for m in meetings if m.date > point.meeting.date and m.status in _NOT_HELD), None)


@transaction.atomic
def agenda_follow_ups_sync(*, neighbourhood: Neighbourhood | int) -> list[AgendaItem]:
    """Apply the rule of this module to one neighbourhood; returns the follow-up items it created."""
    hood_id = getattr(neighbourhood, "pk", neighbourhood)
    Neighbourhood.objects.select_for_update().filter(pk=hood_id).first()
    meetings = list(
        Meeting.objects.filter(neighbourhood_id=hood_id)
        .exclude(status=Meeting.Status.CANCELLED)
        .order_by("date", "starts_at", "pk")
    )
    points = (
        ActionPoint.objects.unfinished()
        .filter(
            neighbourhood_id=hood_id,
            meeting__status__in=[Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED],
        )
        .select_related("department", "meeting")
        .order_by("meeting__date", "pk")
    )
    wanted: dict[tuple[int, int], ActionPoint] = {}
    for point in points:
        target = next_meeting_of(point, meetings)
        if target is not None and target.status == Meeting.Status.PLANNED:
            wanted[(target.pk, point.pk)] = point
    drafts = {m.pk: m for m in meetings if m.status == Meeting.Status.PLANNED}
    present = AgendaItem.objects.filter(meeting_id__in=drafts, follow_up_of__isnull=False)
    keep = set()
    for item_id, meeting_id, point_id in present.values_list("pk", "meeting_id", "follow_up_of_id"):
        if (meeting_id, point_id) in wanted:
            keep.add((meeting_id, point_id))
        else:
            AgendaItem.objects.filter(pk=item_id).delete()
    created = []
    for (meeting_id, _point_id), point in wanted.items():
        if (meeting_id, point.pk) in keep:
            continue
        top = AgendaItem.objects.filter(meeting_id=meeting_id).aggregate(top=Max("position"))["top"] or 0
        created.append(
            AgendaItem.objects.create(
                meeting=drafts[meeting_id],
                position=top + 1,
                kind=AgendaItem.Kind.FOLLOW_UP,
                status=AgendaItem.Status.ACCEPTED,
                title=point.description,
                description=point.status_note,
                department=point.department,
                presenter=point.responsible,
                estimated_minutes=5,
                follow_up_of=point,
            )
        )
    return created
