"""State changes of tenant meetings: keyword-only and atomic; a change to an existing meeting or item locks its
row first (`select_for_update`). Decisions are audit-logged (`portal.services.audit_record`); routine edits are
not (the agenda's order, minutes drafts, the speakers' list). Guards (`agenda_issues_before_publishing`,
`minutes_issues_before_review`) are plain reads.

Illegal transitions are refused with a `ValidationError` whose message a worker can read. Messages to tenants
(invitations, minutes, cancellation notices, answers to suggestions) go through `meetings.notifications`, which
calls the shared notification service; they are queued and leave only when the transaction commits.
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Building, Department, Neighbourhood, Person, Site
from portal.services import audit_record

from . import notifications
from .follow_ups import agenda_follow_ups_sync
from .models import (
    ActionPoint,
    ActionPointUpdate,
    AgendaItem,
    AttendanceCount,
    Meeting,
    SpeakerTurn,
    TopicSuggestion,
)
from .permissions import (
    can_manage_meeting,
    can_publish_minutes,
    can_review_minutes,
    can_update_action_point,
    user_department_ids,
)

MEETING_DETAIL_FIELDS = [
    "title",
    "date",
    "starts_at",
    "ends_at",
    "place_name",
    "place_address",
    "accessibility",
    "online_url",
    "languages",
    "proposal_deadline",
    "invitation_days",
]


#: Changes that tenants who were already invited must hear about.
TENANT_FACING_FIELDS = {"date", "starts_at", "ends_at", "place_name", "place_address", "online_url"}


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("neighbourhood").get(pk=meeting.pk)


def _refuse(message: str, field: str | None = None) -> None:
    raise ValidationError({field: message} if field else message)


def _require_manager(actor: Any, meeting: Meeting) -> None:
    if not can_manage_meeting(actor, meeting):
        raise ValidationError(_("Only the collective workers of this neighbourhood can do this."))


# --- Planning ---------------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    neighbourhood: Neighbourhood,
    sites: list[Site] | None = None,
    series: uuid.UUID | None = None,
    **fields: Any,
) -> Meeting:
    """Plan one meeting. The deadline for proposals defaults to the configured number of days before."""
    from .models import default_proposal_days

    if not can_manage_meeting(actor, Meeting(neighbourhood=neighbourhood)):
        raise ValidationError(_("Only the collective workers of this neighbourhood can do this."))
    fields = {key: value for key, value in fields.items() if key in MEETING_DETAIL_FIELDS}
    if fields.get("date") and not fields.get("proposal_deadline"):
        fields["proposal_deadline"] = fields["date"] - datetime.timedelta(days=default_proposal_days())
    meeting = Meeting(neighbourhood=neighbourhood, series=series, **fields)
    meeting.full_clean()
    meeting.save()
    if sites:
        if any(site.neighbourhood_id != neighbourhood.pk for site in sites):
            _refuse(_("Every site must belong to the meeting's neighbourhood."), "sites")
        meeting.sites.set(sites)
    agenda_follow_ups_sync(neighbourhood=neighbourhood)
    audit_record(action="meetings.meeting_planned", actor=actor, obj=meeting, summary=str(meeting))
    return meeting


def series_dates(
    *, year: int, first_month: int, months: int, weekday: int, week: int, skip_months: set[int]
) -> list[datetime.date]:
    """The dates of a monthly series: the n-th (1-4, or -1 for the last) weekday of each month."""
    dates = []
    for offset in range(months):
        month_index = first_month - 1 + offset
        y, m = year + month_index // 12, month_index % 12 + 1
        if m in skip_months:
            continue
        days = [
            d for d in calendar.Calendar().itermonthdates(y, m) if d.month == m and d.weekday() == weekday
        ]
        dates.append(days[-1] if week == -1 else days[week - 1])
    return dates


@transaction.atomic
def meeting_plan_series(
    *,
    actor: Any,
    neighbourhood: Neighbourhood,
    year: int,
    first_month: int,
    weekday: int,
    week: int,
    starts_at: datetime.time,
    ends_at: datetime.time,
    place_name: str,
    place_address: str,
    accessibility: str = "",
    online_url: str = "",
    languages: str = Meeting.Languages.FRENCH_DUTCH,
    months: int = 12,
    skip_months: set[int] | None = None,
) -> list[Meeting]:
    """Plan a monthly series (a year in one step); each meeting can be adjusted afterwards."""
    if not can_manage_meeting(actor, Meeting(neighbourhood=neighbourhood)):
        raise ValidationError(_("Only the collective workers of this neighbourhood can do this."))
    if ends_at <= starts_at:
        _refuse(_("The meeting must end after it starts."), "ends_at")
    today = timezone.localdate()
    dates = [
        d
        for d in series_dates(
            year=year,
            first_month=first_month,
            months=months,
            weekday=weekday,
            week=week,
            skip_months=skip_months or set(),
        )
        if d >= today
    ]
    if not dates:
        _refuse(_("This series has no date in the future."))
    taken = set(
        Meeting.objects.filter(neighbourhood=neighbourhood, date__in=dates).values_list("date", flat=True)
    )
    series = uuid.uuid4()
    meetings = [
        meeting_create(
            actor=actor,
            neighbourhood=neighbourhood,
            series=series,
            date=day,
            starts_at=starts_at,
            ends_at=ends_at,
            place_name=place_name,
            place_address=place_address,
            accessibility=accessibility,
            online_url=online_url,
            languages=languages,
        )
        for day in dates
        if day not in taken
    ]
    audit_record(
        action="meetings.series_planned",
        actor=actor,
        obj=neighbourhood,
        summary=f"{len(meetings)} meetings",
        data={"series": str(series), "dates": [m.date.isoformat() for m in meetings]},
    )
    return meetings


@transaction.atomic
def meeting_update(
    *, actor: Any, meeting: Meeting, sites: list[Site] | None = None, **fields: Any
) -> Meeting:
    """Adjust the details of a meeting (date, time, place...) before it is held.

    Once the invitation has left, a change of date, time or place is sent to every tenant concerned.
    """
    meeting = _lock(meeting)
    _require_manager(actor, meeting)
    if meeting.status not in {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}:
        _refuse(_("A meeting that was held or cancelled can no longer be changed."))
    changed = {}
    for key, value in fields.items():
        if key in MEETING_DETAIL_FIELDS and getattr(meeting, key) != value:
            changed[key] = str(value)
            setattr(meeting, key, value)
    meeting.full_clean()
    meeting.save()
    if sites is not None:
        meeting.sites.set(sites)
    if "date" in changed:
        agenda_follow_ups_sync(neighbourhood=meeting.neighbourhood_id)
    if meeting.invitation_sent_at is not None and set(changed) & TENANT_FACING_FIELDS:
        notifications.send_change(meeting=meeting, actor=actor)
    audit_record(
        action="meetings.meeting_updated", actor=actor, obj=meeting, summary=str(meeting), data=changed
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Cancel a meeting; those already invited receive a notice."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting)
    if meeting.status not in {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}:
        _refuse(_("Only a meeting that has not taken place yet can be cancelled."))
    if not reason.strip():
        _refuse(_("Please give the reason: the tenants will read it."), "reason")
    was_invited = meeting.status == Meeting.Status.AGENDA_PUBLISHED and meeting.invitation_sent_at is not None
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = reason.strip()
    meeting.cancelled_at = timezone.now()
    meeting.invitation_scheduled_for = None
    meeting.save()
    SpeakerTurn.objects.filter(item__meeting=meeting).delete()
    agenda_follow_ups_sync(neighbourhood=meeting.neighbourhood_id)
    if was_invited:
        notifications.send_cancellation(meeting=meeting, actor=actor)
    audit_record(
        action="meetings.meeting_cancelled",
        actor=actor,
        obj=meeting,
        summary=str(meeting),
        data={"reason": reason},
    )
    return meeting


# --- Topic suggestions --------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_submit(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    description: str = "",
    building: Building | None = None,
    channel: str,
    user: Any = None,
    person: Person | None = None,
    contact_name: str = "",
    contact_email: str = "",
    language: str = "",
    actor: Any = None,
) -> TopicSuggestion:
    """Record a topic suggestion (online, anonymous, or typed in by a worker from a paper note)."""
    if not title.strip():
        _refuse(_("Please write the topic."), "title")
    if building is not None and building.site.neighbourhood_id != neighbourhood.pk:
        _refuse(_("This building is not in the chosen neighbourhood."), "building")
    suggestion = TopicSuggestion.objects.create(
        neighbourhood=neighbourhood,
        building=building,
        title=title.strip(),
        description=description.strip(),
        channel=channel,
        person=person,
        submitted_by=user if getattr(user, "is_authenticated", False) else None,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        language=language,
    )
    audit_record(
        action="meetings.suggestion_received",
        actor=actor or user,
        obj=suggestion,
        summary=suggestion.title,
        data={"channel": channel},
        on_behalf_of=person if channel == TopicSuggestion.Channel.PAPER else None,
    )
    return suggestion


@transaction.atomic
def suggestion_answer(
    *,
    actor: Any,
    suggestion: TopicSuggestion,
    outcome: str,
    meeting: Meeting | None = None,
    merge_into: AgendaItem | None = None,
    answer: str = "",
) -> TopicSuggestion:
    """Schedule the topic on a meeting's agenda, merge it with an item, or decline it with a reason.

    The suggester receives the answer (e-mail or letter through the notification service when known).
    """
    suggestion = TopicSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not can_manage_meeting(actor, Meeting(neighbourhood_id=suggestion.neighbourhood_id)):
        raise ValidationError(_("Only the collective workers of this neighbourhood can do this."))
    if suggestion.status != TopicSuggestion.Status.NEW:
        _refuse(_("This suggestion has already been answered."))
    if outcome == TopicSuggestion.Status.SCHEDULED:
        if meeting is None:
            _refuse(_("Choose the meeting."), "meeting")
        meeting = _lock(meeting)
        if meeting.neighbourhood_id != suggestion.neighbourhood_id:
            _refuse(_("Choose a meeting of the same neighbourhood."), "meeting")
        if meeting.status not in {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}:
            _refuse(_("This meeting's agenda can no longer change."), "meeting")
        item = AgendaItem.objects.create(
            meeting=meeting,
            position=_next_position(meeting),
            kind=AgendaItem.Kind.TENANT,
            status=AgendaItem.Status.ACCEPTED,
            title=suggestion.title,
            description=suggestion.description,
            proposed_by=actor,
        )
        suggestion.agenda_item = item
    elif outcome == TopicSuggestion.Status.MERGED:
        if merge_into is None:
            _refuse(_("Choose the agenda item it joins."), "merge_into")
        if merge_into.meeting.neighbourhood_id != suggestion.neighbourhood_id:
            _refuse(_("Choose an item of a meeting of the same neighbourhood."), "merge_into")
        suggestion.agenda_item = merge_into
    elif outcome == TopicSuggestion.Status.DECLINED:
        if not answer.strip():
            _refuse(_("Please explain why the topic is not kept."), "answer")
    else:
        _refuse(_("Unknown answer."))
    suggestion.status = outcome
    suggestion.answer = answer.strip()
    suggestion.answered_at = timezone.now()
    suggestion.answered_by = actor
    suggestion.save()
    notifications.send_suggestion_answer(suggestion=suggestion, actor=actor)
    audit_record(
        action="meetings.suggestion_answered",
        actor=actor,
        obj=suggestion,
        summary=suggestion.title,
        data={"outcome": outcome},
    )
    return suggestion


# --- Agenda preparation --------------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    return (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1


@transaction.atomic
def agenda_item_propose(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    description: str = "",
    department: Department | None = None,
    presenter: str = "",
    estimated_minutes: int = 10,
    today: datetime.date | None = None,
) -> AgendaItem:
    """A department (or a worker) proposes an item while the preparation window is open."""
    meeting = _lock(meeting)
    is_worker = can_manage_meeting(actor, meeting)
    if meeting.status != Meeting.Status.PLANNED:
        _refuse(_("The agenda of this meeting is already published: proposals are closed."))
    if not meeting.proposals_open(today):
        _refuse(
            _("The deadline for proposals was %(date)s: ask the collective worker directly.")
            % {"date": meeting.proposal_deadline.strftime("%d/%m/%Y")}
        )
    if not is_worker:
        if department is None:
            _refuse(_("Choose your department."), "department")
        if department.pk not in user_department_ids(actor):
            _refuse(_("You can only propose items for your own department."), "department")
    if not title.strip():
        _refuse(_("Please give the item a title."), "title")
    if not 1 <= int(estimated_minutes) <= 180:
        _refuse(_("Give an estimate between 1 and 180 minutes."), "estimated_minutes")
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        kind=AgendaItem.Kind.DEPARTMENT if department else AgendaItem.Kind.WORKER,
        status=AgendaItem.Status.ACCEPTED if is_worker else AgendaItem.Status.PROPOSED,
        title=title.strip(),
        description=description.strip(),
        department=department,
        presenter=presenter.strip(),
        estimated_minutes=estimated_minutes,
        proposed_by=actor,
    )
    audit_record(action="meetings.item_proposed", actor=actor, obj=item, summary=item.title)
    return item


def _lock_item(actor: Any, item: AgendaItem) -> tuple[Meeting, AgendaItem]:
    meeting = _lock(item.meeting)
    _require_manager(actor, meeting)
    if meeting.status not in {Meeting.Status.PLANNED, Meeting.Status.AGENDA_PUBLISHED}:
        _refuse(_("This meeting's agenda can no longer change."))
    return meeting, AgendaItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def agenda_item_update(*, actor: Any, item: AgendaItem, **fields: Any) -> AgendaItem:
    _meeting, item = _lock_item(actor, item)
    for key in ["title", "description", "department", "presenter", "estimated_minutes"]:
        if key in fields:
            setattr(item, key, fields[key])
    if not item.title.strip():
        _refuse(_("Please give the item a title."), "title")
    item.save()
    audit_record(action="meetings.item_updated", actor=actor, obj=item, summary=item.title)
    return item


@transaction.atomic
def agenda_item_set_status(*, actor: Any, item: AgendaItem, status: str) -> AgendaItem:
    """Accept or decline a proposed item (a declined item can be accepted again)."""
    _meeting, item = _lock_item(actor, item)
    if status not in {AgendaItem.Status.ACCEPTED, AgendaItem.Status.DECLINED}:
        _refuse(_("Unknown decision."))
    item.status = status
    item.merged_into = None
    item.save()
    audit_record(action=f"meetings.item_{status}", actor=actor, obj=item, summary=item.title)
    return item


@transaction.atomic
def agenda_item_move(*, actor: Any, item: AgendaItem, direction: int) -> None:
    """Move an item one place up (-1) or down (+1) among the meeting's items."""
    meeting, item = _lock_item(actor, item)
    items = list(meeting.items.select_for_update().order_by("position", "id"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + (1 if direction > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, other in enumerate(items, start=1):
        if other.position != position:
            AgendaItem.objects.filter(pk=other.pk).update(position=position)


@transaction.atomic
def agenda_item_merge(*, actor: Any, item: AgendaItem, into: AgendaItem) -> AgendaItem:
    """Merge an item into another one of the same meeting (its description is appended)."""
    meeting, item = _lock_item(actor, item)
    into = AgendaItem.objects.select_for_update().get(pk=into.pk)
    if into.meeting_id != meeting.pk or into.pk == item.pk:
        _refuse(_("Choose another item of the same meeting."), "into")
    item.status = AgendaItem.Status.MERGED
    item.merged_into = into
    item.save()
    addition = item.title + (f": {item.description}" if item.description else "")
    into.description = f"{into.description}\n{addition}".strip()
    into.estimated_minutes = min(180, into.estimated_minutes + item.estimated_minutes // 2)
    if into.status != AgendaItem.Status.ACCEPTED:
        into.status = AgendaItem.Status.ACCEPTED
    into.save()
    TopicSuggestion.objects.filter(agenda_item=item).update(agenda_item=into)
    audit_record(
        action="meetings.item_merged", actor=actor, obj=item, summary=f"{item.title} -> {into.title}"
    )
    return into


def agenda_issues_before_publishing(meeting: Meeting) -> list[str]:
    """What still blocks publishing the agenda (must be empty)."""
    issues = []
    if meeting.status != Meeting.Status.PLANNED:
        issues.append(_("The agenda is already published or the meeting is closed."))
    if meeting.date < timezone.localdate():
        issues.append(_("The meeting date is in the past."))
    if not meeting.items.accepted().exists():
        issues.append(_("The agenda has no accepted item yet."))
    pending = meeting.items.filter(status=AgendaItem.Status.PROPOSED).count()
    if pending:
        issues.append(
            _("%(count)s proposed item(s) still need a decision (accept, merge or decline).")
            % {"count": pending}
        )
    return issues


@transaction.atomic
def agenda_publish(*, actor: Any, meeting: Meeting, now: datetime.datetime | None = None) -> Meeting:
    """Publish the agenda and invite every tenant concerned, the configured number of days ahead.

    Published early, the invitation waits until `invitation_due_on`; published later, it leaves at once.
    """
    meeting = _lock(meeting)
    _require_manager(actor, meeting)
    issues = agenda_issues_before_publishing(meeting)
    if issues:
        raise ValidationError(issues)
    now = now or timezone.now()
    meeting.status = Meeting.Status.AGENDA_PUBLISHED
    meeting.agenda_published_at = now
    due = timezone.make_aware(datetime.datetime.combine(meeting.invitation_due_on, datetime.time(8, 0)))
    meeting.save()
    if due > now:
        meeting.invitation_scheduled_for = due
        meeting.save(update_fields=["invitation_scheduled_for"])
        notifications.schedule_invitation(meeting=meeting, actor=actor, run_after=due)
    else:
        meeting_send_invitation(meeting=meeting, actor=actor)
    audit_record(action="meetings.agenda_published", actor=actor, obj=meeting, summary=str(meeting))
    return meeting


@transaction.atomic
def meeting_send_invitation(*, meeting: Meeting, actor: Any = None) -> Meeting | None:
    """Send the invitation now (from `agenda_publish`, or from the scheduled task). Sent once only."""
    meeting = _lock(meeting)
    if meeting.status != Meeting.Status.AGENDA_PUBLISHED or meeting.invitation_sent_at is not None:
        return None
    meeting.invitation_sent_at = timezone.now()
    meeting.invitation_scheduled_for = None
    meeting.save(update_fields=["invitation_sent_at", "invitation_scheduled_for"])
    notifications.send_invitation(meeting=meeting, actor=actor)
    audit_record(action="meetings.invitation_sent", actor=actor, obj=meeting, summary=str(meeting))
    return meeting


# --- The meeting itself ---------------------------------------------------------------------------------------


@transaction.atomic
def meeting_record_attendance(
    *,
    actor: Any,
    meeting: Meeting,
    tenants_present: int,
    per_building: dict[Building, int] | None = None,
    today: datetime.date | None = None,
) -> Meeting:
    """Record that the meeting was held and how many tenants came (no names)."""
    meeting = _lock(meeting)
    _require_manager(actor, meeting)
    if meeting.status not in {Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD}:
        _refuse(_("Publish the agenda before recording the meeting."))
    if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
        _refuse(_("The minutes are already under review: attendance can no longer change."))
    if meeting.date > (today or timezone.localdate()):
        _refuse(_("A meeting can be recorded from its day on."))
    if tenants_present is None or int(tenants_present) < 0:
        _refuse(_("Give the number of tenants present."), "tenants_present")
    per_building = {b: n for b, n in (per_building or {}).items() if n}
    if sum(per_building.values()) > int(tenants_present):
        _refuse(_("The numbers per building add up to more than the total."), "tenants_present")
    meeting.tenants_present = int(tenants_present)
    if meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        meeting.status = Meeting.Status.HELD
        meeting.held_recorded_at = timezone.now()
    meeting.save()
    meeting.attendance.all().delete()
    AttendanceCount.objects.bulk_create(
        AttendanceCount(meeting=meeting, building=b, tenants_present=n) for b, n in per_building.items()
    )
    agenda_follow_ups_sync(neighbourhood=meeting.neighbourhood_id)
    audit_record(
        action="meetings.attendance_recorded",
        actor=actor,
        obj=meeting,
        summary=str(meeting),
        data={"tenants_present": meeting.tenants_present},
    )
    return meeting


def _require_minutes_draft(actor: Any, meeting: Meeting) -> Meeting:
    meeting = _lock(meeting)
    _require_manager(actor, meeting)
    if meeting.status != Meeting.Status.HELD:
        _refuse(_("Record the attendance first: the meeting must be marked as held."))
    if meeting.minutes_status != Meeting.MinutesStatus.DRAFT:
        _refuse(_("The minutes are under review or published: they can no longer be edited."))
    return meeting


@transaction.atomic
def minutes_save(
    *, actor: Any, meeting: Meeting, introduction: str, items: dict[int, dict[str, str]]
) -> Meeting:
    """Save the draft minutes: the introduction, and per item what was said and what was decided."""
    meeting = _require_minutes_draft(actor, meeting)
    meeting.minutes_introduction = introduction.strip()
    meeting.save(update_fields=["minutes_introduction", "updated_at"])
    for item in meeting.items.select_for_update().filter(pk__in=items.keys()):
        values = items[item.pk]
        item.summary = values.get("summary", item.summary).strip()
        item.decisions = values.get("decisions", item.decisions).strip()
        item.save(update_fields=["summary", "decisions"])
    return meeting


@transaction.atomic
def action_point_add(
    *,
    actor: Any,
    meeting: Meeting,
    description: str,
    item: AgendaItem | None = None,
    department: Department | None = None,
    responsible: str = "",
    due_date: datetime.date | None = None,
) -> ActionPoint:
    """Record an action point (what, who, by when) while drafting the minutes."""
    meeting = _require_minutes_draft(actor, meeting)
    if not description.strip():
        _refuse(_("Describe what will be done."), "description")
    if department is None and not responsible.strip():
        _refuse(_("Say which department or person will do it."), "responsible")
    if item is not None and item.meeting_id != meeting.pk:
        _refuse(_("Choose an item of this meeting."), "item")
    if due_date is not None and due_date < meeting.date:
        _refuse(_("The due date cannot be before the meeting."), "due_date")
    point = ActionPoint.objects.create(
        meeting=meeting,
        agenda_item=item,
        neighbourhood_id=meeting.neighbourhood_id,
        description=description.strip(),
        department=department,
        responsible=responsible.strip(),
        due_date=due_date,
    )
    agenda_follow_ups_sync(neighbourhood=meeting.neighbourhood_id)
    audit_record(action="meetings.action_point_added", actor=actor, obj=point, summary=point.description)
    return point


@transaction.atomic
def action_point_remove(*, actor: Any, action_point: ActionPoint) -> None:
    _require_minutes_draft(actor, action_point.meeting)
    audit_record(
        action="meetings.action_point_removed", actor=actor, obj=action_point, summary=str(action_point)
    )
    action_point.delete()
    agenda_follow_ups_sync(neighbourhood=action_point.neighbourhood_id)


@transaction.atomic
def action_point_update_status(
    *, actor: Any, action_point: ActionPoint, status: str, note: str = ""
) -> ActionPoint:
    """A department (or worker) tells tenants where an action point stands. Done points leave draft agendas."""
    point = ActionPoint.objects.select_for_update().select_related("neighbourhood").get(pk=action_point.pk)
    if not can_update_action_point(actor, point):
        raise ValidationError(_("Only the department responsible or the collective workers can update this."))
    if status not in ActionPoint.Status.values:
        _refuse(_("Unknown status."), "status")
    if status == ActionPoint.Status.DONE and not note.strip() and not point.status_note:
        _refuse(_("Please say briefly what was done: tenants will read it."), "note")
    now = timezone.now()
    point.status = status
    if note.strip():
        point.status_note = note.strip()
    point.status_updated_at = now
    point.done_at = now if status == ActionPoint.Status.DONE else None
    point.save()
    ActionPointUpdate.objects.create(
        action_point=point, status=status, note=note.strip(), by=actor, created_at=now
    )
    agenda_follow_ups_sync(neighbourhood=point.neighbourhood_id)
    audit_record(
        action="meetings.action_point_updated",
        actor=actor,
        obj=point,
        summary=point.description,
        data={"status": status},
    )
    return point


# --- Speaking turns -------------------------------------------------------------------------------------------


def _require_speakers(actor: Any, item: AgendaItem) -> None:
    meeting = item.meeting
    _require_manager(actor, meeting)
    if (
        meeting.status not in {Meeting.Status.AGENDA_PUBLISHED, Meeting.Status.HELD}
        or meeting.minutes_are_public
    ):
        _refuse(_("The list of speakers is only kept during the meeting."))


@transaction.atomic
def speaker_add(*, actor: Any, item: AgendaItem, name: str) -> SpeakerTurn:
    _require_speakers(actor, item)
    if not name.strip():
        _refuse(_("Write a first name or a short description (for example 'lady in red, 3rd row')."), "name")
    return SpeakerTurn.objects.create(item=item, name=name.strip()[:80])


@transaction.atomic
def speaker_mark_spoken(*, actor: Any, turn: SpeakerTurn) -> SpeakerTurn:
    turn = (
        SpeakerTurn.objects.select_for_update().select_related("item__meeting__neighbourhood").get(pk=turn.pk)
    )
    _require_speakers(actor, turn.item)
    turn.spoken_at = timezone.now()
    turn.save(update_fields=["spoken_at"])
    return turn


@transaction.atomic
def speaker_remove(*, actor: Any, turn: SpeakerTurn) -> None:
    _require_speakers(actor, turn.item)
    turn.delete()


# --- Minutes -------------------------------------------------------------------------------------------------


def minutes_issues_before_review(meeting: Meeting) -> list[str]:
    issues = []
    if meeting.tenants_present is None:
        issues.append(_("The number of tenants present is missing."))
    items = list(meeting.items.accepted())
    if not meeting.minutes_introduction.strip() and not any(
        i.summary.strip() or i.decisions.strip() for i in items
    ):
        issues.append(_("The minutes are empty: write at least what was said on the items."))
    return issues


@transaction.atomic
def minutes_submit_for_review(*, actor: Any, meeting: Meeting) -> Meeting:
    meeting = _require_minutes_draft(actor, meeting)
    issues = minutes_issues_before_review(meeting)
    if issues:
        raise ValidationError(issues)
    meeting.minutes_status = Meeting.MinutesStatus.IN_REVIEW
    meeting.minutes_submitted_by = actor
    meeting.minutes_submitted_at = timezone.now()
    meeting.save()
    audit_record(action="meetings.minutes_submitted", actor=actor, obj=meeting, summary=str(meeting))
    return meeting


@transaction.atomic
def minutes_approve(*, actor: Any, meeting: Meeting, note: str = "") -> Meeting:
    """A second worker or a department concerned approves the minutes (never the person who wrote them)."""
    meeting = _lock(meeting)
    if meeting.minutes_status != Meeting.MinutesStatus.IN_REVIEW:
        _refuse(_("These minutes are not waiting for review."))
    if getattr(actor, "pk", None) == meeting.minutes_submitted_by_id:
        _refuse(_("Minutes must be approved by someone other than the person who wrote them."))
    if not can_review_minutes(actor, meeting):
        raise ValidationError(_("You cannot review these minutes."))
    meeting.minutes_status = Meeting.MinutesStatus.APPROVED
    meeting.minutes_approved_by = actor
    meeting.minutes_approved_at = timezone.now()
    meeting.minutes_review_note = note.strip()
    meeting.save()
    audit_record(action="meetings.minutes_approved", actor=actor, obj=meeting, summary=str(meeting))
    return meeting


@transaction.atomic
def minutes_return_to_draft(*, actor: Any, meeting: Meeting, note: str) -> Meeting:
    """The reviewer sends the minutes back with remarks."""
    meeting = _lock(meeting)
    if not can_review_minutes(actor, meeting):
        raise ValidationError(_("You cannot review these minutes."))
    if not note.strip():
        _refuse(_("Say what must be changed."), "note")
    meeting.minutes_status = Meeting.MinutesStatus.DRAFT
    meeting.minutes_review_note = note.strip()
    meeting.save()
    audit_record(action="meetings.minutes_returned", actor=actor, obj=meeting, summary=str(meeting))
    return meeting


@transaction.atomic
def minutes_publish(*, actor: Any, meeting: Meeting) -> Meeting:
    """Publish approved minutes: public page and PDF, distribution to every tenant concerned.

    Speaker names are deleted (kept only for the meeting); open action points stay on the next meeting's draft
    agenda (`meetings.follow_ups`).
    """
    meeting = _lock(meeting)
    if meeting.minutes_status != Meeting.MinutesStatus.APPROVED:
        _refuse(_("The minutes must be approved before they are published."))
    if not can_publish_minutes(actor, meeting):
        raise ValidationError(_("Only the collective workers of this neighbourhood can publish the minutes."))
    meeting.minutes_status = Meeting.MinutesStatus.PUBLISHED
    meeting.status = Meeting.Status.MINUTES_PUBLISHED
    meeting.minutes_published_at = timezone.now()
    meeting.save()
    SpeakerTurn.objects.filter(item__meeting=meeting).delete()
    agenda_follow_ups_sync(neighbourhood=meeting.neighbourhood_id)
    notifications.send_minutes(meeting=meeting, actor=actor)
    audit_record(action="meetings.minutes_published", actor=actor, obj=meeting, summary=str(meeting))
    return meeting
