"""System checks of the message kinds (registered by `portal.apps.PortalConfig.ready`).

- `notifications.E001`: a registered kind lacks one of its templates (`subject.txt`, `email.txt`, and
  `letter.html` unless the kind is e-mail only).
- `notifications.E002`: a kind's `context` or `recipient_context` is not callable.
- `notifications.E003`: a message template directory (`templates/notifications/<app>/<message>/subject.txt`)
  has no registered kind: nothing can send it, or something sends it without declaring it.
- `notifications.W001` (with `--database`): batches still being sent whose kind is no longer registered (the
  worker cannot render them).
"""

from __future__ import annotations

from pathlib import Path

from django.core import checks
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template
from django.template.utils import get_app_template_dirs

from .kinds import registered_kinds


def _template_dirs() -> list[Path]:
    dirs: list[Path] = []
    for engine in engines.all():
        dirs.extend(Path(d) for d in getattr(engine, "dirs", []))
    dirs.extend(Path(d) for d in get_app_template_dirs("templates"))
    return dirs


def message_template_names() -> set[str]:
    """`"<app>/<message>"` of every directory under `notifications/` that holds a `subject.txt`."""
    names = set()
    for root in _template_dirs():
        for subject in (root / "notifications").glob("*/*/subject.txt"):
            names.add(f"{subject.parent.parent.name}/{subject.parent.name}")
    return names


@checks.register("notifications")
def check_message_kinds(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    kinds = registered_kinds()
    for kind in kinds:
        for name in kind.required_templates:
            try:
                get_template(kind.template_dir + name)
            except TemplateDoesNotExist:
                errors.append(
                    checks.Error(
                        f"Message kind {kind.name!r} has no template {kind.template_dir}{name}.",
                        hint="Add the template, or declare the kind e-mail only (letter=False).",
                        obj=kind.name,
                        id="notifications.E001",
                    )
                )
        for attribute in ("context", "recipient_context"):
            builder = getattr(kind, attribute)
            if builder is not None and not callable(builder):
                errors.append(
                    checks.Error(
                        f"Message kind {kind.name!r}: {attribute} is not callable ({builder!r}).",
                        hint="Give the function itself, not its dotted path.",
                        obj=kind.name,
                        id="notifications.E002",
                    )
                )
    declared = {kind.template_dir for kind in kinds}
    for name in sorted(message_template_names()):
        if f"notifications/{name}/" not in declared:
            errors.append(
                checks.Error(
                    f"Templates notifications/{name}/ belong to no registered message kind.",
                    hint="Declare a MessageKind for them in the app's notifications.py and register it in the "
                    "app's ready(), or delete the templates.",
                    obj=name,
                    id="notifications.E003",
                )
            )
    return errors


@checks.register(checks.Tags.database)
def check_batches_have_kinds(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not databases:
        return []
    from .models import BatchStatus, NotificationBatch

    known = {kind.name for kind in registered_kinds()}
    unknown = (
        NotificationBatch.objects.exclude(status=BatchStatus.DONE)
        .exclude(message__in=known)
        .values_list("message", flat=True)
        .distinct()
    )
    return [
        checks.Warning(
            f"Notification batches of message {name!r} are not done but no app registers that kind.",
            hint="Register the kind again (the worker renders batches with it).",
            obj=name,
            id="notifications.W001",
        )
        for name in unknown
    ]
