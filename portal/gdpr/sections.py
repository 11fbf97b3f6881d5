"""The portal's own sections of personal data: the account, the register row, linking, messages sent, the audit
log, and the records of other projects (allauth, Wagtail, Django's admin) that point at an account.

Registered by `PortalConfig.ready()`; the removal of what these sections cover is `portal.gdpr.deletion`.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .. import roles
from ..models import AuditEvent, Delivery, LinkingAttempt, LinkingCode
from .registry import Section, Subject, event_labels, register

#: Readable labels of the keys used by the portal's sections (and by any app that uses the same keys).
LABELS = {
    "email": _("E-mail address"),
    "created": _("Account created"),
    "last_login": _("Last login"),
    "roles": _("Roles"),
    "two_factor_authentication": _("Two-factor authentication"),
    "organisations": _("Organisations"),
    "departments": _("Departments"),
    "neighbourhoods_covered": _("Neighbourhoods you cover"),
    "verified": _("Verified"),
    "primary": _("Main address"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "date_of_birth": _("Date of birth"),
    "role_in_household": _("Role in the household"),
    "registered_at_the_company_since": _("Registered at the company since"),
    "living_in_the_dwelling_since": _("Living in the dwelling since"),
    "left_on": _("Left on"),
    "preferred_language": _("Preferred language"),
    "prefers_letters": _("Prefers letters"),
    "phone": _("Phone"),
    "postal_address": _("Postal address"),
    "address": _("Address"),
    "neighbourhood": _("Neighbourhood"),
    "lease_start": _("Start of the lease"),
    "lease_end": _("End of the lease"),
    "reference_in_the_rental_system": _("Reference in the rental system"),
    "created_at": _("Date"),
    "expires_at": _("Valid until"),
    "used_at": _("Used on"),
    "action": _("What"),
    "summary": _("Details"),
    "ip_address": _("IP address"),
    "succeeded": _("Succeeded"),
    "message": _("Message"),
    "channel": _("Sent as"),
    "status": _("Status"),
    "language": _("Language"),
    "sent_at": _("Sent on"),
}

#: Audit actions written by the portal itself (`portal.services.audit_record` callers in portal/).
EVENTS = {
    "account.deleted": _("Account removed"),
    "account.linked": _("Account linked with a personal code"),
    "account.linked_by_worker": _("Account linked by a collective worker"),
    "account.unlinked": _("Account unlinked from the tenant register"),
    "linking_codes.issued": _("Personal codes issued"),
    "notification.letters_printed": _("Letters marked as printed"),
    "notification.retried": _("Failed messages sent again"),
    "notification.resumed": _("Interrupted mailing resumed"),
    "notification.uncertain_resent": _("Uncertain e-mails sent again"),
    "notification.sent": _("Message sent to tenants"),
    "organisation.member_added": _("Member added to an organisation"),
    "organisation.updated": _("Organisation profile updated"),
    "personal_data.exported": _("Personal data handed over"),
    "personal_data.retention": _("Old personal data deleted (retention periods)"),
    "register.imported": _("Tenant register imported"),
}

MFA_LABELS = {
    Authenticator.Type.TOTP: _("Authenticator app"),
    Authenticator.Type.RECOVERY_CODES: _("Recovery codes"),
    Authenticator.Type.WEBAUTHN: _("Security key"),
}


def account_items(subject: Subject) -> list[dict[str, Any]]:
    user = subject.user
    if user is None:
        return []
    return [
        {
            "email": user.email,
            "created": user.date_joined,
            "last_login": user.last_login,
            "roles": [str(roles.ROLE_LABELS.get(g, g)) for g in user.groups.values_list("name", flat=True)],
            "two_factor_authentication": [
                str(MFA_LABELS.get(kind, kind))
                for kind in Authenticator.objects.filter(user=user).values_list("type", flat=True)
            ],
            "organisations": list(user.organisations.values_list("name", flat=True)),
            "departments": [str(d) for d in user.departments.all()],
            "neighbourhoods_covered": [str(a.neighbourhood) for a in user.worker_assignments.all()],
        }
    ]


def email_items(subject: Subject) -> list[dict[str, Any]]:
    if subject.user is None:
        return []
    return list(EmailAddress.objects.filter(user=subject.user).values("email", "verified", "primary"))


def linking_attempt_items(subject: Subject) -> list[dict[str, Any]]:
    if subject.user is None:
        return []
    return list(
        LinkingAttempt.objects.filter(user=subject.user).values("created_at", "ip_address", "succeeded")
    )


def register_items(subject: Subject) -> list[dict[str, Any]]:
    person = subject.person
    if person is None:
        return []
    household = person.household
    dwelling = household.dwelling
    building = dwelling.building
    return [
        {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": person.birth_date,
            "role_in_household": person.get_role_display(),
            "registered_at_the_company_since": person.registered_on,
            "living_in_the_dwelling_since": person.start_date,
            "left_on": person.end_date,
            "preferred_language": person.get_language_display(),
            "email": person.email,
            "prefers_letters": person.email_opt_out,
            "phone": person.phone,
            "postal_address": person.postal_address,
            "address": f"{building.street} {building.number} / {dwelling.unit}, "
            f"{building.postcode} {building.municipality}",
            "neighbourhood": building.site.neighbourhood.name,
            "lease_start": household.start_date,
            "lease_end": household.end_date,
            "reference_in_the_rental_system": person.external_ref,
        }
    ]


def linking_code_items(subject: Subject) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    return list(
        LinkingCode.objects.filter(person=subject.person).values("created_at", "expires_at", "used_at")
    )


def delivery_items(subject: Subject) -> list[dict[str, Any]]:
    """Messages sent to the person (e-mails and letters), with the address copied at the time of sending."""
    if subject.person is None:
        return []
    deliveries = (
        Delivery.objects.filter(person=subject.person).select_related("batch").order_by("-batch__created_at")
    )
    return [
        {
            "created_at": d.batch.created_at,
            "message": d.batch.title,
            "channel": d.get_channel_display(),
            "status": d.get_status_display(),
            "email": d.email,
            "postal_address": d.address,
            "sent_at": d.sent_at,
        }
        for d in deliveries
    ]


def event_items(subject: Subject) -> list[dict[str, Any]]:
    about = Q(pk__in=[])
    if subject.user is not None:
        about |= Q(actor=subject.user)
    if subject.person is not None:
        about |= Q(on_behalf_of=subject.person) | Q(
            object_type="portal.person", object_id=str(subject.person.pk)
        )
    readable = event_labels()
    rows = AuditEvent.objects.filter(about).values("created_at", "action", "summary").order_by("-created_at")
    return [{**row, "action": str(readable.get(row["action"], row["action"]))} for row in rows]


ATTRIBUTION = "who did it: the link is cleared (or the account anonymised) when the account is removed"

SECTIONS = [
    Section(
        key="account",
        title=_("Your account"),
        order=10,
        items=account_items,
        covers={
            "auth.User": "exported; deleted with the account, anonymised if another record must keep it",
            "portal.Department": "membership exported; removed with the account",
            "portal.Organisation": "membership exported; removed with the account (the organisation stays)",
            "portal.WorkerAssignment": "exported; deleted with the account",
            "mfa.Authenticator": "the kinds are exported (never the secrets); deleted with the account",
            "wagtailusers.UserProfile": "admin preferences, not personal data; deleted with the account",
        },
        labels=LABELS,
        events=EVENTS,
    ),
    Section(
        key="emails",
        title=_("Your e-mail addresses"),
        order=11,
        items=email_items,
        covers={
            "account.EmailAddress": "exported; deleted with the account",
            "account.EmailConfirmation": "a pending confirmation key; deleted with the address",
        },
    ),
    Section(
        key="linking_attempts",
        title=_("Tries to link your account"),
        order=12,
        items=linking_attempt_items,
        covers={"portal.LinkingAttempt": "exported; deleted with the account"},
    ),
    Section(
        key="register",
        title=_("Your data in the tenant register"),
        order=20,
        items=register_items,
        covers={"portal.Person": "exported; kept (the company's register) without its link to the account"},
    ),
    Section(
        key="linking_codes",
        title=_("Personal codes sent to you"),
        order=21,
        items=linking_code_items,
        covers={
            "portal.LinkingCode": "exported (dates only: the code is stored as a hash); kept with the register"
        },
    ),
    Section(
        key="deliveries",
        title=_("Messages sent to you"),
        order=80,
        items=delivery_items,
        covers={
            "portal.Delivery": "exported; address copies emptied after PORTAL_RETENTION_DELIVERY_MONTHS",
            "portal.NotificationBatch": f"the sender, {ATTRIBUTION}; letters PDF deleted with the address copies",
        },
    ),
    Section(
        key="events",
        title=_("Recorded events about you"),
        order=90,
        items=event_items,
        covers={
            "portal.AuditEvent": "exported; append-only, kept with the actor cleared when the account goes"
        },
    ),
    Section(
        key="editorial_history",
        title=_("Editing history of the site"),
        order=99,
        covers={
            "admin.LogEntry": f"Django admin history, {ATTRIBUTION}",
            "wagtailcore.Page": f"page owner and lock, {ATTRIBUTION}",
            "wagtailcore.Revision": f"page revisions, {ATTRIBUTION}",
            "wagtailcore.PageLogEntry": f"page history, {ATTRIBUTION}",
            "wagtailcore.ModelLogEntry": f"snippet history, {ATTRIBUTION}",
            "wagtailcore.Comment": "editors' comments on a draft; deleted with the account",
            "wagtailcore.CommentReply": "editors' replies on a draft; deleted with the account",
            "wagtailcore.PageSubscription": "an editor's notification preference; deleted with the account",
            "wagtailcore.TaskState": f"moderation step, {ATTRIBUTION}",
            "wagtailcore.WorkflowState": f"moderation request, {ATTRIBUTION}",
            "wagtailcore.UploadedFile": f"an upload in progress, {ATTRIBUTION}",
            "wagtailcore.APIToken": "an API token of an editor; deleted with the account",
            "wagtailadmin.EditingSession": "who is editing a page now; deleted with the account",
            "wagtailadmin.FormState": "an unsaved admin form; deleted with the account",
            "wagtaildocs.Document": f"the uploader of a document, {ATTRIBUTION}",
            "wagtailimages.Image": f"the uploader of an image, {ATTRIBUTION}",
            "wagtailimages.Rendition": "a resized image: no personal data",
            "wagtailcore.GroupPagePermission": "a group's rights on a page: no personal data",
            "wagtailcore.PageViewRestriction": "a page's privacy setting: no personal data",
            "wagtailcore.Site": "a site's root page: no personal data",
            "wagtailcore.WorkflowPage": "a page's workflow: no personal data",
            "wagtailforms.FormSubmission": "no form pages are used: would need its own section",
            "wagtailredirects.Redirect": "an address redirected to a page: no personal data",
        },
    ),
]


def register_all() -> None:
    for section in SECTIONS:
        register(section)
