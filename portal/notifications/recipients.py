"""Turn a batch's audience into deliveries: who gets an e-mail, who gets a letter, in which language.

Queries stay constant in the number of recipients (a handful of queries for 5,000 households).
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models import OuterRef, Prefetch, Q, Subquery

from portal.models import Household, Person

from .models import Channel, Delivery, NotificationBatch

ADULT_AGE = 18


def _persons_with_email(queryset):
    """Annotate `account_email`: the verified primary address of the linked account, if any."""
    verified = EmailAddress.objects.filter(user_id=OuterRef("user_id"), primary=True, verified=True).values(
        "email"
    )[:1]
    return queryset.annotate(account_email=Subquery(verified))


def usable_email(person: Person) -> str:
    """The address to write to, or "" when the person gets letters (no address, or opted out)."""
    if person.email_opt_out:
        return ""
    return person.email or getattr(person, "account_email", None) or ""


def person_language(person: Person | None, household: Household) -> str:
    """The person's language, else the household's; "" when unknown (then French and Dutch)."""
    if person is not None and person.language:
        return person.language
    return household.language or ""


def postal_lines(household: Household, person: Person | None = None) -> list[str]:
    """Address block of a letter: name, then the dwelling (or the person's postal address when given)."""
    if person is not None:
        name = person.full_name
        postal = person.postal_address
    else:
        holders = [m for m in household.members.all() if m.role == Person.Role.LEASE_HOLDER] or list(
            household.members.all()
        )[:1]
        name = ", ".join(m.full_name for m in holders[:2])
        postal = next((m.postal_address for m in holders if m.postal_address), "")
    if postal:
        lines = [line.strip() for line in postal.splitlines() if line.strip()]
    else:
        dwelling = household.dwelling
        building = dwelling.building
        street = f"{building.street} {building.number}"
        if dwelling.unit:
            street = f"{street} / {dwelling.unit}"
        lines = [street, f"{building.postcode} {building.municipality}"]
    return ([name] if name else []) + lines


def _selected_households(audience: dict[str, Any], on: datetime.date):
    area = Q(pk__in=audience.get("households") or [])
    if audience.get("neighbourhoods"):
        area |= Q(dwelling__building__site__neighbourhood__in=audience["neighbourhoods"])
    if audience.get("sites"):
        area |= Q(dwelling__building__site__in=audience["sites"])
    if audience.get("buildings"):
        area |= Q(dwelling__building__in=audience["buildings"])
    selected_by_area = Household.objects.current(on).filter(
        area & ~Q(pk__in=audience.get("households") or [])
    )
    explicit = Household.objects.filter(pk__in=audience.get("households") or [])
    return Household.objects.filter(Q(pk__in=selected_by_area.values("pk")) | Q(pk__in=explicit.values("pk")))


def _household_queryset(queryset, on: datetime.date):
    members = _persons_with_email(
        Person.objects.current(on).order_by("role", "last_name", "first_name", "pk")
    )
    return queryset.select_related("dwelling__building").prefetch_related(
        Prefetch("members", queryset=members)
    )


def _address_delivery(batch: NotificationBatch, address: dict[str, str]) -> Delivery | None:
    """A plain address (an organisation, a visitor): e-mail, else a letter to its postal address, else none."""
    email, postal, name = address.get("email", ""), address.get("postal", ""), address.get("name", "")
    if not email and not postal:
        return None
    lines = [line.strip() for line in postal.splitlines() if line.strip()]
    return Delivery(
        batch=batch,
        name=name,
        channel=Channel.EMAIL if email else Channel.LETTER,
        language=address.get("language", ""),
        email=email,
        address="" if email else "\n".join(([name] if name else []) + lines),
    )


def plan_deliveries(batch: NotificationBatch, *, letters: bool = True) -> list[Delivery]:
    """The unsaved deliveries of a batch, ordered for the post (postcode, street, number, unit).

    `letters=False` (an e-mail only message): recipients without a usable e-mail address get no delivery.
    """
    audience = batch.audience
    on = datetime.date.fromisoformat(audience.get("on")) if audience.get("on") else datetime.date.today()
    households = list(_household_queryset(_selected_households(audience, on), on))
    household_ids = {h.pk for h in households}
    deliveries: list[Delivery] = []

    def person_delivery(person: Person, household: Household) -> Delivery:
        email = usable_email(person)
        return Delivery(
            batch=batch,
            person=person,
            household=household,
            channel=Channel.EMAIL if email else Channel.LETTER,
            language=person_language(person, household),
            email=email,
            address="" if email else "\n".join(postal_lines(household, person)),
        )

    for household in households:
        members = list(household.members.all())
        if audience.get("per_person"):
            deliveries.extend(person_delivery(person, household) for person in members)
            continue
        adults = [m for m in members if m.age_on(on) >= ADULT_AGE]
        emailed = [m for m in adults if usable_email(m)]
        if emailed:
            deliveries.extend(person_delivery(person, household) for person in emailed)
        else:
            deliveries.append(
                Delivery(
                    batch=batch,
                    person=None,
                    household=household,
                    channel=Channel.LETTER,
                    language=household.language or "",
                    address="\n".join(postal_lines(household)),
                )
            )

    persons = _persons_with_email(
        Person.objects.filter(pk__in=audience.get("persons") or []).select_related(
            "household__dwelling__building"
        )
    )
    for person in persons:
        if person.household_id in household_ids:
            continue  # already reached through the household
        deliveries.append(person_delivery(person, person.household))

    for address in audience.get("addresses") or []:
        delivery = _address_delivery(batch, address)
        if delivery is not None:
            deliveries.append(delivery)

    def post_order(delivery: Delivery):
        if delivery.household is None:  # plain addresses after the register's, in the given order
            return (delivery.channel, 1, "", "", "", "", 0, 0)
        building = delivery.household.dwelling.building
        return (
            delivery.channel,
            0,
            building.postcode,
            building.street,
            building.number,
            delivery.household.dwelling.unit,
            delivery.household.pk,
            delivery.person.pk if delivery.person else 0,
        )

    deliveries.sort(key=post_order)
    if not letters:
        deliveries = [delivery for delivery in deliveries if delivery.channel == Channel.EMAIL]
    return deliveries
