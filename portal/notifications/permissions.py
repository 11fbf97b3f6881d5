"""Who may see and act on notifications (they hold tenants' names and addresses)."""

from __future__ import annotations

from typing import Any

from portal.permissions import is_collective_worker


def can_manage_notifications(user: Any) -> bool:
    """Collective workers and administrators: list batches, download letters, mark printed, retry e-mails."""
    return is_collective_worker(user)


def can_resume_notifications(user: Any) -> bool:
    """Resume an interrupted batch, or send its uncertain e-mails again: the same office."""
    return can_manage_notifications(user)


def can_download_letters(user: Any) -> bool:
    return can_manage_notifications(user)
