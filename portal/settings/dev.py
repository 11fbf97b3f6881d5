"""Local development: `make run`. DEBUG on, e-mails printed to the console, SQLite unless DATABASE_URL is set."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = os.environ.get("DJANGO_DEBUG", "1").lower() in {"1", "true", "yes", "on"}
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-change-me"  # noqa: S105
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ALLOWED_HOSTS = ["*"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The demo administrator printed by `make run` logs in directly, without setting up two-factor authentication.
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", False)
