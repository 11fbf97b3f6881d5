"""Background tasks of the meetings app (django-tasks, database backend)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task

from portal.worker.recovery import rerunnable


@rerunnable  # the invitation is sent once only (`meeting_send_invitation` checks `invitation_sent_at`)
@task()
def send_scheduled_invitation(meeting_id: int, actor_id: int | None = None) -> None:
    """Send a meeting's invitation on its due day (queued by `agenda_publish` with `run_after`)."""
    from .models import Meeting
    from .services import meeting_send_invitation

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if meeting is not None:
        meeting_send_invitation(meeting=meeting, actor=actor)
