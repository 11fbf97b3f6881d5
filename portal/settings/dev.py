"""Local development: `make run`. E-mails printed to the console, SQLite unless DATABASE_URL is set.

DEBUG is off, so that `make run` shows the portal's own 404 and 500 pages as tenants will see them; `DJANGO_DEBUG=1`
turns on Django's technical error pages. Uploaded media are served by Django either way (`PORTAL_SERVE_MEDIA`).
"""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", False)
PORTAL_SERVE_MEDIA = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-change-me"  # noqa: S105
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo administrator printed by `make run` logs in directly, without setting up two-factor authentication.
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", False)
