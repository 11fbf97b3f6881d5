"""`manage.py ensure_admin`: create or reuse the demo administrator and print how to log in.

The password comes from PORTAL_ADMIN_PASSWORD, else is generated once and kept in `.dev-admin-login` (git-ignored)
so that every `make run` prints the same login.
"""

import os
import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

LOGIN_FILE = Path(settings.BASE_DIR) / ".dev-admin-login"


class Command(BaseCommand):
    help = "Create or reuse the demo administrator and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=os.environ.get("PORTAL_ADMIN_EMAIL", "admin@example.org"))

    def handle(self, *args, email: str, **options):
        password = os.environ.get("PORTAL_ADMIN_PASSWORD")
        if not password and LOGIN_FILE.exists():
            password = LOGIN_FILE.read_text().strip()
        if not password:
            password = secrets.token_urlsafe(12)
        LOGIN_FILE.write_text(password)
        LOGIN_FILE.chmod(0o600)
        User = get_user_model()
        user, _created = User.objects.get_or_create(username="admin", defaults={"email": email})
        user.email = email
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Administrator login"))
        self.stdout.write(f"  address:  {base}/admin/")
        self.stdout.write(f"  e-mail:   {email}")
        self.stdout.write(f"  password: {password}")
        self.stdout.write("")
