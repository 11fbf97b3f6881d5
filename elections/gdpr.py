"""Personal data of elections ("My data", retention): the person's place on the roll and whether they voted (never
what: a ballot has no link to anyone), their candidacies; the deletion of participation data once the complaint
period has ended.

Roll entries and candidacies belong to the register person, which the company keeps when an account is removed:
the roll and participation records are deleted by the retention rule below (the election becomes final and
`election_advance` purges them); candidacies are the public record of the election. Registered by
`ElectionsConfig.ready()`; the declarations are checked by tests/portal/test_gdpr_schema.py.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.gdpr import ExportFile, RetentionRule, Section, Subject, register, register_retention

from .models import Candidacy, Election, Participation, RollEntry


def roll_items(subject: Subject) -> list[dict[str, Any]]:
    """Whether the person is on a roll and whether they voted, as long as the participation records exist."""
    if subject.person is None:
        return []
    entries = (
        RollEntry.objects.filter(person=subject.person)
        .select_related("election")
        .annotate(proxies=Count("proxies_held"))
        .order_by("-election__voting_opens_at")
    )
    voted = dict(Participation.objects.filter(roll_entry__in=entries).values_list("roll_entry_id", "channel"))
    channels = dict(Participation.Channel.choices)
    rows = []
    for entry in entries:
        channel = voted.get(entry.pk)
        rows.append(
            {
                "election": str(entry.election),
                "on_the_roll": not entry.removed,
                "voted": channels[channel] if channel else _("not (yet) recorded"),
                "proxies_you_held": entry.proxies,
                "kept_until": entry.election.complaints_end_on,
            }
        )
    return rows


def candidacy_items(subject: Subject) -> list[dict[str, Any]]:
    if subject.person is None:
        return []
    candidacies = (
        Candidacy.objects.filter(person=subject.person)
        .select_related("election", "result")
        .order_by("-election__voting_opens_at")
    )
    rows = []
    for c in candidacies:
        result = getattr(c, "result", None)
        rows.append(
            {
                "election": str(c.election),
                "name_on_the_list": c.display_name,
                "received": c.get_channel_display(),
                "received_on": c.received_on,
                "status": c.get_status_display(),
                "shown_after_the_name": c.get_label_display(),
                "association": c.association,
                "statement": c.statement,
                "photo": ExportFile(c.photo, f"{c.pk}-{c.photo.name.rsplit('/', 1)[-1]}") if c.photo else "",
                "charter_signed": c.charter_signed,
                "court_check_done": c.court_check_done,
                "reason": c.decision_reason,
                "votes": result.votes if result else None,
                "outcome": result.get_outcome_display() if result else "",
            }
        )
    return rows


def participation_apply(now: datetime.datetime, dry_run: bool) -> int:
    """Elections whose complaint period has ended become final, which deletes their roll and participation
    records (`elections.services.election_advance`); the counts stay on the result."""
    from . import services

    today = timezone.localdate(now)
    due = Election.objects.filter(status=Election.Status.COMPLAINTS, complaints_end_on__lt=today)
    if dry_run:
        return RollEntry.objects.filter(election__in=due).count()
    deleted = 0
    for election in due:
        deleted += election.roll.count()
        services.election_advance(election=election, actor=None, now=now)
    return deleted


CODE = "the voting code is never stored (a hash and a seed, emptied with the roll)"

SECTIONS = [
    Section(
        key="elections_roll",
        title=_("Advisory council elections: your place on the roll"),
        order=60,
        items=roll_items,
        covers={
            "elections.RollEntry": f"exported; deleted when the complaint period ends; {CODE}",
            "elections.Participation": "exported as whether and how the person voted, never what; deleted "
            "when the complaint period ends",
        },
        labels={
            "election": _("Election"),
            "on_the_roll": _("On the electoral roll"),
            "voted": _("Voted"),
            "proxies_you_held": _("Proxies you held"),
            "kept_until": _("Kept until the end of the complaint period"),
        },
    ),
    Section(
        key="elections_candidacies",
        title=_("Advisory council elections: your candidacies"),
        order=61,
        items=candidacy_items,
        covers={
            "elections.Candidacy": "exported with the photo; kept as the public record of the election (the "
            "register person stays when the account is removed)",
            "elections.CandidateResult": "exported (votes and outcome); public once the results are published",
            "elections.StationCandidateCount": "paper count per candidate: no voter",
            "elections.StationCount": "who entered a paper count; the link is cleared when the account is removed",
            "elections.ElectionEvent": "the election's log: who acted is cleared when the account is removed",
            "elections.BallotBox": "who held the key ceremony: the link is cleared when the account is removed",
            "elections.KeyHolder": "the key holders' names as typed at the ceremony, linked to no account: part of "
            "the election's record",
        },
        labels={
            "name_on_the_list": _("Name on the list"),
            "received": _("Received"),
            "received_on": _("Received on"),
            "shown_after_the_name": _("Shown after the name"),
            "association": _("Association"),
            "statement": _("Short statement"),
            "photo": _("Photo"),
            "charter_signed": _("Charter of democratic values signed"),
            "court_check_done": _("No final court decision (checked)"),
            "reason": _("Reason"),
            "votes": _("Votes"),
            "outcome": _("Outcome"),
        },
    ),
]


def register_all() -> None:
    for section in SECTIONS:
        register(section)
    register_retention(
        RetentionRule(
            key="elections_participation",
            description="Roll and participation records of elections whose complaint period has ended",
            apply=participation_apply,
        )
    )
