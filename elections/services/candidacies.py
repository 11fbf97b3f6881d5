"""Candidacies: submitted by a tenant online or entered from a paper form, completed by the candidate, decided by a
worker (the candidate is told)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Person

from .. import notifications
from ..guards import candidacy_eligibility_problems, date_text
from ..models import Candidacy, Election, ElectionEvent
from ._common import locked, log, user_or_none

S = Election.Status


@transaction.atomic
def candidacy_submit(
    *,
    election: Election,
    person: Person,
    channel: str,
    received_on: datetime.date | None = None,
    label: str = Candidacy.Label.NOTHING,
    association: str = "",
    statement: str = "",
    photo=None,
    actor: Any = None,
) -> Candidacy:
    """A candidacy from the tenant online, or from a paper form entered by a worker (received_on = the receipt)."""
    election = locked(election)
    received_on = received_on or timezone.localdate()
    if election.status != S.CANDIDACY:
        raise ValidationError(_("Candidacies are not open for this election."))
    if channel == Candidacy.Channel.ONLINE and timezone.localdate() > election.candidacies_close_on:
        raise ValidationError(
            _("Candidacies closed on %(date)s.") % {"date": date_text(election.candidacies_close_on)}
        )
    if received_on > election.candidacies_close_on or received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": _("The form must have been received by the closing date, not later.")}
        )
    if label == Candidacy.Label.ASSOCIATION and not association.strip():
        raise ValidationError({"association": _("Give the name of the association.")})
    if election.candidacies.filter(person=person).exists():
        raise ValidationError(_("This person has already applied for this election."))
    candidacy = Candidacy(
        election=election,
        person=person,
        display_name=person.full_name,
        channel=channel,
        received_on=received_on,
        label=label,
        association=association.strip(),
        statement=statement.strip(),
        entered_by=actor if channel == Candidacy.Channel.PAPER else None,
    )
    if photo:
        candidacy.photo = photo
    candidacy.full_clean(exclude=["photo"])
    candidacy.save()
    log(
        election,
        ElectionEvent.Kind.CANDIDACY_RECEIVED,
        actor,
        _("Candidacy of %(name)s received (%(channel)s, %(date)s).")
        % {
            "name": candidacy.display_name,
            "channel": candidacy.get_channel_display(),
            "date": date_text(received_on),
        },
        {"candidacy": candidacy.pk, "channel": channel, "received_on": received_on.isoformat()},
    )
    return candidacy


@transaction.atomic
def candidacy_update(
    *, candidacy: Candidacy, label: str, association: str = "", statement: str = "", photo=None
) -> Candidacy:
    """The candidate's choice of what is shown after the name, statement and photo (until the list is published).
    A replaced photo's file is deleted once the change is committed."""
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.election.status not in {S.DRAFT, S.CANDIDACY}:
        raise ValidationError(_("The candidate list is published: it can no longer be changed."))
    if label == Candidacy.Label.ASSOCIATION and not association.strip():
        raise ValidationError({"association": _("Give the name of the association.")})
    candidacy.label = label
    candidacy.association = association.strip() if label == Candidacy.Label.ASSOCIATION else ""
    candidacy.statement = statement.strip()
    if photo:
        old = candidacy.photo
        if old:
            storage, name = old.storage, old.name
            transaction.on_commit(lambda: storage.delete(name))
        candidacy.photo = photo
    candidacy.save()
    return candidacy


@transaction.atomic
def candidacy_decide(
    *,
    candidacy: Candidacy,
    accept: bool,
    reason: str,
    charter_signed: bool,
    court_check_done: bool,
    actor: Any,
) -> Candidacy:
    candidacy = (
        Candidacy.objects.select_for_update().select_related("person", "election").get(pk=candidacy.pk)
    )
    election = candidacy.election
    if election.status != S.CANDIDACY:
        raise ValidationError(_("Candidacies can only be decided while the candidacy phase is open."))
    reason = reason.strip()
    if accept:
        problems = candidacy_eligibility_problems(election=election, person=candidacy.person)
        if not charter_signed:
            problems.append(_("The charter of democratic values is not signed."))
        if not court_check_done:
            problems.append(_("The check for a final court decision is not recorded."))
        if problems:
            raise ValidationError(problems)
    elif not reason:
        raise ValidationError({"reason": _("Give the reason for the refusal: the candidate will read it.")})
    candidacy.status = Candidacy.Status.ACCEPTED if accept else Candidacy.Status.REFUSED
    candidacy.decision_reason = reason
    candidacy.charter_signed = charter_signed
    candidacy.court_check_done = court_check_done
    candidacy.decided_at = timezone.now()
    candidacy.decided_by = user_or_none(actor)
    candidacy.save()
    log(
        election,
        ElectionEvent.Kind.CANDIDACY_DECIDED,
        actor,
        _("Candidacy of %(name)s %(decision)s.")
        % {"name": candidacy.display_name, "decision": candidacy.get_status_display()},
        {"candidacy": candidacy.pk, "status": candidacy.status, "reason": reason},
    )
    notifications.candidacy_decision_notify(candidacy=candidacy, actor=actor)
    return candidacy
