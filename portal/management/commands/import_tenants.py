"""`manage.py import_tenants FILE`: import the rental system's export into the tenant register.

Run it first with --dry-run to read the report; a file with rejected rows imports nothing unless
--accept-valid-rows is given. Column format: docs/register-import.md.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.register_import import register_import
from portal.register_import.report import ENTITIES, ImportReport, RowStatus


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--export-date must be written YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = "Import tenants (one row per person) from the rental system's CSV export. See docs/register-import.md."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file exported from the rental system.")
        parser.add_argument("--dry-run", action="store_true", help="Show the report, change nothing.")
        parser.add_argument(
            "--accept-valid-rows",
            action="store_true",
            help="Import the valid rows even if some rows are rejected (read the dry-run report first).",
        )
        parser.add_argument(
            "--export-date",
            type=_date,
            default=None,
            help="Date of the export (YYYY-MM-DD), used as end date for people who left. Default: today.",
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help="The file is not a full export: close nobody who is missing from it.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"File not found: {path}")
        report = register_import(
            content=path.read_bytes(),
            export_date=options["export_date"],
            full_export=not options["partial"],
            dry_run=options["dry_run"],
            accept_valid_rows=options["accept_valid_rows"],
            file_name=path.name,
        )
        self._print(report, verbosity=options["verbosity"])
        if report.file_errors:
            raise CommandError("The file was not imported: " + " ".join(report.file_errors))
        if report.applied:
            self.stdout.write(self.style.SUCCESS(f"Imported in {report.seconds:.1f} s."))
        elif report.dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was changed."))
            if report.rejected_row_count:
                self.stdout.write(
                    f"To import the {report.valid_row_count} valid rows, run again with --accept-valid-rows."
                )
        else:
            raise CommandError(
                f"{report.rejected_row_count} rows rejected: nothing was imported. Correct the file, or run "
                f"again with --accept-valid-rows to import the {report.valid_row_count} valid rows."
            )

    def _print(self, report: ImportReport, *, verbosity: int) -> None:
        if report.file_errors:
            return
        if verbosity >= 1:
            for row in report.rows:
                if row.status == RowStatus.UNCHANGED and verbosity < 2:
                    continue
                detail = "; ".join(row.messages)
                line = f"line {row.line}: {row.status} {row.person_ref} {row.name}".rstrip()
                style = self.style.ERROR if row.status == RowStatus.REJECTED else (lambda text: text)
                self.stdout.write(style(f"{line}{': ' + detail if detail else ''}"))
            for closed in report.closed:
                self.stdout.write(
                    f"closed {closed.kind} {closed.ref} {closed.name} on {closed.end_date}".rstrip()
                )
        self.stdout.write(
            f"File: {report.file_name} ({report.encoding}, delimiter {report.delimiter!r}), "
            f"export date {report.export_date}, {'full export' if report.full_export else 'partial export'}."
        )
        self.stdout.write(
            f"Rows: {len(report.rows)}, valid {report.valid_row_count}, rejected {report.rejected_row_count}."
        )
        for entity in ENTITIES:
            counts = report.counts[entity]
            self.stdout.write(
                f"{entity}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['closed']} closed, {counts['unchanged']} unchanged"
            )
