"""Guards of elections: what blocks a move to the next phase, what makes a person ineligible, and the refusals the
services share. Each guard returns, in words a worker understands, everything that blocks (empty: allowed).

The phases follow one another as `TRANSITIONS` says: each phase, the one after it and the guard of that move.
The services (`elections.services.phases`) pair each target phase with what moving there does.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import Person

from .models import DATE_FIELDS, BallotBox, Candidacy, Election
from .selectors import accepted_candidacies

S = Election.Status
Guard = Callable[[Election, datetime.datetime], list[str]]


def date_text(value: datetime.date) -> str:
    return date_format(value, "DATE_FORMAT")


def datetime_text(value: datetime.datetime) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- Phases -------------------------------------------------------------------------------------------------


def issues_before_candidacy(election: Election, now: datetime.datetime) -> list[str]:
    issues: list[str] = []
    missing = [
        str(Election._meta.get_field(name).verbose_name)
        for name in DATE_FIELDS
        if getattr(election, name) is None
    ]
    if missing:
        issues.append(_("Set these dates first: %(fields)s.") % {"fields": ", ".join(missing)})
    try:
        election.clean()
    except ValidationError as error:
        issues.extend(str(m) for messages in error.message_dict.values() for m in messages)
    if not election.stations.exists():
        issues.append(_("Add at least one polling station with its opening hours."))
    if election.candidacies_open_on and timezone.localdate(now) < election.candidacies_open_on:
        issues.append(
            _("Candidacies open on %(date)s: not yet.") % {"date": date_text(election.candidacies_open_on)}
        )
    return issues


def issues_before_candidate_list(election: Election, now: datetime.datetime) -> list[str]:
    issues: list[str] = []
    today = timezone.localdate(now)
    if today <= election.candidacies_close_on:
        issues.append(
            _("Candidacies close on %(date)s: wait until the day after.")
            % {"date": date_text(election.candidacies_close_on)}
        )
    if today < election.candidates_published_on:
        issues.append(
            _("The candidate list is published on %(date)s: not yet.")
            % {"date": date_text(election.candidates_published_on)}
        )
    pending = election.candidacies.filter(status=Candidacy.Status.SUBMITTED).count()
    if pending:
        issues.append(
            ngettext(
                "%(count)d candidacy is still waiting for a decision.",
                "%(count)d candidacies are still waiting for a decision.",
                pending,
            )
            % {"count": pending}
        )
    return issues + candidate_minimum_issues(election)


def issues_before_voting(election: Election, now: datetime.datetime) -> list[str]:
    issues: list[str] = []
    if now < election.voting_opens_at:
        issues.append(
            _("Voting opens at %(when)s: not yet.") % {"when": datetime_text(election.voting_opens_at)}
        )
    if election.roll_generated_at is None or not election.roll.filter(removed=False).exists():
        issues.append(_("Generate the electoral roll first."))
    return issues + candidate_minimum_issues(election) + key_issues(election)


def key_issues(election: Election) -> list[str]:
    """Online voting needs the key ceremony, held for the election's k of n, and every holder's share checked."""
    if not election.online_voting:
        return []
    box = BallotBox.objects.filter(election=election).prefetch_related("holders").first()
    if box is None:
        return [
            _(
                "Hold the key ceremony of the online ballot box: the %(n)d key holders must be present "
                "(%(k)d of them will be needed to open it)."
            )
            % {"n": election.key_holders, "k": election.key_threshold}
        ]
    holders = list(box.holders.all())
    if box.threshold != election.key_threshold or len(holders) != election.key_holders:
        return [
            _(
                "The key ceremony was held for %(k)d of %(n)d key holders; the settings now say %(k2)d of "
                "%(n2)d: hold it again."
            )
            % {
                "k": box.threshold,
                "n": len(holders),
                "k2": election.key_threshold,
                "n2": election.key_holders,
            }
        ]
    unchecked = [h.name for h in holders if h.checked_at is None]
    if unchecked:
        return [
            _("Key holders who have not yet typed their share back to check it: %(names)s.")
            % {"names": ", ".join(unchecked)}
        ]
    return []


def key_loss_warning(election: Election) -> str:
    """What losing shares means, said before the vote opens (not a blocker: a fact the committee accepts)."""
    lost = election.key_holders - election.key_threshold
    return ngettext(
        "If more than %(lost)d of the %(n)d key holders loses their share, the online ballots can never be "
        "decrypted nor counted (the paper ballots still can): nobody, not even the portal, can open the box "
        "without %(k)d shares.",
        "If more than %(lost)d of the %(n)d key holders lose their share, the online ballots can never be "
        "decrypted nor counted (the paper ballots still can): nobody, not even the portal, can open the box "
        "without %(k)d shares.",
        lost,
    ) % {"lost": lost, "n": election.key_holders, "k": election.key_threshold}


def issues_before_counting(election: Election, now: datetime.datetime) -> list[str]:
    if now < election.voting_closes_at:
        return [_("Voting closes at %(when)s: not yet.") % {"when": datetime_text(election.voting_closes_at)}]
    return []


def issues_before_results(election: Election, now: datetime.datetime) -> list[str]:
    issues = count_issues(election)
    if election.ballots.exists():  # sealed ballots wait in the box
        threshold = BallotBox.objects.filter(election=election).values_list("threshold", flat=True).first()
        issues.append(
            _("Open the online ballot box: %(k)d key holders enter their shares.") % {"k": threshold or 0}
        )
    return issues


def issues_before_final(election: Election, now: datetime.datetime) -> list[str]:
    if timezone.localdate(now) <= election.complaints_end_on:
        return [
            _("The complaint period ends on %(date)s: the result becomes final the day after.")
            % {"date": date_text(election.complaints_end_on)}
        ]
    return []


#: Each phase: the phase after it and the guard of that move.
TRANSITIONS: dict[str, tuple[str, Guard]] = {
    S.DRAFT: (S.CANDIDACY, issues_before_candidacy),
    S.CANDIDACY: (S.CANDIDATES_PUBLISHED, issues_before_candidate_list),
    S.CANDIDATES_PUBLISHED: (S.VOTING, issues_before_voting),
    S.VOTING: (S.COUNTING, issues_before_counting),
    S.COUNTING: (S.COMPLAINTS, issues_before_results),
    S.COMPLAINTS: (S.CLOSED, issues_before_final),
}
#: The phase that follows each phase.
NEXT_STATUS: dict[str, str] = {source: target for source, (target, _guard) in TRANSITIONS.items()}


def election_issues_before_advance(election: Election, now: datetime.datetime | None = None) -> list[str]:
    """What blocks the move to the next phase, in words a worker understands (empty: the move is allowed)."""
    if election.status not in TRANSITIONS:
        return [_("This election is final: there is no next phase.")]
    _target, guard = TRANSITIONS[election.status]
    return guard(election, now or timezone.now())


def candidate_minimum_issues(election: Election) -> list[str]:
    valid = accepted_candidacies(election).count()
    if valid < election.min_candidates:
        return [
            ngettext(
                "Only %(count)d valid candidate: the minimum is %(minimum)d.",
                "Only %(count)d valid candidates: the minimum is %(minimum)d.",
                valid,
            )
            % {"count": valid, "minimum": election.min_candidates}
        ]
    return []


def count_issues(election: Election) -> list[str]:
    """Every polling station's paper count entered, and explained where it differs from the check-ins."""
    issues = []
    checkins = dict(
        election.participations.exclude(station=None)
        .values_list("station")
        .annotate(n=Count("id"))
        .values_list("station", "n")
    )
    for station in election.stations.select_related("count"):
        count = getattr(station, "count", None)
        if count is None:
            issues.append(_("Enter the paper count of “%(station)s”.") % {"station": station.name})
            continue
        expected = checkins.get(station.pk, 0)
        if count.ballots != expected and not count.mismatch_explanation.strip():
            issues.append(
                _(
                    "“%(station)s”: %(ballots)d ballots in the box but %(checkins)d check-ins. "
                    "Explain the difference before the results can be computed."
                )
                % {"station": station.name, "ballots": count.ballots, "checkins": expected}
            )
    return issues


# --- Persons ------------------------------------------------------------------------------------------------


def candidacy_eligibility_problems(*, election: Election, person: Person) -> list[str]:
    """What makes a person ineligible as a candidate, checked against the register (empty: eligible)."""
    election_day = election.voting_date or timezone.localdate()
    problems = []
    if not Person.objects.current(timezone.localdate()).filter(pk=person.pk).exists():
        problems.append(_("Not living in a dwelling of the company today."))
    if person.role not in {Person.Role.LEASE_HOLDER, Person.Role.MEMBER}:
        problems.append(_("Neither lease holder nor registered household member."))
    if person.age_on(election_day) < election.candidate_min_age:
        problems.append(_("Younger than %(age)d on election day.") % {"age": election.candidate_min_age})
    months = (
        (election_day.year - person.registered_on.year) * 12 + election_day.month - person.registered_on.month
    )
    if election_day.day < person.registered_on.day:
        months -= 1
    if months < election.candidate_min_months:
        problems.append(
            _("Registered at the company for %(months)d months on election day: %(minimum)d are needed.")
            % {"months": max(months, 0), "minimum": election.candidate_min_months}
        )
    return problems


# --- Refusals shared by the services ------------------------------------------------------------------------


def refuse_if_roll_frozen(election: Election) -> None:
    if election.rules_frozen:
        raise ValidationError(_("The roll is frozen since voting opened: it can no longer be changed."))


def refuse_unless_voting(election: Election, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if election.status != S.VOTING or now < election.voting_opens_at or now >= election.voting_closes_at:
        raise ValidationError(_("Voting is not open."))


def refuse_unless_online(election: Election) -> None:
    refuse_unless_voting(election)
    if not election.online_voting:
        raise ValidationError(_("Online voting is not available for this election."))
