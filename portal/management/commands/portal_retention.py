"""`manage.py portal_retention [--dry-run]`: delete what the privacy page promises to delete after its period.

Runs every registered retention rule (`portal.gdpr.retention`): participation data of elections whose complaint
period has ended, address copies of old deliveries, draft applications abandoned for a year... Schedule it every
night (README, "Production deployment"); a second run the same day finds nothing left to do.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.gdpr import retention_run


class Command(BaseCommand):
    help = "Delete personal data whose retention period has ended (see the privacy page)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count what would be deleted.")

    def handle(self, *args, dry_run: bool = False, **options):
        applied = retention_run(dry_run=dry_run)
        verb = "would be deleted or emptied" if dry_run else "deleted or emptied"
        for item in applied:
            self.stdout.write(f"{item.rule.key}: {item.count} {verb} ({item.rule.description})")
        self.stdout.write(self.style.SUCCESS(f"Total: {sum(item.count for item in applied)} {verb}."))
