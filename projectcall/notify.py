"""Messages to applicants: e-mail, or a letter when the applicant has no usable e-mail.

A tenant applicant (or a tenant a worker filled the application in for) is reached through the shared
notification service (`portal.notifications`, e-mail or printed letter). An organisation or an account without a
register person gets an e-mail through this app's own task.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Application

#: Messages in templates/notifications/projectcall/<name>/ (subject.txt, email.txt, letter.html).
MESSAGES = {"submitted", "eligible", "ineligible", "funded", "rejected"}


def applicant_person(application: Application):
    """The register person who receives letters for this application, if any."""
    if application.on_behalf_of_id:
        return application.on_behalf_of
    if application.organisation_id is None:
        from portal.permissions import person_for

        return person_for(application.owner)
    return None


def notify_applicant(*, application: Application, message: str, actor: Any) -> None:
    """Queue one message to the applicant: through the notification service (e-mail or letter) for a tenant,
    as a direct e-mail (on commit) for an organisation or an account without a register person."""
    assert message in MESSAGES  # noqa: S101 - programming error, not user input
    from portal.models import Person
    from portal.notifications.services import Audience, notification_send

    from .tasks import send_applicant_email

    person = applicant_person(application)
    if person is not None and Person.objects.current().filter(pk=person.pk).exists():
        notification_send(
            audience=Audience(persons=[person], per_person=True),
            message=f"projectcall/{message}",
            context={"application_id": application.pk},
            context_builder="projectcall.tasks.message_context",
            related=application,
            actor=actor,
            title=f"{application.reference or application.pk} {message}",
        )
        return
    application_id = application.pk
    transaction.on_commit(lambda: send_applicant_email.enqueue(application_id, message))
