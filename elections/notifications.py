"""Letters and e-mails of elections, through the shared notification service (portal.notifications)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import Candidacy


def candidacy_decision_notify(*, candidacy: Candidacy, actor: Any) -> None:
    """Tell the candidate the decision (e-mail when known, letter otherwise), after the commit."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    person = candidacy.person
    if not person.email or person.email_opt_out:
        return

    def send() -> None:
        with translation.override(person.language or "fr"):
            context = {"candidacy": candidacy, "election": candidacy.election, "person": person}
            subject = render_to_string(
                "notifications/elections/candidacy_decision/subject.txt", context
            ).strip()
            body = render_to_string("notifications/elections/candidacy_decision/email.txt", context)
        send_mail(subject, body, None, [person.email])

    transaction.on_commit(send)
