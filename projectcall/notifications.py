"""Messages to applicants and to the authors of ideas, through the shared notification service.

The message kinds (`KINDS`) are registered by `projectcall.apps.ProjectcallConfig.ready`. A tenant applicant (or
a tenant a worker filled the application in for) is reached as a register person (e-mail or printed letter); an
organisation or an account without a register person as a plain address (its contact e-mail, else a letter to
its postal address). Called from `projectcall.services` inside the caller's transaction.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from portal.models import Person
from portal.notifications.kinds import MessageKind
from portal.notifications.services import Address, Audience, notification_send
from portal.permissions import person_for

from .models import Application, Idea


def message_context(context: dict) -> dict:
    """Context of every applicant message."""
    application = Application.objects.select_related("call", "decision", "eligibility").get(
        pk=context["application_id"]
    )
    return {
        "application": application,
        "call": application.call,
        "decision": getattr(application, "decision", None),
        "eligibility": getattr(application, "eligibility", None),
        "company": settings.PORTAL_COMPANY_NAME,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }


def idea_context(context: dict) -> dict:
    return {"idea": Idea.objects.get(pk=context["idea_id"]), "company": settings.PORTAL_COMPANY_NAME}


#: Messages to applicants, by the name the services use (templates/notifications/projectcall/<name>/).
APPLICANT_MESSAGES = {
    name: MessageKind(f"projectcall/{name}", context=message_context)
    for name in ("submitted", "eligible", "ineligible", "funded", "rejected")
}
#: The worker's answer to an idea: e-mail only (an author who left a phone number is called back).
IDEA_ANSWER = MessageKind("projectcall/idea_answer", context=idea_context, letter=False)

KINDS = (*APPLICANT_MESSAGES.values(), IDEA_ANSWER)


def applicant_person(application: Application) -> Person | None:
    """The register person who receives letters for this application, if any."""
    if application.on_behalf_of_id:
        return application.on_behalf_of
    if application.organisation_id is None:
        return person_for(application.owner)
    return None


def _applicant_address(application: Application) -> Address:
    """An organisation, or an account without a register person: the contact e-mail (else the managing
    account's), else a letter to the contact's postal address."""
    email = application.contact_email or application.owner.email
    if application.on_behalf_of_id and not application.contact_email:
        email = application.on_behalf_of.email
    return Address(
        email=email,
        name=application.contact_name or application.applicant_name,
        postal=application.contact_address,
        language=application.language or settings.LANGUAGE_CODE,
    )


def notify_applicant(*, application: Application, message: str, actor: Any) -> None:
    """Queue one message to the applicant (e-mail or letter), on commit of the caller's transaction."""
    kind = APPLICANT_MESSAGES[message]
    person = applicant_person(application)
    if person is not None and Person.objects.current().filter(pk=person.pk).exists():
        audience = Audience(persons=[person], per_person=True)
    else:
        address = _applicant_address(application)
        if address.is_empty():
            return
        audience = Audience(addresses=[address])
    notification_send(
        audience=audience,
        message=kind,
        context={"application_id": application.pk},
        related=application,
        actor=actor,
        title=f"{application.reference or application.pk} {message}",
    )


def notify_idea_answer(*, idea: Idea, actor: Any) -> None:
    """E-mail the worker's answer to the idea's author (account e-mail, or the contact when it is an e-mail)."""
    email = idea.user.email if idea.user_id and idea.user.email else idea.contact.strip()
    try:
        validate_email(email)
    except ValidationError:
        return  # a phone number, or nothing: the worker calls back
    notification_send(
        audience=Audience(addresses=[Address(email=email, name=idea.name, language=idea.language)]),
        message=IDEA_ANSWER,
        context={"idea_id": idea.pk},
        related=idea,
        actor=actor,
        title=f"Idea answer: {idea.title}"[:200],
    )
