"""Personal data: what the portal holds about a person (shown on "My data" and downloaded as JSON), and the
removal of an account.

Other apps add their own sections through the Wagtail hook `portal_personal_data`:
`@hooks.register("portal_personal_data") def f(user, person): return {"key": "meetings", "title": _("..."),
"items": [{...}, ...]}` (or None). `user` or `person` may be None. They may also register
`portal_account_delete(user, person)` to remove or anonymise their own records before an account is removed.
"""

from __future__ import annotations

import json
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks

from . import roles
from .models import AuditEvent, LinkingAttempt, LinkingCode, Person
from .permissions import person_for
from .services import audit_record

#: Readable labels of the keys used in the sections (the JSON file keeps the keys).
LABELS = {
    "email": gettext_lazy("E-mail address"),
    "created": gettext_lazy("Account created"),
    "last_login": gettext_lazy("Last login"),
    "roles": gettext_lazy("Roles"),
    "two_factor_authentication": gettext_lazy("Two-factor authentication"),
    "organisations": gettext_lazy("Organisations"),
    "verified": gettext_lazy("Verified"),
    "primary": gettext_lazy("Main address"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "role_in_household": gettext_lazy("Role in the household"),
    "registered_at_the_company_since": gettext_lazy("Registered at the company since"),
    "living_in_the_dwelling_since": gettext_lazy("Living in the dwelling since"),
    "left_on": gettext_lazy("Left on"),
    "preferred_language": gettext_lazy("Preferred language"),
    "prefers_letters": gettext_lazy("Prefers letters"),
    "phone": gettext_lazy("Phone"),
    "postal_address": gettext_lazy("Postal address"),
    "address": gettext_lazy("Address"),
    "neighbourhood": gettext_lazy("Neighbourhood"),
    "lease_start": gettext_lazy("Start of the lease"),
    "lease_end": gettext_lazy("End of the lease"),
    "reference_in_the_rental_system": gettext_lazy("Reference in the rental system"),
    "created_at": gettext_lazy("Date"),
    "expires_at": gettext_lazy("Valid until"),
    "used_at": gettext_lazy("Used on"),
    "action": gettext_lazy("What"),
    "summary": gettext_lazy("Details"),
    "ip_address": gettext_lazy("IP address"),
    "succeeded": gettext_lazy("Succeeded"),
}


def display_sections(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The sections with readable labels, for the "My data" page."""

    def readable(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    return [
        {
            **section,
            "rows": [
                [
                    (LABELS.get(key, key.replace("_", " ").capitalize()), readable(value))
                    for key, value in item.items()
                ]
                for item in section["items"]
            ],
        }
        for section in sections
    ]


def _person_section(person: Person) -> dict[str, Any]:
    household = person.household
    dwelling = household.dwelling
    building = dwelling.building
    return {
        "key": "register",
        "title": _("Your data in the tenant register"),
        "items": [
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
        ],
    }


def personal_data(*, user: Any = None, person: Person | None = None) -> list[dict[str, Any]]:
    """Every section of data the portal holds about this account and/or register person. Nothing about others."""
    if person is None and user is not None:
        person = person_for(user)
    if person is not None:
        person = Person.objects.select_related("household__dwelling__building__site__neighbourhood").get(
            pk=person.pk
        )
    sections: list[dict[str, Any]] = []
    if user is not None:
        sections.append(
            {
                "key": "account",
                "title": _("Your account"),
                "items": [
                    {
                        "email": user.email,
                        "created": user.date_joined,
                        "last_login": user.last_login,
                        "roles": [
                            str(roles.ROLE_LABELS.get(g, g))
                            for g in user.groups.values_list("name", flat=True)
                        ],
                        "two_factor_authentication": list(
                            Authenticator.objects.filter(user=user).values_list("type", flat=True)
                        ),
                        "organisations": list(user.organisations.values_list("name", flat=True)),
                    }
                ],
            }
        )
        sections.append(
            {
                "key": "linking_attempts",
                "title": _("Tries to link your account"),
                "items": list(
                    LinkingAttempt.objects.filter(user=user).values("created_at", "ip_address", "succeeded")
                ),
            }
        )
        sections.append(
            {
                "key": "emails",
                "title": _("Your e-mail addresses"),
                "items": list(EmailAddress.objects.filter(user=user).values("email", "verified", "primary")),
            }
        )
    if person is not None:
        sections.append(_person_section(person))
        sections.append(
            {
                "key": "linking_codes",
                "title": _("Personal codes sent to you"),
                "items": list(
                    LinkingCode.objects.filter(person=person).values("created_at", "expires_at", "used_at")
                ),
            }
        )
    about = Q(pk__in=[])
    if user is not None:
        about |= Q(actor=user)
    if person is not None:
        about |= Q(on_behalf_of=person) | Q(object_type="portal.person", object_id=str(person.pk))
    sections.append(
        {
            "key": "events",
            "title": _("Recorded events about you"),
            "items": list(
                AuditEvent.objects.filter(about)
                .values("created_at", "action", "summary")
                .order_by("-created_at")
            ),
        }
    )
    for hook in hooks.get_hooks("portal_personal_data"):
        section = hook(user, person)
        if section:
            sections.append(section)
    return sections


def personal_data_json(*, user: Any = None, person: Person | None = None) -> str:
    sections = personal_data(user=user, person=person)
    document = {
        "exported_at": timezone.now(),
        "sections": {
            section["key"]: {"title": section["title"], "items": section["items"]} for section in sections
        },
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def _delete_sessions_of(user: Any) -> None:
    """Database sessions belonging to the account (decoded: Django stores the user id inside the session)."""
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            session.delete()


@transaction.atomic
def account_delete(*, user: Any) -> None:
    """Remove an account and its personal data; keep what other records need, anonymised.

    The register person stays (it belongs to the housing company) without its link; audit events keep their
    meaning with `actor` NULL. If another app protects the account row, it is anonymised and deactivated instead.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    person = person_for(user)
    for hook in hooks.get_hooks("portal_account_delete"):
        hook(user, person)
    if person is not None:
        Person.objects.filter(pk=person.pk).update(user=None)
    audit_record(
        action="account.deleted",
        actor=None,
        obj=person,
        summary="Account removed at its owner's request",
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    _delete_sessions_of(user)
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError):
        user.username = f"deleted-{user.pk}"
        user.email = ""
        user.first_name = user.last_name = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.organisations.clear()
