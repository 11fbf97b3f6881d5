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
    """Queue one message to the applicant (on commit)."""
    assert message in MESSAGES  # noqa: S101 - programming error, not user input
    from .tasks import send_applicant_email

    application_id = application.pk
    transaction.on_commit(lambda: send_applicant_email.enqueue(application_id, message))
