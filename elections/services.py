"""State changes of elections: keyword-only and atomic, locking the election or roll entry they change.
Administrative actions log an `ElectionEvent`; voting itself (`voter_check_in`, `ballot_cast`) logs nothing, so
that no log line can be matched with a ballot. Guards (`election_issues_before_advance`) list in plain words
what blocks a transition; reads (`eligible_voters`, `participation_counts`, `roll_search`) sit here too."""

from __future__ import annotations

import datetime
import secrets
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from portal.models import Person

from . import codes, notifications, tally
from .models import (
    Ballot,
    BallotChoice,
    Candidacy,
    CandidateResult,
    Election,
    ElectionEvent,
    ElectionResult,
    Participation,
    PollingStation,
    RollEntry,
    StationCandidateCount,
    StationCount,
)

S = Election.Status
#: The phase that follows each phase.
NEXT_STATUS = {
    S.DRAFT: S.CANDIDACY,
    S.CANDIDACY: S.CANDIDATES_PUBLISHED,
    S.CANDIDATES_PUBLISHED: S.VOTING,
    S.VOTING: S.COUNTING,
    S.COUNTING: S.COMPLAINTS,
    S.COMPLAINTS: S.CLOSED,
}
#: Failed code attempts after which a roll entry can only vote at a polling station.
MAX_CODE_ATTEMPTS = 5
ALREADY_VOTED = gettext_lazy("This voter has already voted. A second vote is not possible, by any channel.")


def _log(election: Election, kind: str, actor: Any, summary: str, data: dict | None = None) -> ElectionEvent:
    return ElectionEvent.objects.create(
        election=election,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        summary=summary[:300],
        data=data or {},
    )


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _today(now: datetime.datetime | None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


# --- Guards -------------------------------------------------------------------------------------------------


def accepted_candidacies(election: Election):
    return election.candidacies.filter(status=Candidacy.Status.ACCEPTED)


def election_issues_before_advance(election: Election, now: datetime.datetime | None = None) -> list[str]:
    """What blocks the move to the next phase, in words a worker understands (empty: the move is allowed)."""
    now = now or timezone.now()
    today = _today(now)
    target = NEXT_STATUS.get(election.status)
    if target is None:
        return [_("This election is final: there is no next phase.")]
    issues: list[str] = []
    if target == S.CANDIDACY:
        missing = [
            str(Election._meta.get_field(name).verbose_name)
            for name in (
                "roll_reference_date",
                "candidacies_open_on",
                "candidacies_close_on",
                "candidates_published_on",
                "voting_opens_at",
                "voting_closes_at",
                "complaints_end_on",
            )
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
        if election.candidacies_open_on and today < election.candidacies_open_on:
            issues.append(
                _("Candidacies open on %(date)s: not yet.") % {"date": _date(election.candidacies_open_on)}
            )
    elif target == S.CANDIDATES_PUBLISHED:
        if today <= election.candidacies_close_on:
            issues.append(
                _("Candidacies close on %(date)s: wait until the day after.")
                % {"date": _date(election.candidacies_close_on)}
            )
        if today < election.candidates_published_on:
            issues.append(
                _("The candidate list is published on %(date)s: not yet.")
                % {"date": _date(election.candidates_published_on)}
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
        issues.extend(_candidate_minimum_issues(election))
    elif target == S.VOTING:
        if now < election.voting_opens_at:
            issues.append(
                _("Voting opens at %(when)s: not yet.") % {"when": _datetime(election.voting_opens_at)}
            )
        if election.roll_generated_at is None or not election.roll.filter(removed=False).exists():
            issues.append(_("Generate the electoral roll first."))
        issues.extend(_candidate_minimum_issues(election))
    elif target == S.COUNTING:
        if now < election.voting_closes_at:
            issues.append(
                _("Voting closes at %(when)s: not yet.") % {"when": _datetime(election.voting_closes_at)}
            )
    elif target == S.COMPLAINTS:
        issues.extend(_count_issues(election))
    elif target == S.CLOSED and today <= election.complaints_end_on:
        issues.append(
            _("The complaint period ends on %(date)s: the result becomes final the day after.")
            % {"date": _date(election.complaints_end_on)}
        )
    return issues


def _candidate_minimum_issues(election: Election) -> list[str]:
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


def _count_issues(election: Election) -> list[str]:
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


def _date(value: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(value, "DATE_FORMAT")


def _datetime(value: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(value), "DATETIME_FORMAT")


# --- Phases -------------------------------------------------------------------------------------------------


@transaction.atomic
def election_advance(*, election: Election, actor: Any, now: datetime.datetime | None = None) -> Election:
    """Move to the next phase, refusing while the guard lists anything."""
    now = now or timezone.now()
    given, election = election, _locked(election)
    issues = election_issues_before_advance(election, now)
    if issues:
        raise ValidationError(issues)
    previous = election.status
    target = NEXT_STATUS[election.status]
    if target == S.CANDIDATES_PUBLISHED:
        _order_candidate_list(election, actor)
    elif target == S.VOTING:
        election.roll_frozen_at = now
        _log(
            election,
            ElectionEvent.Kind.ROLL_FROZEN,
            actor,
            _("Roll frozen with %(count)d voters.") % {"count": election.roll.filter(removed=False).count()},
        )
    elif target == S.COUNTING:
        _reseal_ballot_box(election, actor)
    elif target == S.COMPLAINTS:
        _compute_results(election, actor, now)
    elif target == S.CLOSED:
        ElectionResult.objects.filter(election=election).update(final_at=now)
        _log(election, ElectionEvent.Kind.RESULT_FINAL, actor, _("The result is final."))
        _purge_participation(election, actor, now)
    election.status = target
    election.save(update_fields=["status", "roll_frozen_at", "participation_purged_at"])
    _log(
        election,
        ElectionEvent.Kind.PHASE_CHANGED,
        actor,
        _("Phase: %(phase)s.") % {"phase": election.get_status_display()},
        {"from": previous, "to": target},
    )
    given.refresh_from_db()
    return election


def _order_candidate_list(election: Election, actor: Any) -> None:
    candidacies = list(accepted_candidacies(election).select_related("person"))
    if election.candidate_order == Election.CandidateOrder.LOT:
        secrets.SystemRandom().shuffle(candidacies)
        _log(
            election,
            ElectionEvent.Kind.LIST_ORDER_DRAWN,
            actor,
            _("Order of the candidate list drawn by lot."),
            {"order": [c.pk for c in candidacies], "names": [c.display_name for c in candidacies]},
        )
    else:
        candidacies.sort(key=lambda c: (c.person.last_name.casefold(), c.person.first_name.casefold()))
    for position, candidacy in enumerate(candidacies, start=1):
        candidacy.position = position
        candidacy.label_text = _label_text(candidacy)
        candidacy.save(update_fields=["position", "label_text"])


def _label_text(candidacy: Candidacy) -> str:
    person = candidacy.person
    if candidacy.label == Candidacy.Label.STREET:
        return person.household.dwelling.building.street
    if candidacy.label == Candidacy.Label.NEIGHBOURHOOD:
        return person.household.dwelling.building.site.neighbourhood.name_fr
    if candidacy.label == Candidacy.Label.ASSOCIATION:
        return candidacy.association
    return ""


# --- Roll ---------------------------------------------------------------------------------------------------


def eligible_voters(election: Election, today: datetime.date | None = None):
    """Persons of the minimum age on election day, living in a dwelling of the company since the reference date
    and still today."""
    today = today or timezone.localdate()
    reference = election.roll_reference_date
    election_day = election.voting_date or today
    born_before = _years_before(election_day, election.voter_min_age)
    return (
        Person.objects.current(today)
        .filter(start_date__lte=reference, household__start_date__lte=reference, birth_date__lte=born_before)
        .distinct()
    )


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _refuse_if_frozen(election: Election) -> None:
    if election.roll_frozen_at is not None or election.status not in {
        S.DRAFT,
        S.CANDIDACY,
        S.CANDIDATES_PUBLISHED,
    }:
        raise ValidationError(_("The roll is frozen since voting opened: it can no longer be changed."))


@transaction.atomic
def roll_generate(*, election: Election, actor: Any) -> int:
    """Add every eligible person not yet on the roll (idempotent). Returns how many were added."""
    election = _locked(election)
    _refuse_if_frozen(election)
    if election.roll_reference_date is None:
        raise ValidationError(_("Set the roll reference date first."))
    present = set(election.roll.values_list("person_id", flat=True))
    new_entries = []
    for person_id in eligible_voters(election).values_list("pk", flat=True):
        if person_id in present:
            continue
        seed = codes.new_seed()
        new_entries.append(
            RollEntry(
                election=election,
                person_id=person_id,
                code_seed=seed,
                code_hash=codes.code_hash(codes.code_from_seed(seed)),
            )
        )
    RollEntry.objects.bulk_create(new_entries, batch_size=1000)
    election.roll_generated_at = timezone.now()
    election.save(update_fields=["roll_generated_at"])
    _log(
        election,
        ElectionEvent.Kind.ROLL_GENERATED,
        actor,
        _("Roll generated from the register: %(added)d added, %(total)d voters.")
        % {"added": len(new_entries), "total": election.roll.filter(removed=False).count()},
        {"added": len(new_entries), "reference_date": election.roll_reference_date.isoformat()},
    )
    return len(new_entries)


@transaction.atomic
def roll_entry_add(*, election: Election, person: Person, reason: str, actor: Any) -> RollEntry:
    election = _locked(election)
    _refuse_if_frozen(election)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this correction.")})
    entry = election.roll.filter(person=person).first()
    if entry is not None and not entry.removed:
        raise ValidationError({"person": _("This person is already on the roll.")})
    if entry is None:
        seed = codes.new_seed()
        entry = RollEntry.objects.create(
            election=election,
            person=person,
            code_seed=seed,
            code_hash=codes.code_hash(codes.code_from_seed(seed)),
        )
    else:
        entry.removed = False
        entry.save(update_fields=["removed"])
    _log(
        election,
        ElectionEvent.Kind.ROLL_CORRECTED,
        actor,
        _("Voter added to the roll."),
        {"action": "added", "roll_entry": entry.pk, "reason": reason.strip()},
    )
    return entry


@transaction.atomic
def roll_entry_remove(*, entry: RollEntry, reason: str, actor: Any) -> RollEntry:
    election = _locked(entry.election)
    _refuse_if_frozen(election)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for this correction.")})
    entry = RollEntry.objects.select_for_update().get(pk=entry.pk)
    entry.removed = True
    entry.save(update_fields=["removed"])
    _log(
        election,
        ElectionEvent.Kind.ROLL_CORRECTED,
        actor,
        _("Voter removed from the roll."),
        {"action": "removed", "roll_entry": entry.pk, "reason": reason.strip()},
    )
    return entry


# --- Candidacies --------------------------------------------------------------------------------------------


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
    election = _locked(election)
    received_on = received_on or timezone.localdate()
    if election.status != S.CANDIDACY:
        raise ValidationError(_("Candidacies are not open for this election."))
    if channel == Candidacy.Channel.ONLINE and timezone.localdate() > election.candidacies_close_on:
        raise ValidationError(
            _("Candidacies closed on %(date)s.") % {"date": _date(election.candidacies_close_on)}
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
    _log(
        election,
        ElectionEvent.Kind.CANDIDACY_RECEIVED,
        actor,
        _("Candidacy of %(name)s received (%(channel)s, %(date)s).")
        % {
            "name": candidacy.display_name,
            "channel": candidacy.get_channel_display(),
            "date": _date(received_on),
        },
        {"candidacy": candidacy.pk, "channel": channel, "received_on": received_on.isoformat()},
    )
    return candidacy


@transaction.atomic
def candidacy_update(
    *, candidacy: Candidacy, label: str, association: str = "", statement: str = "", photo=None
) -> Candidacy:
    """The candidate's choice of what is shown after the name, statement and photo (until the list is published)."""
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if candidacy.election.status not in {S.DRAFT, S.CANDIDACY}:
        raise ValidationError(_("The candidate list is published: it can no longer be changed."))
    if label == Candidacy.Label.ASSOCIATION and not association.strip():
        raise ValidationError({"association": _("Give the name of the association.")})
    candidacy.label = label
    candidacy.association = association.strip() if label == Candidacy.Label.ASSOCIATION else ""
    candidacy.statement = statement.strip()
    if photo:
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
    candidacy.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidacy.save()
    _log(
        election,
        ElectionEvent.Kind.CANDIDACY_DECIDED,
        actor,
        _("Candidacy of %(name)s %(decision)s.")
        % {"name": candidacy.display_name, "decision": candidacy.get_status_display()},
        {"candidacy": candidacy.pk, "status": candidacy.status, "reason": reason},
    )
    notifications.candidacy_decision_notify(candidacy=candidacy, actor=actor)
    return candidacy


@transaction.atomic
def election_invitations_send(*, election: Election, actor: Any, entry: RollEntry | None = None):
    """Invitation letters (and e-mails) to every voter on the roll, or to one voter again (a lost letter)."""
    election = _locked(election)
    if election.status not in {S.CANDIDATES_PUBLISHED, S.VOTING} or election.voting_has_closed():
        raise ValidationError(
            _("Invitations are sent once the candidate list is published, until voting closes.")
        )
    entries = election.roll.filter(removed=False)
    if entry is not None:
        entries = entries.filter(pk=entry.pk)
    persons = list(entries.values_list("person_id", flat=True))
    if not persons:
        raise ValidationError(_("Generate the electoral roll first."))
    batch = notifications.invitations_send(election=election, persons=persons, actor=actor)
    _log(
        election,
        ElectionEvent.Kind.INVITATIONS_SENT,
        actor,
        ngettext("Invitation sent to %(count)d voter.", "Invitations sent to %(count)d voters.", len(persons))
        % {"count": len(persons)},
        {"batch": batch.pk, "count": len(persons), "single": entry is not None},
    )
    return batch


# --- Voting -------------------------------------------------------------------------------------------------


def _refuse_unless_voting(election: Election, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    if election.status != S.VOTING or now < election.voting_opens_at or now >= election.voting_closes_at:
        raise ValidationError(_("Voting is not open."))


def _lock_voter(election: Election, roll_entry_id: int, with_person: bool = True) -> RollEntry:
    entries = RollEntry.objects.select_for_update(of=("self",)).filter(
        election=election, pk=roll_entry_id, removed=False
    )
    # The online cast never shows the person: it locks the entry alone (no join, no sort by name).
    entry = entries.select_related("person").first() if with_person else entries.order_by().first()
    if entry is None:
        raise ValidationError(_("This person is not on the electoral roll."))
    if Participation.objects.filter(roll_entry=entry).exists():
        raise ValidationError(ALREADY_VOTED)
    return entry


def _participate(**fields) -> Participation:
    try:
        with transaction.atomic():
            return Participation.objects.create(**fields)
    except IntegrityError as error:  # the unique roll entry: a second vote that slipped past the lock
        raise ValidationError(ALREADY_VOTED) from error


@transaction.atomic
def voter_check_in(
    *,
    election: Election,
    station: PollingStation,
    roll_entry_id: int,
    proxy_holder_id: int | None = None,
    actor: Any = None,
) -> Participation:
    """The committee checks a voter in at a station (or the holder of their proxy); the voter then votes on paper."""
    election = Election.objects.get(pk=election.pk)
    _refuse_unless_voting(election)
    if station.election_id != election.pk:
        raise ValidationError(_("This polling station belongs to another election."))
    holder = None
    if proxy_holder_id is not None:
        if not election.proxies_allowed:
            raise ValidationError(_("Proxies are not allowed in this election."))
        if proxy_holder_id == roll_entry_id:
            raise ValidationError(_("A voter cannot hold their own proxy."))
        # Lock the holder first (always in this order) so two proxies for one holder cannot both pass the limit.
        holder = (
            RollEntry.objects.select_for_update(of=("self",))
            .filter(election=election, pk=proxy_holder_id, removed=False)
            .first()
        )
        if holder is None:
            raise ValidationError(_("The proxy holder is not on the electoral roll."))
        if Participation.objects.filter(proxy_holder=holder).count() >= election.proxies_per_holder:
            raise ValidationError(
                ngettext(
                    "This person already holds %(count)d proxy: that is the limit.",
                    "This person already holds %(count)d proxies: that is the limit.",
                    election.proxies_per_holder,
                )
                % {"count": election.proxies_per_holder}
            )
    entry = _lock_voter(election, roll_entry_id)
    return _participate(
        election=election,
        roll_entry=entry,
        channel=Participation.Channel.PROXY if holder else Participation.Channel.STATION,
        station=station,
        proxy_holder=holder,
    )


def voter_identify(*, election: Election, code: str, birth_date: datetime.date) -> RollEntry:
    """Online: the personal code and the date of birth identify a voter. A wrong date of birth counts against the
    roll entry (saved even though the answer is a refusal); after MAX_CODE_ATTEMPTS the code is blocked and the
    voter can still vote at a polling station. Attempts per IP address are limited by the view."""
    election = Election.objects.get(pk=election.pk)
    _refuse_unless_voting(election)
    if not election.online_voting:
        raise ValidationError(_("Online voting is not available for this election."))
    generic = _("This code and date of birth do not match. Check the letter and try again.")
    with transaction.atomic():
        entry = (
            RollEntry.objects.select_for_update(of=("self",))
            .select_related("person")
            .filter(election=election, code_hash=codes.code_hash(code), removed=False)
            .exclude(code_hash="")
            .first()
        )
        if entry is None:
            raise ValidationError(generic)
        if entry.failed_attempts >= MAX_CODE_ATTEMPTS:
            raise ValidationError(
                _("This code is blocked after too many attempts. You can still vote at a polling station.")
            )
        mismatch = entry.person.birth_date != birth_date
        if mismatch:
            entry.failed_attempts += 1
            entry.save(update_fields=["failed_attempts"])
    if mismatch:
        raise ValidationError(generic)
    if Participation.objects.filter(roll_entry=entry).exists():
        raise ValidationError(ALREADY_VOTED)
    return entry


def voter_for_account(*, election: Election, person: Person | None, birth_date: datetime.date) -> RollEntry:
    """Online through a linked account: the account's person, confirmed by the date of birth."""
    election = Election.objects.get(pk=election.pk)
    _refuse_unless_voting(election)
    if not election.online_voting:
        raise ValidationError(_("Online voting is not available for this election."))
    entry = (
        election.roll.filter(person=person, removed=False).select_related("person").first()
        if person
        else None
    )
    if entry is None:
        raise ValidationError(_("Your account is not on the electoral roll of this election."))
    if entry.person.birth_date != birth_date:
        raise ValidationError({"birth_date": _("This date of birth does not match our register.")})
    if Participation.objects.filter(roll_entry=entry).exists():
        raise ValidationError(ALREADY_VOTED)
    return entry


@transaction.atomic
def ballot_cast(*, election: Election, roll_entry_id: int, choices: list[int]) -> str:
    """Record an online vote: the participation (who) and the ballot (what) in one transaction, under a lock of the
    roll entry. Returns the receipt code, shown once to the voter and stored only on the ballot."""
    election = Election.objects.get(pk=election.pk)
    _refuse_unless_voting(election)
    if not election.online_voting:
        raise ValidationError(_("Online voting is not available for this election."))
    allowed = list(accepted_candidacies(election).order_by().values_list("pk", flat=True))  # no sort by name
    problems = tally.ballot_problems(choices, allowed=allowed, max_choices=election.choices_allowed)
    if problems:
        raise ValidationError(
            ngettext(
                "Choose at most %(count)d candidate, from the list.",
                "Choose at most %(count)d candidates, from the list.",
                election.choices_allowed,
            )
            % {"count": election.choices_allowed}
        )
    entry = _lock_voter(election, roll_entry_id, with_person=False)
    _participate(election=election, roll_entry=entry, channel=Participation.Channel.ONLINE)
    receipt = codes.new_receipt()
    ballot = Ballot.objects.create(election=election, receipt=receipt, blank=not choices)
    BallotChoice.objects.bulk_create([BallotChoice(ballot=ballot, candidacy_id=c) for c in choices])
    return receipt


def _reseal_ballot_box(election: Election, actor: Any) -> int:
    """Rewrite the online ballots, in a random order, in this one transaction, when voting closes.

    A ballot and its participation record are written in the same transaction (no double voting), so until now
    PostgreSQL's own row metadata could pair them for someone reading the database directly: the transaction id
    of each row (`xmin`) and the rows' physical order. Rewritten together, every ballot carries the same
    transaction id and a shuffled place; receipts and choices are unchanged, so counts and receipt checks are too.
    The old row versions are removed by the vacuum queued after commit.
    """
    rows = list(Ballot.objects.filter(election=election).values_list("id", "receipt", "blank"))
    choices: dict[Any, list[int]] = {}
    for ballot_id, candidacy_id in BallotChoice.objects.filter(ballot__election=election).values_list(
        "ballot_id", "candidacy_id"
    ):
        choices.setdefault(ballot_id, []).append(candidacy_id)
    secrets.SystemRandom().shuffle(rows)
    BallotChoice.objects.filter(ballot__election=election).delete()
    Ballot.objects.filter(election=election).delete()
    new_ballots, new_choices = [], []
    for old_id, receipt, blank in rows:
        ballot = Ballot(id=uuid.uuid4(), election=election, receipt=receipt, blank=blank)
        new_ballots.append(ballot)
        new_choices += [BallotChoice(ballot=ballot, candidacy_id=c) for c in choices.get(old_id, [])]
    Ballot.objects.bulk_create(new_ballots)
    BallotChoice.objects.bulk_create(new_choices)
    _log(
        election,
        ElectionEvent.Kind.BALLOTS_RESEALED,
        actor,
        _("Online ballot box resealed: %(count)d ballots rewritten in a random order.")
        % {"count": len(rows)},
    )
    transaction.on_commit(_vacuum_ballots)
    return len(rows)


def _vacuum_ballots() -> None:
    """Drop the old row versions of the ballots now (PostgreSQL only; VACUUM cannot run inside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {Ballot._meta.db_table}, {BallotChoice._meta.db_table}")


# --- Count and results --------------------------------------------------------------------------------------


@transaction.atomic
def station_count_enter(
    *,
    station: PollingStation,
    ballots: int,
    blank: int,
    void: int,
    votes: dict[int, int],
    explanation: str = "",
    actor: Any,
) -> StationCount:
    """The committee's paper count at closing (may be corrected until the results are published)."""
    election = _locked(station.election)
    if election.status != S.COUNTING:
        raise ValidationError(_("The paper count is entered after voting closes, before the results."))
    allowed = set(accepted_candidacies(election).values_list("pk", flat=True))
    if set(votes) != allowed:
        raise ValidationError(_("Enter a number of votes for every candidate."))
    if any(v < 0 for v in [ballots, blank, void, *votes.values()]):
        raise ValidationError(_("Numbers cannot be negative."))
    if blank + void > ballots:
        raise ValidationError(
            {"blank": _("Blank and void ballots cannot be more than the ballots in the box.")}
        )
    valid_ballots = ballots - blank - void
    if sum(votes.values()) > valid_ballots * election.choices_allowed:
        raise ValidationError(
            _("%(votes)d votes is more than %(ballots)d valid ballots can hold.")
            % {"votes": sum(votes.values()), "ballots": valid_ballots}
        )
    count, _created = StationCount.objects.update_or_create(
        station=station,
        defaults={
            "ballots": ballots,
            "blank": blank,
            "void": void,
            "mismatch_explanation": explanation.strip(),
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
            "entered_at": timezone.now(),
        },
    )
    count.lines.all().delete()
    StationCandidateCount.objects.bulk_create(
        [StationCandidateCount(count=count, candidacy_id=c, votes=v) for c, v in votes.items()]
    )
    checkins = station.participations.count()
    _log(
        election,
        ElectionEvent.Kind.COUNT_ENTERED,
        actor,
        _("Paper count of “%(station)s”: %(ballots)d ballots, %(checkins)d check-ins.")
        % {"station": station.name, "ballots": ballots, "checkins": checkins},
        {
            "station": station.pk,
            "ballots": ballots,
            "blank": blank,
            "void": void,
            "votes": {str(k): v for k, v in votes.items()},
            "checkins": checkins,
            "explanation": explanation.strip(),
        },
    )
    return count


def _compute_results(election: Election, actor: Any, now: datetime.datetime) -> ElectionResult:
    candidacies = list(accepted_candidacies(election).select_related("person"))
    ids = [c.pk for c in candidacies]
    online_lists: dict[Any, list[int]] = {}
    for ballot_id, candidacy_id in BallotChoice.objects.filter(ballot__election=election).values_list(
        "ballot_id", "candidacy_id"
    ):
        online_lists.setdefault(ballot_id, []).append(candidacy_id)
    online_ballots = election.ballots.count()
    online_totals, _ignored = tally.count_online(online_lists.values())
    online_blank = election.ballots.filter(blank=True).count()
    paper: dict[int, int] = {}
    for candidacy_id, votes in StationCandidateCount.objects.filter(
        count__station__election=election
    ).values_list("candidacy_id", "votes"):
        paper[candidacy_id] = paper.get(candidacy_id, 0) + votes
    counts = list(StationCount.objects.filter(station__election=election))
    paper_ballots = sum(c.ballots for c in counts)
    totals = tally.add_votes(online_totals, paper, candidates=ids)
    tie_order: list[int] = []
    groups = tally.tied_groups(totals)
    if groups:
        if election.tie_rule == Election.TieRule.OLDEST:
            tie_order = [c.pk for c in sorted(candidacies, key=lambda c: (c.person.birth_date, c.pk))]
        else:
            tie_order = list(ids)
            secrets.SystemRandom().shuffle(tie_order)
            names = {c.pk: c.display_name for c in candidacies}
            _log(
                election,
                ElectionEvent.Kind.TIE_DRAWN,
                actor,
                _("Ties broken by a draw: %(order)s.")
                % {"order": "; ".join(" > ".join(names[c] for c in tie_order if c in g) for g in groups)},
                {"groups": groups, "order": tie_order},
            )
    voters = election.participations.count()
    roll_size = election.roll.filter(removed=False).count()
    outcome = tally.allocate(
        totals=totals,
        seats=election.seats,
        tie_order=tie_order,
        blank=online_blank + sum(c.blank for c in counts),
        void=sum(c.void for c in counts),
        voters=voters,
        roll_size=roll_size,
        quorum_percent=election.quorum_percent,
    )
    result = ElectionResult.objects.create(
        election=election,
        roll_size=roll_size,
        voters=voters,
        online_ballots=online_ballots,
        paper_ballots=paper_ballots,
        blank=outcome.blank,
        void=outcome.void,
        turnout_percent=outcome.turnout_percent,
        valid=outcome.valid,
        tie_draw=tie_order if groups else [],
        computed_at=now,
    )
    CandidateResult.objects.bulk_create(
        [
            CandidateResult(
                result=result,
                candidacy_id=r.candidate,
                online_votes=online_totals.get(r.candidate, 0),
                paper_votes=paper.get(r.candidate, 0),
                votes=r.votes,
                rank=r.rank,
                outcome=r.outcome,
            )
            for r in outcome.ranking
        ]
    )
    _log(
        election,
        ElectionEvent.Kind.RESULTS_PUBLISHED,
        actor,
        (
            _("Results published: valid election, turnout %(turnout)s %%.")
            if outcome.valid
            else _("Results published: invalid election (turnout %(turnout)s %% under the quorum).")
        )
        % {"turnout": outcome.turnout_percent},
        {
            "voters": voters,
            "roll_size": roll_size,
            "valid": outcome.valid,
            "totals": {str(k): v for k, v in totals.items()},
        },
    )
    return result


def _purge_participation(election: Election, actor: Any, now: datetime.datetime) -> None:
    """After the complaint period: who voted and the codes are deleted; the counts stay on ElectionResult."""
    deleted, _details = Participation.objects.filter(election=election).delete()
    election.roll.update(code_seed="", code_hash="", failed_attempts=0)
    RollEntry.objects.filter(election=election).delete()
    notifications.invitation_letters_delete(election=election)
    election.participation_purged_at = now
    _log(
        election,
        ElectionEvent.Kind.PARTICIPATION_PURGED,
        actor,
        _("Participation records and voting codes deleted (%(count)d records); counts kept.")
        % {"count": deleted},
    )


@transaction.atomic
def election_rerun(*, election: Election, actor: Any) -> Election:
    """An invalid election is re-run: a new election with the same settings and a new candidacy round."""
    election = _locked(election)
    result = getattr(election, "result", None)
    if result is None or result.valid:
        raise ValidationError(_("Only an election declared invalid can be re-run."))
    if Election.objects.filter(previous=election).exists():
        raise ValidationError(_("A re-run of this election already exists."))
    rerun = Election.objects.get(pk=election.pk)
    rerun.pk = None
    rerun.id = None
    rerun.previous = election
    rerun.status = S.DRAFT
    rerun.slug = f"{election.slug}-2"[:80]
    n = 2
    while Election.objects.filter(slug=rerun.slug).exists():
        n += 1
        rerun.slug = f"{election.slug}-{n}"[:80]
    for name in (
        "roll_reference_date",
        "candidacies_open_on",
        "candidacies_close_on",
        "candidates_published_on",
        "voting_opens_at",
        "voting_closes_at",
        "complaints_end_on",
        "roll_generated_at",
        "roll_frozen_at",
        "participation_purged_at",
    ):
        setattr(rerun, name, None)
    rerun._state.adding = True
    rerun.save()
    for station in election.stations.all():
        PollingStation.objects.create(
            election=rerun,
            name=station.name,
            address=station.address,
            accessibility=station.accessibility,
            opens_at=station.opens_at,
            closes_at=station.closes_at,
        )
    _log(
        election,
        ElectionEvent.Kind.RERUN_CREATED,
        actor,
        _("Re-run created: %(slug)s.") % {"slug": rerun.slug},
    )
    _log(
        rerun,
        ElectionEvent.Kind.CREATED,
        actor,
        _("Re-run of an invalid election, with a new candidacy round."),
    )
    return rerun


@transaction.atomic
def election_create(*, actor: Any, **fields) -> Election:
    election = Election(**fields)
    election.full_clean()
    election.save()
    _log(election, ElectionEvent.Kind.CREATED, actor, _("Election created."))
    return election


def participation_counts(election: Election) -> dict[str, int]:
    """For the committee during voting: how many voted by channel (never what)."""
    rows = election.participations.values("channel").annotate(n=Count("id"))
    counts = {row["channel"]: row["n"] for row in rows}
    counts["total"] = sum(counts.values())
    counts["roll"] = election.roll.filter(removed=False).count()
    return counts


def roll_search(election: Election, query: str, limit: int = 20):
    """Find voters on the roll by name, address or voting code (committee tablet)."""
    query = (query or "").strip()
    entries = election.roll.filter(removed=False).select_related(
        "person__household__dwelling__building", "participation"
    )
    if not query:
        return entries.none()
    normalised = codes.normalise(query)
    condition = Q()
    for word in query.split():
        condition &= (
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__household__dwelling__building__street__icontains=word)
            | Q(person__household__dwelling__building__number__iexact=word)
        )
    if len(normalised) == codes.CODE_LENGTH:
        condition |= Q(code_hash=codes.code_hash(normalised))
    return entries.filter(condition)[:limit]
