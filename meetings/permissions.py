"""Named permissions for tenant meetings, used by views and templates alike (tested as a matrix per role).

Roles come from `portal.permissions`: collective workers act on the neighbourhoods they cover; department staff
are users in the "Department staff" group who are members of at least one `portal.Department`.
"""

from __future__ import annotations

from typing import Any

from portal.permissions import is_collective_worker, is_department_staff, worker_covers

from .models import ActionPoint, Meeting, TopicSuggestion


def user_department_ids(user: Any) -> set[int]:
    """The departments a department-staff user belongs to (empty for everybody else). Cached on the user."""
    if not is_department_staff(user):
        return set()
    cache = getattr(user, "_meetings_departments", None)
    if cache is None:
        cache = set(user.departments.values_list("pk", flat=True))
        user._meetings_departments = cache
    return cache


def is_meeting_department_staff(user: Any) -> bool:
    return bool(user_department_ids(user))


def can_use_staff_area(user: Any) -> bool:
    """The staff screens (agenda preparation, recording, review) are for workers and department staff."""
    return is_collective_worker(user) or is_meeting_department_staff(user)


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    """Plan, edit, cancel: the collective workers of the neighbourhood (administrators everywhere)."""
    return worker_covers(user, meeting.neighbourhood)


def can_plan_meetings(user: Any) -> bool:
    return is_collective_worker(user)


def can_propose_item(user: Any, meeting: Meeting) -> bool:
    """Department staff (and workers) propose items while the preparation window is open."""
    if not meeting.proposals_open():
        return False
    return can_manage_meeting(user, meeting) or is_meeting_department_staff(user)


def can_edit_agenda(user: Any, meeting: Meeting) -> bool:
    return can_manage_meeting(user, meeting) and meeting.status in {
        Meeting.Status.PLANNED,
        Meeting.Status.AGENDA_PUBLISHED,
    }


def can_publish_agenda(user: Any, meeting: Meeting) -> bool:
    return can_manage_meeting(user, meeting) and meeting.status == Meeting.Status.PLANNED


def can_cancel_meeting(user: Any, meeting: Meeting) -> bool:
    return can_manage_meeting(user, meeting) and meeting.status in {
        Meeting.Status.PLANNED,
        Meeting.Status.AGENDA_PUBLISHED,
    }


def can_record_meeting(user: Any, meeting: Meeting) -> bool:
    """Attendance, what was said, decisions, action points and speakers: until the minutes go to review."""
    if not can_manage_meeting(user, meeting):
        return False
    if meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        return True
    return meeting.status == Meeting.Status.HELD and meeting.minutes_status == Meeting.MinutesStatus.DRAFT


def can_review_minutes(user: Any, meeting: Meeting) -> bool:
    """A second worker, or staff of a department with an item on this meeting, approves the minutes."""
    if meeting.status != Meeting.Status.HELD or meeting.minutes_status != Meeting.MinutesStatus.IN_REVIEW:
        return False
    if getattr(user, "pk", None) is None or user.pk == meeting.minutes_submitted_by_id:
        return False
    if can_manage_meeting(user, meeting):
        return True
    departments = user_department_ids(user)
    return bool(departments) and meeting.items.filter(department_id__in=departments).exists()


def can_publish_minutes(user: Any, meeting: Meeting) -> bool:
    return (
        can_manage_meeting(user, meeting)
        and meeting.status == Meeting.Status.HELD
        and meeting.minutes_status == Meeting.MinutesStatus.APPROVED
    )


def can_update_action_point(user: Any, action_point: ActionPoint) -> bool:
    """The department responsible for it, or the neighbourhood's workers."""
    if worker_covers(user, action_point.neighbourhood):
        return True
    return action_point.department_id is not None and action_point.department_id in user_department_ids(user)


def can_answer_suggestion(user: Any, suggestion: TopicSuggestion) -> bool:
    return worker_covers(user, suggestion.neighbourhood)


def can_enter_paper_suggestion(user: Any) -> bool:
    return is_collective_worker(user)
