"""The test suite: PostgreSQL (DATABASE_URL, default 127.0.0.1:5432), e-mails to Django's outbox."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"), conn_max_age=0
    )
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Captchas are solved in tests by reading the stored answer (tests/conftest.py `solve_captcha`), never bypassed.
CAPTCHA_TEST_MODE = False
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = BASE_DIR / ".test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-private-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Allauth's rate limits stay on (they are tested); a fresh local-memory cache per process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-tests"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-tests-pages"},
}
# Off so that every test sees its own writes and counts the queries of a real render; tests/portal/test_page_cache.py
# turns it on.
PORTAL_PAGE_CACHE_SECONDS = 0
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Off for the suite so that every app's admin tests log staff in directly; tests/portal/test_accounts_mfa.py
# turns it on to check that staff without two-factor authentication are sent to set it up.
PORTAL_REQUIRE_STAFF_MFA = False
