"""The rules of an election (its settings and dates) and its polling stations: set freely, and logged, until the
roll is frozen when voting opens; after that only what `CORRECTABLE_WHEN_FROZEN` names may be corrected, with a
reason written to the election log. The Wagtail admin changes these records only through these services."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..guards import date_text, datetime_text
from ..models import CORRECTABLE_WHEN_FROZEN, SETTINGS, Election, ElectionEvent, PollingStation
from ._common import locked, log

S = Election.Status


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _label(name: str) -> str:
    return str(Election._meta.get_field(name).verbose_name)


def _differences(election: Election, changes: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    unknown = set(changes) - set(SETTINGS)
    if unknown:
        raise ValueError(f"Not settings of an election: {sorted(unknown)}")
    return {
        name: (getattr(election, name), new)
        for name, new in changes.items()
        if getattr(election, name) != new
    }


def _apply(election: Election, diff: dict[str, tuple[Any, Any]]) -> dict[str, list[Any]]:
    """Save the new values; returns each change as [old, new] as stored (for the log)."""
    for name, (_old, new) in diff.items():
        setattr(election, name, new)
    election.full_clean()
    election.save(update_fields=list(diff))
    election.refresh_from_db(fields=list(diff))
    return {name: [_jsonable(old), _jsonable(getattr(election, name))] for name, (old, _new) in diff.items()}


def _frozen_message() -> str:
    return _(
        "The rules of this election are frozen since the roll was frozen when voting opened. A correction "
        "needs a reason: use “Correct the rules” on the election desk."
    )


@transaction.atomic
def election_settings_update(*, election: Election, changes: dict[str, Any], actor: Any) -> Election:
    """Change settings and dates before voting opens; every change is logged with its old and new value."""
    election = locked(election)
    if election.rules_frozen:
        raise ValidationError(_frozen_message())
    diff = _differences(election, changes)
    if not diff:
        return election
    stored = _apply(election, diff)
    log(
        election,
        ElectionEvent.Kind.SETTINGS_CHANGED,
        actor,
        _("Settings changed: %(fields)s.") % {"fields": ", ".join(_label(name) for name in diff)},
        {"changes": stored},
    )
    return election


def _correction_problems(
    election: Election, diff: dict[str, tuple[Any, Any]], now: datetime.datetime
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for name, (old, new) in diff.items():
        if name not in CORRECTABLE_WHEN_FROZEN:
            problems[name] = _("“%(field)s” cannot change once the roll is frozen.") % {"field": _label(name)}
        elif name == "voting_closes_at":
            if election.status != S.VOTING or now >= old:
                problems[name] = _("Voting has closed: its closing time can no longer change.")
            elif new is None or new <= old:
                problems[name] = _("The closing time can only be extended: choose a time after %(when)s.") % {
                    "when": datetime_text(old)
                }
        elif name == "complaints_end_on":
            if timezone.localdate(now) > old:
                problems[name] = _("The complaint period has ended: it can no longer be extended.")
            elif new is None or new <= old:
                problems[name] = _(
                    "The complaint period can only be extended: choose a day after %(date)s."
                ) % {"date": date_text(old)}
    return problems


@transaction.atomic
def election_rules_correct(
    *,
    election: Election,
    changes: dict[str, Any],
    reason: str,
    actor: Any,
    now: datetime.datetime | None = None,
) -> Election:
    """A correction of frozen rules, with its reason in the election log: extending the closing time before it
    has passed, extending the complaint period before it has ended, the public "how to vote" text. The quorum,
    the seats, the voting method, proxies and every other rule never change once the roll is frozen."""
    now = now or timezone.now()
    election = locked(election)
    reason = reason.strip()
    if not election.rules_frozen:
        raise ValidationError(_("The rules are not frozen yet: change them in the election's settings."))
    if election.status == S.CLOSED:
        raise ValidationError(_("The result is final: the rules can no longer be corrected."))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this correction: it is written to the log.")})
    diff = _differences(election, changes)
    if not diff:
        raise ValidationError(_("Nothing to correct: these are the values already set."))
    problems = _correction_problems(election, diff, now)
    if problems:
        raise ValidationError(problems)
    stored = _apply(election, diff)
    log(
        election,
        ElectionEvent.Kind.RULES_CORRECTED,
        actor,
        _("Rules corrected (%(fields)s): %(reason)s")
        % {"fields": ", ".join(_label(n) for n in diff), "reason": reason},
        {
            "changes": stored,
            "reason": reason,
        },
    )
    return election


@transaction.atomic
def election_delete(*, election: Election, actor: Any) -> None:
    """Only an election still in preparation may be deleted (with its log): afterwards it is a public record."""
    election = locked(election)
    if election.status != S.DRAFT or election.roll.exists() or election.candidacies.exists():
        raise ValidationError(
            _("Only an election in preparation, without roll or candidacies, can be deleted.")
        )
    election.delete()


# --- Polling stations ---------------------------------------------------------------------------------------


def _refuse_station_change(election: Election) -> None:
    if election.rules_frozen:
        raise ValidationError(
            _("The polling stations are frozen with the roll since voting opened: they can no longer change.")
        )


@transaction.atomic
def polling_station_save(*, station: PollingStation, actor: Any) -> PollingStation:
    """Add or change a polling station (name, address, hours) until voting opens; logged."""
    previous = PollingStation.objects.filter(pk=station.pk).first() if station.pk else None
    election_ids = {station.election_id} | ({previous.election_id} if previous else set())
    for election_id in sorted(election_ids):  # a station moved to another election changes both
        _refuse_station_change(Election.objects.select_for_update().get(pk=election_id))
    station.full_clean()
    station.save()
    log(
        station.election,
        ElectionEvent.Kind.STATION_CHANGED,
        actor,
        (_("Polling station “%(name)s” changed.") if previous else _("Polling station “%(name)s” added."))
        % {"name": station.name},
        {
            "station": station.pk,
            "address": station.address,
            "opens_at": _jsonable(station.opens_at),
            "closes_at": _jsonable(station.closes_at),
        },
    )
    return station


@transaction.atomic
def polling_station_delete(*, station: PollingStation, actor: Any) -> None:
    election = locked(station.election)
    _refuse_station_change(election)
    name = station.name
    station.delete()
    log(
        election,
        ElectionEvent.Kind.STATION_CHANGED,
        actor,
        _("Polling station “%(name)s” removed.") % {"name": name},
    )
