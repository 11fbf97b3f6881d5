"""Factory functions for the project call tests."""

from __future__ import annotations

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from portal import roles
from portal.models import Building, Neighbourhood, Organisation
from projectcall import services
from projectcall.models import Application, Call, Criterion
from tests.factories import register


def neighbourhood(slug: str | None = None) -> Neighbourhood:
    return register.neighbourhood(slug, reuse=True)


def building(hood: Neighbourhood | None = None) -> Building:
    return register.building(hood or neighbourhood())


def user(name: str | None = None, *, groups: tuple[str, ...] = (), email: str | None = None):
    name = name or f"user{register.number()}"
    account = get_user_model().objects.create_user(
        username=name,
        email=email if email is not None else f"{name}@example.org",
        password="x-pass-12345",
        first_name=name.capitalize(),
    )
    if account.email:
        EmailAddress.objects.create(user=account, email=account.email, verified=True, primary=True)
    for group in groups:
        account.groups.add(Group.objects.get_or_create(name=group)[0])
    return account


def tenant(
    name: str | None = None, *, hood: Neighbourhood | None = None, with_account: bool = True, email=None
):
    """A current tenant (person in a household), with a linked account by default."""
    account = user(name, email=email) if with_account else None
    return register.tenant(
        hood or neighbourhood(),
        unit="1.1",
        first_name=(name or "Anne").capitalize(),
        last_name="Dubois",
        born=datetime.date(1960, 5, 1),
        user=account,
    )


def worker(name: str | None = None):
    return user(name, groups=(roles.COLLECTIVE_WORKERS,))


def reviewer(name: str | None = None):
    return user(name, groups=(roles.REVIEWERS,))


def organisation(members=(), kind=Organisation.Kind.ASSOCIATION) -> Organisation:
    org = Organisation.objects.create(name=f"Asbl {register.number()}", kind=kind, email="asbl@example.org")
    org.members.add(*members)
    return org


def call(*, phase: str = "open", year: int | None = None, envelope="255000", maximum="50000") -> Call:
    """A call in the given phase: upcoming, open, review (closed), decided."""
    now = timezone.now()
    day = datetime.timedelta(days=1)
    opens, closes = {
        "upcoming": (now + 5 * day, now + 30 * day),
        "open": (now - 5 * day, now + 30 * day),
        "review": (now - 60 * day, now - day),
        "decided": (now - 90 * day, now - 30 * day),
    }[phase]
    c = Call.objects.create(
        year=year or 2000 + register.number(),
        title="Appel à projets",
        envelope=Decimal(envelope),
        max_per_project=Decimal(maximum),
        opens_at=opens,
        closes_at=closes,
        decision_on=timezone.localdate(closes) + 20 * day,
        projects_end_on=timezone.localdate(closes) + 300 * day,
        final_report_due_on=timezone.localdate(closes) + 330 * day,
        decided_at=now - day if phase == "decided" else None,
    )
    c.full_clean()
    Criterion.objects.create(call=c, name="Impact", weight=3, sort_order=1)
    Criterion.objects.create(call=c, name="Participation", weight=2, sort_order=2)
    Criterion.objects.create(call=c, name="Feasibility", weight=1, sort_order=3)
    return c


def complete_application(
    the_call: Call, owner, *, amounts=("1200", "800"), title="Jardin partagé"
) -> Application:
    """A complete draft (created while the call is open, whatever its phase now)."""
    hood = neighbourhood("marolles")
    app = Application.objects.create(
        call=the_call,
        owner=owner,
        title=title,
        summary="Un potager pour les voisins.",
        neighbourhood=hood,
        activities="Planter, arroser, récolter.",
        contact_name="Anne Dubois",
        contact_email="anne@example.org",
    )
    for index, amount in enumerate(amounts):
        app.budget_lines.create(item=f"Line {index}", amount=Decimal(amount), position=index)
    return app


def submitted(the_call: Call, owner, **kwargs) -> Application:
    app = complete_application(the_call, owner, **kwargs)
    if the_call.is_open:
        return services.application_submit(application=app, actor=owner)
    n = the_call.applications.exclude(reference="").count() + 1
    app.status, app.reference, app.submitted_at = (
        Application.Status.SUBMITTED,
        f"PC-{the_call.year}-{n:03d}",
        timezone.now(),
    )
    app.save()
    return app


def eligible(the_call: Call, owner, **kwargs) -> Application:
    app = submitted(the_call, owner, **kwargs)
    app.status = Application.Status.ELIGIBLE
    app.save()
    return app
