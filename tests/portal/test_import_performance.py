"""A real-size export: 20,000 persons imported, then a newer export with changes, in reasonable time."""

import datetime
import time

import pytest

from portal.models import Household, Person
from portal.register_import import register_import
from tests.portal.register_csv import generated_export, to_csv

pytestmark = pytest.mark.django_db

PERSONS = 20_000


def test_twenty_thousand_persons_import_and_reimport_with_changes_count_right_and_run_fast(capsys):
    rows = generated_export(PERSONS)
    started = time.monotonic()
    first = register_import(content=to_csv(rows))
    first_seconds = time.monotonic() - started
    assert first.applied
    assert first.counts["person"]["created"] == PERSONS
    households = Household.objects.count()
    assert first.counts["household"]["created"] == households

    # The next month: 300 people left (their rows are gone), 200 changed e-mail, 100 moved house, 500 arrived.
    newer = rows[300:]
    for row in newer[:200]:
        row["email"] = f"new.{row['person_ref'].lower()}@example.org"
    for row in newer[1000:1100]:
        row["last_name"] = "Janssens"
    arrivals = generated_export(500, seed=2)
    for row in arrivals:
        for key in ("person_ref", "household_ref", "dwelling_ref"):
            row[key] = row[key].replace("-", "-NEW-", 1)
    newer += arrivals
    content = to_csv(newer)

    started = time.monotonic()
    second = register_import(content=content)
    second_seconds = time.monotonic() - started
    left = {row["person_ref"] for row in rows[:300]}
    assert second.counts["person"]["created"] == 500
    assert second.counts["person"]["updated"] == 300
    assert second.counts["person"]["closed"] == 300
    assert {closed.ref for closed in second.closed if closed.kind == "person"} == left
    assert Person.objects.count() == PERSONS + 500  # nobody duplicated, nobody deleted
    assert Person.objects.filter(external_ref__in=left, end_date__isnull=False).count() == 300
    tomorrow = second.export_date + datetime.timedelta(days=1)  # people who left count until their last day
    assert Person.objects.current(tomorrow).count() == PERSONS - 300 + 500

    started = time.monotonic()
    third = register_import(content=content)
    third_seconds = time.monotonic() - started
    assert third.counts["person"] == {"created": 0, "updated": 0, "unchanged": PERSONS + 200, "closed": 0}

    with capsys.disabled():
        print(
            f"\nregister import of {PERSONS} persons: first {first_seconds:.1f} s, "
            f"re-import with changes {second_seconds:.1f} s, identical re-import {third_seconds:.1f} s"
        )
    assert first_seconds < 30
    assert second_seconds < 30
