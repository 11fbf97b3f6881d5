"""Shared state changes. Domain apps record decisions here; see `AuditEvent`."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEvent, Person


def audit_record(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    on_behalf_of: Person | None = None,
) -> AuditEvent:
    """Append one event to the audit log. `actor` is a user (or None for the system)."""
    return AuditEvent.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        on_behalf_of=on_behalf_of,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        data=data or {},
    )
