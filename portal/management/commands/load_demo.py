"""`manage.py load_demo`: demo data that looks real, idempotent (a second run changes nothing).

Each app contributes a `demo.py` module with a `load(stdout)` function; they run in INSTALLED_APPS order, so
the register (portal) exists before the news (home) and the domain apps that use it.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load demo data (idempotent)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
