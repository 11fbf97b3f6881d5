"""Secret ballot by construction: the schema itself offers no path from what was voted to who voted."""

import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import models

from elections import services
from elections.models import Ballot, BallotChoice, Candidacy, Participation, RollEntry
from portal.models import Person

from .factories import AFTER_VOTING, DURING_VOTING, election_in_voting

BALLOT_MODELS = [Ballot, BallotChoice]
#: Models that identify a voter (the roll, the participation record, accounts, sessions).
VOTER_MODELS = {
    RollEntry,
    Participation,
    apps.get_model("auth", "User"),
    apps.get_model("sessions", "Session"),
}


def forward_closure(model, leaves=()):
    """Every model reachable from `model` by following concrete relations forwards (not beyond `leaves`)."""
    seen, todo = set(), [model]
    while todo:
        current = todo.pop()
        if current in leaves:
            continue
        for field in current._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model not in seen:
                seen.add(field.related_model)
                todo.append(field.related_model)
    return seen


def test_no_foreign_key_path_leads_from_a_ballot_to_a_voter():
    for model in BALLOT_MODELS:
        reachable = forward_closure(model)
        assert not reachable & {RollEntry, Participation}, f"{model.__name__} reaches the roll"
        # Beyond the candidacy chosen (a public candidate), nothing personal is reachable at all.
        without_candidates = forward_closure(model, leaves={Candidacy})
        assert not without_candidates & (VOTER_MODELS | {Person}), without_candidates
    # The only person reachable is the candidate chosen, through the candidacy, never the voter.
    assert [f.name for f in BallotChoice._meta.concrete_fields if f.is_relation] == ["ballot", "candidacy"]
    assert [f.name for f in Ballot._meta.concrete_fields if f.is_relation] == ["election"]


def test_voter_records_have_no_link_to_a_ballot():
    for model in [Participation, RollEntry, Person]:
        assert not forward_closure(model) & set(BALLOT_MODELS), model


def test_ballots_carry_no_time_no_sequence_and_no_request_data():
    for model in BALLOT_MODELS:
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field
            assert not isinstance(field, models.GenericIPAddressField), field
            assert not isinstance(field, models.AutoField | models.BigAutoField), field
        assert {f.name for f in model._meta.concrete_fields} <= {
            "id",
            "election",
            "receipt",
            "blank",
            "ballot",
            "candidacy",
        }
    for model in BALLOT_MODELS:
        pk = model._meta.pk
        assert isinstance(pk, models.UUIDField) and pk.default is uuid.uuid4  # random, not time-based (uuid1)
    assert not any(isinstance(f, models.DateTimeField) for f in Participation._meta.concrete_fields)


@pytest.mark.django_db
def test_ballot_ids_of_successive_voters_are_not_in_voting_order():
    election, persons, accepted, committee = election_in_voting(voters=40)
    with time_machine.travel(DURING_VOTING, tick=False):
        for entry in election.roll.order_by("pk"):
            services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=[accepted[0].pk])
    ids = [str(b) for b in Ballot.objects.filter(election=election).values_list("pk", flat=True)]
    assert len(ids) == 40
    assert ids != sorted(ids)  # 40 random UUIDs sorted by chance: probability 1/40!
    assert all(uuid.UUID(i).version == 4 for i in ids)


def _xmins(table: str, where: str, election_id: int) -> set[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE {where}", [election_id])  # noqa: S608 - fixed names
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_the_vote_reseals_the_ballot_box_so_row_metadata_no_longer_pairs_ballots_with_voters():
    """Each online vote commits its participation and its ballot together, so PostgreSQL's transaction id of the
    rows (xmin) pairs them while voting is open; closing the vote rewrites the ballots in one shuffled batch."""
    election, persons, accepted, committee = election_in_voting(voters=12)
    receipts = []
    with time_machine.travel(DURING_VOTING, tick=False):
        for index, entry in enumerate(election.roll.order_by("pk")[:8]):
            receipts.append(
                services.ballot_cast(
                    election=election, roll_entry_id=entry.pk, choices=[accepted[index % 3].pk]
                )
            )
    participations = {int(x) for x in _xmins("elections_participation", "election_id = %s", election.pk)}
    # The pairing exists: the participation is written in a savepoint, one transaction id after its ballot.
    before = {int(x) for x in _xmins("elections_ballot", "election_id = %s", election.pk)}
    assert len(before) == 8 and {x + 1 for x in before} <= participations

    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)

    after = {int(x) for x in _xmins("elections_ballot", "election_id = %s", election.pk)}
    # Every ballot now carries the one transaction id of the close: nothing tells one ballot from another.
    assert len(after) == 1 and not after & participations and not after & before
    assert set(Ballot.objects.filter(election=election).values_list("receipt", flat=True)) == set(receipts)
    votes = BallotChoice.objects.filter(ballot__election=election).values_list("candidacy_id", flat=True)
    assert sorted(votes) == sorted(accepted[i % 3].pk for i in range(8))
    assert election.events.filter(kind="ballots_resealed").exists()
