"""What every election service shares: the append-only log and the row lock of the election."""

from __future__ import annotations

from typing import Any

from ..models import Election, ElectionEvent


def log(election: Election, kind: str, actor: Any, summary: str, data: dict | None = None) -> ElectionEvent:
    return ElectionEvent.objects.create(
        election=election,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        summary=summary[:300],
        data=data or {},
    )


def locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
