"""`manage.py demo_reset` (`make demo-reset`): throw the development database and uploads away and migrate again.

For `make run` only: refused unless the settings are the development ones (`portal.settings.dev`). Every table of
the database is dropped (SQLite or PostgreSQL), the migrations run again, and the files under MEDIA_ROOT and
PRIVATE_MEDIA_ROOT are deleted when those folders are inside the checkout. `make demo-reset` then loads the demo.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Empty the development database and uploads, then migrate (make demo-reset)."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, noinput: bool = False, **options):
        if settings.SETTINGS_MODULE != "portal.settings.dev":
            raise CommandError("demo_reset only runs with the development settings (portal.settings.dev).")
        name = connection.settings_dict["NAME"]
        if (
            not noinput
            and input(f"Delete every table of {name} and the uploaded files? [y/N] ").lower() != "y"
        ):
            raise CommandError("Nothing changed.")
        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                quoted = connection.ops.quote_name(table)
                cascade = " CASCADE" if connection.vendor == "postgresql" else ""
                cursor.execute(f"DROP TABLE IF EXISTS {quoted}{cascade}")  # noqa: S608 - names from introspection
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
        self.stdout.write(f"Dropped {len(tables)} tables of {name}.")
        checkout = Path(settings.BASE_DIR).resolve()
        for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
            folder = Path(folder).resolve()
            if folder.is_relative_to(checkout) and folder != checkout and folder.exists():
                shutil.rmtree(folder)
                self.stdout.write(f"Deleted {folder.relative_to(checkout)}/.")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            self.style.SUCCESS("Empty database migrated: load the demo with `manage.py load_demo`.")
        )
