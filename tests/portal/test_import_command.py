"""`manage.py import_tenants FILE [--dry-run] [--accept-valid-rows] [--partial] [--export-date]`."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from portal.models import AuditEvent, Neighbourhood, Person
from tests.portal.register_csv import person_row, to_csv

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "portal" / "sample_data" / "tenants_sample.csv"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def command(*args) -> str:
    out = StringIO()
    call_command("import_tenants", *map(str, args), stdout=out)
    return out.getvalue()


def write(tmp_path, rows, **options) -> Path:
    path = tmp_path / "export.csv"
    path.write_bytes(to_csv(rows, **options))
    return path


def test_the_sample_file_imports_into_the_demo_neighbourhoods_and_reimports_unchanged():
    output = command(SAMPLE)
    assert "person: 28 created" in output
    assert Person.objects.count() == 28
    assert set(Neighbourhood.objects.values_list("slug", flat=True)) == {
        "marolles",
        "peterbos",
        "cite-modele",
        "helmet",
        "quartier-nord",
    }
    aicha = Person.objects.get(first_name="Aïcha")
    assert aicha.household.dwelling.building.street == "Parc du Peterbos"
    again = command(SAMPLE)
    assert "person: 0 created, 0 updated, 0 closed, 28 unchanged" in again


def test_dry_run_prints_the_report_and_changes_nothing(tmp_path):
    output = command(write(tmp_path, [person_row(1), person_row(2)]), "--dry-run")
    assert "line 2: created P-1" in output
    assert "Dry run: nothing was changed." in output
    assert not Person.objects.exists()


def test_rejected_rows_stop_the_import_unless_valid_rows_are_accepted(tmp_path):
    path = write(tmp_path, [person_row(1), person_row(2, email="nobody@")])
    with pytest.raises(CommandError, match="1 rows rejected: nothing was imported"):
        command(path)
    assert not Person.objects.exists()

    output = command(path, "--dry-run")
    assert "line 3: rejected P-2" in output
    assert "run again with --accept-valid-rows" in output

    command(path, "--accept-valid-rows")
    assert list(Person.objects.values_list("external_ref", flat=True)) == ["P-1"]
    assert AuditEvent.objects.filter(action="register.imported").count() == 1


def test_a_file_error_is_a_command_error_with_the_reason(tmp_path):
    path = write(tmp_path, [person_row(1)], encoding="utf-16")
    with pytest.raises(CommandError, match="UTF-16"):
        command(path)


def test_export_date_and_partial_options(tmp_path):
    command(write(tmp_path, [person_row(1), person_row(2)]))
    command(write(tmp_path, [person_row(1)]), "--partial")
    assert Person.objects.get(external_ref="P-2").end_date is None
    output = command(write(tmp_path, [person_row(1)]), "--export-date", "2025-04-30")
    assert "closed person P-2" in output
    assert Person.objects.get(external_ref="P-2").end_date == datetime.date(2025, 4, 30)


def test_a_missing_file_is_reported():
    with pytest.raises(CommandError, match="File not found"):
        command("/nonexistent/export.csv")
