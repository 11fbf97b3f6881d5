"""Message kinds: every message an app may send through the notification service, declared once at start-up.

An app declares its kinds as objects in its `notifications.py` and registers them from its `AppConfig.ready()`
(registration goes from the app to `portal`, never the other way)::

    # meetings/notifications.py
    MINUTES = MessageKind("meetings/minutes", context=meeting_context)
    KINDS = (INVITATION, CANCELLATION, CHANGE, MINUTES, SUGGESTION_ANSWER)

    # meetings/apps.py
    def ready(self):
        from portal.notifications.kinds import register
        from . import notifications
        register(*notifications.KINDS)

The worker renders a batch with the kind registered under `batch.message`: no function is looked up by a dotted
path at run time. `checks.py` verifies (`manage.py check`, and every management command at start-up, the worker
included) that each registered kind has its templates and callable builders, and that no message template
directory is left without a kind.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

#: context(batch_context) -> extra template context, called once per language inside translation.override().
ContextBuilder = Callable[[dict[str, Any]], dict[str, Any]]
#: recipient_context(person, household, batch_context) -> extra context for one recipient (both None for a
#: plain address: an organisation, a visitor).
RecipientContext = Callable[[Any, Any, dict[str, Any]], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class MessageKind:
    """One message an app sends: its name (`"<app>/<message>"`), templates and context builders.

    `letter=False`: an e-mail only message (no `letter.html`); recipients without a usable e-mail address are
    then not reached (the caller offers another way, e.g. a phone call).
    """

    name: str
    context: ContextBuilder | None = None
    recipient_context: RecipientContext | None = None
    letter: bool = True
    template_dir: str = ""

    def __post_init__(self) -> None:
        if not self.template_dir:
            object.__setattr__(self, "template_dir", f"notifications/{self.name}/")

    def __str__(self) -> str:
        return self.name

    @property
    def required_templates(self) -> tuple[str, ...]:
        return ("subject.txt", "email.txt", "letter.html") if self.letter else ("subject.txt", "email.txt")


_KINDS: dict[str, MessageKind] = {}


def register(*kinds: MessageKind) -> None:
    """Register message kinds (from an app's `ready()`); registering the same kind again is harmless."""
    for kind in kinds:
        if not isinstance(kind, MessageKind):
            raise ImproperlyConfigured(f"Not a MessageKind: {kind!r}")
        existing = _KINDS.get(kind.name)
        if existing is not None and existing != kind:
            raise ImproperlyConfigured(f"Two message kinds are registered as {kind.name!r}.")
        _KINDS[kind.name] = kind


def unregister(name: str) -> None:
    """Forget a kind (tests that register kinds of their own)."""
    _KINDS.pop(name, None)


def registered_kinds() -> list[MessageKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.name)


def get_kind(name: str) -> MessageKind:
    """The registered kind of this name; LookupError if no app registered it."""
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No message kind {name!r} is registered.") from None


def is_registered(kind: MessageKind) -> bool:
    return _KINDS.get(kind.name) == kind
