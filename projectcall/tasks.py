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
