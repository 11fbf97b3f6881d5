"""Secret ballot by construction: the schema offers no path from what was voted to who voted, and what PostgreSQL
itself records (transaction ids, row order) pairs a voter only with a sealed ballot nobody can read.

The WAL written during the vote is read in tests/elections/test_ballot_box_wal.py.
"""

import json
import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import connection, models

from elections import services
from elections.models import (
    Ballot,
    BallotBox,
    Candidacy,
    CountedBallot,
    Participation,
    PublishedReceipt,
    RollEntry,
)
from portal.models import Person

from .factories import AFTER_VOTING, DURING_VOTING, election_in_voting, open_ballot_box

BALLOT_MODELS = [Ballot, CountedBallot, PublishedReceipt]
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
        assert not forward_closure(model, leaves={Candidacy}) & (VOTER_MODELS | {Person}), model
        # A ballot points to its election, nothing else: not even to a candidacy row.
        assert [f.name for f in model._meta.concrete_fields if f.is_relation] == ["election"], model


def test_voter_records_have_no_link_to_a_ballot():
    for model in [Participation, RollEntry, Person]:
        assert not forward_closure(model) & set(BALLOT_MODELS), model


def test_ballots_carry_no_time_no_sequence_and_no_request_data():
    allowed = {
        Ballot: {"id", "election", "sealed", "receipt"},
        CountedBallot: {"id", "election", "choices", "void"},
        PublishedReceipt: {"id", "election", "receipt"},
    }
    for model in BALLOT_MODELS:
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), field
            assert not isinstance(field, models.GenericIPAddressField), field
            assert not isinstance(field, models.AutoField | models.BigAutoField), field
        assert {f.name for f in model._meta.concrete_fields} == allowed[model]
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


def _rows(sql: str, params=()) -> list[tuple]:
    """Rows as PostgreSQL gives them (jsonb columns decoded: Django's cursor leaves them as text)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            tuple(json.loads(v) if isinstance(v, str) and v[:1] in "{[" else v for v in row) for row in cursor
        ]


#: The pairing a database administrator tries: each online vote writes its ballot, then its participation in a
#: savepoint, in one transaction, so the participation's xmin is the ballot's plus one (when no other transaction
#: took an id in between).
PAIRING = """
    SELECT p.roll_entry_id, to_jsonb(b) - 'election_id' FROM elections_participation p
    JOIN elections_ballot b ON b.xmin::text::bigint = p.xmin::text::bigint - 1
    WHERE p.election_id = %s AND b.election_id = %s ORDER BY p.ctid
"""


def _cast_distinct_votes(election, accepted, count: int) -> list[list[int]]:
    """`count` online votes, each with its own combination of candidates (so that an order could be recognised)."""
    combos = [[a.pk] for a in accepted] + [
        [a.pk, b.pk] for i, a in enumerate(accepted) for b in accepted[i + 1 :]
    ]
    cast = []
    with time_machine.travel(DURING_VOTING, tick=False):
        for entry, choices in zip(election.roll.order_by("pk"), combos[:count], strict=False):
            services.ballot_cast(election=election, roll_entry_id=entry.pk, choices=choices)
            cast.append(sorted(choices))
    return cast


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_row_metadata_pairs_a_voter_only_with_a_ciphertext_and_the_count_cannot_be_traced_back():
    election, persons, accepted, committee = election_in_voting(voters=20)
    cast = _cast_distinct_votes(election, accepted, 12)
    ids = {c.pk for c in accepted}

    # During the vote: the pairing query works, and what it pairs with a voter is a sealed ballot.
    pairs = _rows(PAIRING, [election.pk, election.pk])
    assert pairs, "the xmin pairing finds nothing: the test would prove nothing"
    for _entry, ballot in pairs:
        assert set(ballot) == {"id", "sealed", "receipt"}
        sealed = bytes.fromhex(ballot["sealed"].removeprefix("\\x"))
        assert len(sealed) == 176  # the same length for every ballot, blank or full
        assert not any(c.to_bytes(8, "big") in sealed or c.to_bytes(8, "little") in sealed for c in ids)
    by_ctid = _rows(
        "SELECT to_jsonb(b) FROM elections_ballot b WHERE election_id = %s ORDER BY ctid", [election.pk]
    )
    assert len(by_ctid) == 12 and all(
        set(row[0]) == {"id", "election_id", "sealed", "receipt"} for row in by_ctid
    )
    ballot_ids = {row[0]["id"] for row in by_ctid}
    ballot_xmins = {
        x for (x,) in _rows("SELECT xmin::text FROM elections_ballot WHERE election_id = %s", [election.pk])
    }

    with time_machine.travel(AFTER_VOTING, tick=False):
        services.election_advance(election=election, actor=committee)
        open_ballot_box(election, committee)

    # After the close: the decrypted choices are the votes cast...
    rows = _rows(
        "SELECT id::text, choices, void, xmin::text FROM elections_countedballot WHERE election_id = %s ORDER BY ctid",
        [election.pk],
    )
    assert sorted(sorted(choices) for _id, choices, _void, _x in rows) == sorted(cast)
    # ... written in one transaction (one xmin, none of the vote's), in an order that is not the order of the
    # votes (12 distinct ballots: the same order by chance has probability 1/12!), with new random ids...
    participation_xmins = {
        x
        for (x,) in _rows(
            "SELECT xmin::text FROM elections_participation WHERE election_id = %s", [election.pk]
        )
    }
    counted_xmins = {x for *_rest, x in rows}
    assert len(counted_xmins) == 1 and not counted_xmins & (participation_xmins | ballot_xmins)
    assert [sorted(choices) for _id, choices, _v, _x in rows] != cast
    assert not {i for i, *_rest in rows} & ballot_ids
    # ... and the sealed ballots are gone: only their receipts remain, sorted, written with the count.
    assert not Ballot.objects.filter(election=election).exists()
    receipts = _rows(
        "SELECT receipt, xmin::text FROM elections_publishedreceipt WHERE election_id = %s ORDER BY ctid",
        [election.pk],
    )
    assert [r for r, _x in receipts] == sorted(r for r, _x in receipts) and len(receipts) == 12
    assert {x for _r, x in receipts} == counted_xmins
    assert (
        bytes(BallotBox.objects.get(election=election).wrapped_private_key) == b""
    )  # the box cannot be opened a second time
    assert set(PublishedReceipt.objects.filter(election=election).values_list("receipt", flat=True)) == {
        row[0]["receipt"] for row in by_ctid
    }
