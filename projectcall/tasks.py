"""Background tasks of the project call (run by `manage.py db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


def message_context(context: dict) -> dict:
    """Context of every applicant message (also the notification service's context builder)."""
    from .models import Application

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


@task()
def send_applicant_email(application_id: int, message: str) -> int:
    """E-mail the applicant (contact e-mail, else the managing account's). Returns the number sent."""
    context = message_context({"application_id": application_id})
    application = context["application"]
    recipient = application.contact_email or application.owner.email
    if application.on_behalf_of_id and not application.contact_email:
        recipient = application.on_behalf_of.email
    if not recipient:
        return 0
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"notifications/projectcall/{message}/subject.txt", context).strip()
        body = render_to_string(f"notifications/projectcall/{message}/email.txt", context)
    EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[recipient]).send()
    return 1


@task()
def send_idea_answer(idea_id: int) -> int:
    """E-mail the worker's answer to the author of an idea (account e-mail, or the contact when it is an e-mail)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from .models import Idea

    idea = Idea.objects.select_related("user").get(pk=idea_id)
    recipient = idea.user.email if idea.user_id and idea.user.email else idea.contact.strip()
    try:
        validate_email(recipient)
    except ValidationError:
        return 0  # a phone number: the worker calls back
    context = {"idea": idea, "company": settings.PORTAL_COMPANY_NAME}
    with translation.override(idea.language or settings.LANGUAGE_CODE):
        subject = render_to_string("notifications/projectcall/idea_answer/subject.txt", context).strip()
        body = render_to_string("notifications/projectcall/idea_answer/email.txt", context)
    EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[recipient]).send()
    return 1
