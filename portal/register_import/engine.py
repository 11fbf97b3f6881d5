"""Planning and applying an import against the register, in bulk, in one transaction.

The register is preloaded into dictionaries keyed by external reference (one query per level), the valid rows
are compared with it, and the plan is written with `bulk_create` / `bulk_update` in batches: a 50,000-person
export takes seconds, not minutes. A dry run computes the same plan and writes nothing, so its report is
exactly what a real run would do on the same data.
"""

from __future__ import annotations

import datetime
import hashlib
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Building, Dwelling, Household, Neighbourhood, Person, Site
from portal.services import audit_record

from .reader import FileError, parse
from .report import ClosedResult, ImportReport, RowResult, RowStatus
from .rows import RowData, RowProblem, check_across_rows, validate_row

BATCH_SIZE = 1000
LOCK_ID = 7_315_001  # pg_advisory_xact_lock key: one register import at a time

Parent = tuple[str, str]  # (level name, key): a reference to a row of the level above


@dataclass
class Level:
    """One level of the register (neighbourhood > site > building > dwelling > household > person)."""

    name: str
    model: type[models.Model]
    key: str
    fields: tuple[str, ...]
    parent_field: str | None = None
    keep_when_empty: tuple[str, ...] = ()
    desired: dict[str, dict[str, Any]] = field(default_factory=dict)
    first_line: dict[str, int] = field(default_factory=dict)
    existing: dict[str, dict[str, Any]] = field(default_factory=dict)
    pks: dict[str, int] = field(default_factory=dict)
    to_create: list[str] = field(default_factory=list)
    to_update: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0

    def load(self) -> None:
        for values in self.model.objects.order_by().values("pk", self.key, *self.fields):
            self.existing[values[self.key]] = values
            self.pks[values[self.key]] = values["pk"]

    def label(self, field_name: str) -> str:
        return str(self.model._meta.get_field(field_name.removesuffix("_id")).verbose_name)


def _levels() -> dict[str, Level]:
    return {
        "neighbourhood": Level("neighbourhood", Neighbourhood, "slug", ("name_fr", "name_nl")),
        "site": Level("site", Site, "external_ref", ("name", "neighbourhood_id"), "neighbourhood_id"),
        "building": Level(
            "building",
            Building,
            "external_ref",
            ("site_id", "street", "number", "postcode", "municipality"),
            "site_id",
        ),
        "dwelling": Level("dwelling", Dwelling, "external_ref", ("building_id", "unit"), "building_id"),
        "household": Level(
            "household",
            Household,
            "external_ref",
            ("dwelling_id", "start_date", "end_date", "language"),
            "dwelling_id",
        ),
        "person": Level(
            "person",
            Person,
            "external_ref",
            (
                "household_id",
                "first_name",
                "last_name",
                "birth_date",
                "role",
                "registered_on",
                "start_date",
                "end_date",
                "language",
                "email",
                "phone",
            ),
            "household_id",
            keep_when_empty=("email", "phone"),
        ),
    }


PARENT_LEVEL = {
    "site": "neighbourhood",
    "building": "site",
    "dwelling": "building",
    "household": "dwelling",
    "person": "household",
}


def _describe(row: RowData) -> list[tuple[str, str, dict[str, Any]]]:
    """The row as (level, key, values); a parent is given as its key, resolved to a primary key later."""
    return [
        (
            "neighbourhood",
            row.neighbourhood_slug,
            {"name_fr": row.neighbourhood_name_fr, "name_nl": row.neighbourhood_name_nl},
        ),
        ("site", row.site_ref, {"name": row.site_name, "neighbourhood_id": row.neighbourhood_slug}),
        (
            "building",
            row.building_ref,
            {
                "site_id": row.site_ref,
                "street": row.street,
                "number": row.number,
                "postcode": row.postcode,
                "municipality": row.municipality,
            },
        ),
        ("dwelling", row.dwelling_ref, {"building_id": row.building_ref, "unit": row.unit}),
        (
            "household",
            row.household_ref,
            {
                "dwelling_id": row.dwelling_ref,
                "start_date": row.lease_start,
                "end_date": row.lease_end,
                "language": row.household_language,
            },
        ),
        (
            "person",
            row.person_ref,
            {
                "household_id": row.household_ref,
                "first_name": row.first_name,
                "last_name": row.last_name,
                "birth_date": row.birth_date,
                "role": row.role,
                "registered_on": row.registered_on,
                "start_date": row.living_since,
                "end_date": row.left_on,
                "language": row.language,
                "email": row.email,
                "phone": row.phone,
            },
        ),
    ]


class Plan:
    """What the import will do; computed from the rows and the register, applied by `apply`."""

    def __init__(self, rows: list[RowData], problems: list[RowProblem], *, full_export: bool, export_date):
        self.levels = _levels()
        self.rows = rows
        self.problems = problems
        self.full_export = full_export
        self.export_date = export_date
        self.close_households: list[dict[str, Any]] = []
        self.close_persons: list[dict[str, Any]] = []
        self.notes: dict[int, list[str]] = {}

    def compute(self) -> None:
        for row in self.rows:
            for level_name, key, values in _describe(row):
                level = self.levels[level_name]
                if key not in level.desired:
                    level.desired[key] = values
                    level.first_line[key] = row.line
        for level in self.levels.values():
            level.load()
            self._compare(level)
        if self.full_export:
            self._plan_closing()

    def _compare(self, level: Level) -> None:
        parent = self.levels[PARENT_LEVEL[level.name]] if level.parent_field else None
        for key, values in level.desired.items():
            existing = level.existing.get(key)
            if existing is None:
                level.to_create.append(key)
                if level.name != "person":
                    self._note(level.first_line[key], _("new %(entity)s %(ref)s") % self._entity(level, key))
                continue
            changed = []
            for name, value in values.items():
                if name == level.parent_field:
                    value = parent.pks.get(value)  # None when the parent is new: then it differs
                elif name in level.keep_when_empty and not value:
                    continue
                if existing[name] != value:
                    changed.append(name)
            if changed:
                level.to_update[key] = changed
                if level.name != "person":
                    self._note(
                        level.first_line[key],
                        _("%(entity)s %(ref)s updated (%(fields)s)")
                        % {**self._entity(level, key), "fields": ", ".join(level.label(n) for n in changed)},
                    )
            else:
                level.unchanged += 1

    def _plan_closing(self) -> None:
        """People and households open in the register but absent from a full export are closed on the export
        date. Those named on a rejected row are left alone: their row could not be read, not their tenancy."""
        for level_name, target, protected in (
            ("household", self.close_households, {problem.household_ref for problem in self.problems}),
            ("person", self.close_persons, {problem.person_ref for problem in self.problems}),
        ):
            level = self.levels[level_name]
            for key, existing in level.existing.items():
                if existing["end_date"] is None and key not in level.desired and key not in protected:
                    target.append(existing)

    def _note(self, line: int, message: str) -> None:
        self.notes.setdefault(line, []).append(message)

    @staticmethod
    def _entity(level: Level, key: str) -> dict[str, str]:
        return {"entity": str(level.model._meta.verbose_name), "ref": key}

    def apply(self) -> None:
        for level in self.levels.values():
            parent = self.levels[PARENT_LEVEL[level.name]] if level.parent_field else None
            self._create(level, parent)
            self._update(level, parent)
        for model, closing in ((Household, self.close_households), (Person, self.close_persons)):
            pks = [existing["pk"] for existing in closing]
            for start in range(0, len(pks), BATCH_SIZE):
                model.objects.filter(pk__in=pks[start : start + BATCH_SIZE]).update(
                    end_date=Greatest("start_date", Value(self.export_date))
                )

    def _resolved(self, level: Level, parent: Level | None, key: str) -> dict[str, Any]:
        values = dict(level.desired[key])
        if parent is not None:
            values[level.parent_field] = parent.pks[values[level.parent_field]]
        existing = level.existing.get(key)
        for name in level.keep_when_empty:
            if not values[name] and existing is not None:
                values[name] = existing[name]
        return values

    def _create(self, level: Level, parent: Level | None) -> None:
        objects = [
            level.model(**{level.key: key}, **self._resolved(level, parent, key)) for key in level.to_create
        ]
        level.model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
        for key, obj in zip(level.to_create, objects, strict=True):
            level.pks[key] = obj.pk

    def _update(self, level: Level, parent: Level | None) -> None:
        if not level.to_update:
            return
        fields = sorted({name for changed in level.to_update.values() for name in changed})
        objects = []
        for key in level.to_update:
            values = self._resolved(level, parent, key)
            objects.append(level.model(pk=level.pks[key], **{name: values[name] for name in fields}))
        level.model.objects.bulk_update(objects, fields=fields, batch_size=BATCH_SIZE // 2)

    def fill(self, report: ImportReport) -> None:
        for name, level in self.levels.items():
            counts = report.counts[name]
            counts["created"] = len(level.to_create)
            counts["updated"] = len(level.to_update)
            counts["unchanged"] = level.unchanged
        report.counts["household"]["closed"] = len(self.close_households)
        report.counts["person"]["closed"] = len(self.close_persons)
        persons = self.levels["person"]
        created = set(persons.to_create)
        results = []
        for row in self.rows:
            notes = list(self.notes.get(row.line, []))
            if row.person_ref in created:
                status = RowStatus.CREATED
            elif row.person_ref in persons.to_update:
                status = RowStatus.UPDATED
                notes.insert(
                    0,
                    _("changed: %(fields)s")
                    % {"fields": ", ".join(persons.label(n) for n in persons.to_update[row.person_ref])},
                )
            else:
                status = RowStatus.UNCHANGED
            results.append(
                RowResult(row.line, row.person_ref, f"{row.first_name} {row.last_name}", status, notes)
            )
        results.extend(
            RowResult(problem.line, problem.person_ref, problem.name, RowStatus.REJECTED, problem.messages)
            for problem in self.problems
        )
        results.sort(key=lambda result: result.line)
        report.rows = results
        end = self.export_date.isoformat()
        report.closed = [
            ClosedResult("household", existing["external_ref"], "", end) for existing in self.close_households
        ] + [
            ClosedResult(
                "person", existing["external_ref"], f"{existing['first_name']} {existing['last_name']}", end
            )
            for existing in self.close_persons
        ]


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])


def register_import(
    *,
    content: bytes,
    export_date: datetime.date | None = None,
    full_export: bool = True,
    dry_run: bool = False,
    accept_valid_rows: bool = False,
    actor: Any = None,
    file_name: str = "",
) -> ImportReport:
    """Import a rental-system export into the register; return the report of what was (or would be) done.

    Nothing is written when `dry_run` is set, when the file as a whole is unreadable, or when a row is rejected
    and `accept_valid_rows` is not set. Otherwise everything is written in one transaction, and recorded in
    the audit log. With `full_export`, open households and persons missing from the file are closed on
    `export_date` (today by default), never deleted.
    """
    started = time.monotonic()
    report = ImportReport(
        export_date=export_date or timezone.localdate(),
        full_export=full_export,
        dry_run=dry_run,
        accept_valid_rows=accept_valid_rows,
        file_name=file_name,
    )
    try:
        parsed = parse(content)
    except FileError as error:
        report.file_errors.append(str(error))
        return report
    report.encoding, report.delimiter = parsed.encoding, parsed.delimiter
    valid: list[RowData] = []
    problems: list[RowProblem] = []
    today = timezone.localdate()
    for line, values, shape_problems in parsed.rows:
        result = validate_row(line, values, shape_problems, today=today)
        (problems if isinstance(result, RowProblem) else valid).append(result)
    valid, problems = check_across_rows(valid, problems)
    with transaction.atomic():
        _lock()
        plan = Plan(valid, problems, full_export=full_export, export_date=report.export_date)
        plan.compute()
        plan.fill(report)
        if dry_run or not valid or (problems and not accept_valid_rows):
            report.seconds = round(time.monotonic() - started, 2)
            return report
        plan.apply()
        report.applied = True
        report.seconds = round(time.monotonic() - started, 2)
        audit_record(
            action="register.imported",
            actor=actor,
            summary=f"Tenant register import{f' of {file_name}' if file_name else ''}: {report.summary()}",
            data={
                "file_name": file_name,
                "sha256": hashlib.sha256(content).hexdigest(),
                "export_date": report.export_date.isoformat(),
                "full_export": full_export,
                "accepted_valid_rows_only": bool(problems),
                "rows": len(report.rows),
                "rejected_rows": report.rejected_row_count,
                "counts": report.counts,
                "seconds": report.seconds,
            },
        )
    return report
