"""Letters and e-mails of elections, through the shared notification service (portal.notifications).

The message kinds (`KINDS`) are registered by `elections.apps.ElectionsConfig.ready`.

Invitations carry the personal voting code, derived at render time from the roll entry's random seed by
`invitation_recipient_context` (called by the notification worker per recipient): the plain code is stored
nowhere, neither on the roll nor on the batch.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime

from portal.models import Household, Person
from portal.notifications.kinds import MessageKind
from portal.notifications.services import Audience, notification_send

from . import codes
from .models import Candidacy, Election


def invitation_context(context: dict) -> dict:
    election = Election.objects.get(pk=context["election_id"])
    opens, closes = localtime(election.voting_opens_at), localtime(election.voting_closes_at)
    return {
        "election": election,
        "voting_day": date_format(opens, "l j F Y"),
        "opens": opens.strftime("%H:%M"),
        "closes": closes.strftime("%H:%M"),
        "stations": [
            {
                "name": s.name,
                "address": s.address,
                "hours": f"{localtime(s.opens_at):%H:%M}–{localtime(s.closes_at):%H:%M}",
                "accessibility": s.accessibility,
            }
            for s in election.stations.all()
        ],
        "election_url": election.get_absolute_url(),
    }


def invitation_recipient_context(person: Person | None, household: Household | None, context: dict) -> dict:
    """The personal voting code, when online voting is on (computed now, never stored)."""
    if person is None or not context.get("online_voting"):
        return {}
    entry = (
        Election.objects.get(pk=context["election_id"])
        .roll.filter(person=person, removed=False)
        .only("code_seed")
        .first()
    )
    if entry is None or not entry.code_seed:
        return {}
    return {"voting_code": codes.format_code(codes.code_from_seed(entry.code_seed))}


def candidacy_decision_context(context: dict) -> dict:
    candidacy = Candidacy.objects.select_related("election").get(pk=context["candidacy_id"])
    return {"candidacy": candidacy, "election": candidacy.election}


INVITATION = MessageKind(
    "elections/invitation", context=invitation_context, recipient_context=invitation_recipient_context
)
CANDIDACY_DECISION = MessageKind("elections/candidacy_decision", context=candidacy_decision_context)

KINDS = (INVITATION, CANDIDACY_DECISION)


def invitations_send(*, election: Election, persons: list[int], actor: Any):
    """One invitation per voter given: a letter, or an e-mail when the register knows the address."""
    return notification_send(
        audience=Audience(persons=persons, per_person=True),
        message=INVITATION,
        context={"election_id": election.pk, "online_voting": election.online_voting},
        related=election,
        actor=actor,
        title=f"Invitations: {election.council_name}"[:200],
    )


def candidacy_decision_notify(*, candidacy: Candidacy, actor: Any) -> None:
    """Tell the candidate the decision (e-mail when known, letter otherwise)."""
    notification_send(
        audience=Audience(persons=[candidacy.person_id], per_person=True),
        message=CANDIDACY_DECISION,
        context={"candidacy_id": candidacy.pk},
        related=candidacy.election,
        actor=actor,
        title=f"Candidacy decision: {candidacy.display_name}"[:200],
    )


def invitation_letters_delete(*, election: Election) -> int:
    """The printed invitations hold every voting code: their PDFs are deleted with the participation data."""
    from portal.notifications.models import NotificationBatch

    deleted = 0
    for batch in NotificationBatch.objects.for_object(election).filter(message=INVITATION.name):
        if batch.letters_pdf:
            batch.letters_pdf.delete(save=True)
            deleted += 1
    return deleted
