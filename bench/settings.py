"""Benchmark settings: production settings, served over plain HTTP on 127.0.0.1, own database."""

import os
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
# As in production: Redis shared by every gunicorn worker (rate limits, the anonymous page cache, on by default
# with it). Its own database number, flushed at the start of each run (bench/__main__.py).
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/3")

from portal.settings.production import *  # noqa: E402, F403

ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
ROOT_URLCONF = "bench.urls"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# Static files are served from the finders (above): the empty STATIC_ROOT WhiteNoise warns about is expected.
warnings.filterwarnings("ignore", message=r"No directory at: ", category=UserWarning)
