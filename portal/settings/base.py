"""Settings shared by every environment.

Everything that differs between a laptop, CI and production comes from environment variables (see README,
"Configuration"); `dev`, `test` and `production` only change defaults.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Per-language columns of the texts workers write (each app's translation module); it must come before the apps
    # whose models it translates and before django.contrib.admin.
    "modeltranslation",
    # Our apps first so their templates and translations win.
    "portal",
    "home",
    "meetings",
    "projectcall",
    "elections",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "captcha",
    # Background tasks
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the shared cache (portal/page_cache.py); a hit skips everything below.
    "portal.page_cache.PageCacheMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Staff sessions without the second factor go to set it up or give it; tenants at /admin/ get a refusal page.
    "portal.accounts.two_factor.StaffMFAMiddleware",
    "portal.accounts.two_factor.AdminDoorMiddleware",
    # One admin write at a time per Wagtail page (an autosave in flight must not undo a publish).
    "portal.page_locks.PageWriteLockMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns django-ratelimit's refusals into the translated 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_shell",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

# Database: DATABASE_URL (PostgreSQL in production and tests); SQLite only as the zero-setup default of `make run`.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` shares the SQLite file between the web server and the worker: write-ahead logging lets readers go on
    # while one writes, a writer waits up to 20 s for another instead of failing with "database is locked", and each
    # transaction takes the write lock when it starts (so two admin writes to one page run one after the other,
    # see portal/page_locks.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches: Redis in production when REDIS_URL is set, local memory otherwise. Two key spaces: "default" holds the
# rate-limit counters (allauth, django-ratelimit) and must never evict; "pages" holds the anonymous page cache
# (portal/page_cache.py), in its own Redis when PORTAL_PAGE_CACHE_REDIS_URL is set (README: maxmemory).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("PORTAL_PAGE_CACHE_REDIS_URL") or os.environ["REDIS_URL"],
            "KEY_PREFIX": "pages",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal-pages"},
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Internationalisation: French, Dutch and English for every screen, e-mail, letter and PDF.
LANGUAGE_CODE = os.environ.get("PORTAL_DEFAULT_LANGUAGE", "fr")
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]
# The languages the company writes its content in (meeting agendas and minutes, the call, the election, notices):
# forms ask for each, publication checks them, and a reader whose language is missing gets the first of these that
# exists, marked as such (portal/content.py). Brussels: French and Dutch; a Flemish company: "nl".
PORTAL_CONTENT_LANGUAGES = env_list("PORTAL_CONTENT_LANGUAGES", "fr,nl")
MODELTRANSLATION_LANGUAGES = tuple(code for code, _name in LANGUAGES)
MODELTRANSLATION_DEFAULT_LANGUAGE = PORTAL_CONTENT_LANGUAGES[0] if PORTAL_CONTENT_LANGUAGES else LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": tuple(PORTAL_CONTENT_LANGUAGES)}
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "portal" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Private uploads (project attachments, photos of candidates before acceptance) never served as static media.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PORTAL_PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# Private files (letters, notices, attachments) are readable by the portal's user and group only (portal/storage.py).
PORTAL_PRIVATE_FILE_PERMISSIONS = int(os.environ.get("PORTAL_PRIVATE_FILE_PERMISSIONS", "640"), 8)
PORTAL_PRIVATE_DIRECTORY_PERMISSIONS = int(os.environ.get("PORTAL_PRIVATE_DIRECTORY_PERMISSIONS", "750"), 8)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail: SMTP configured by environment; the console in development.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds before a silent mail server is given up (the worker must never hang on one message).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "60"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portail@example.org")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (django-tasks with the database backend; run `manage.py db_worker`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each worker writes a heartbeat every PORTAL_WORKER_HEARTBEAT_SECONDS; the tasks of a worker silent for
# PORTAL_WORKER_DEAD_AFTER_SECONDS are queued again (re-runnable ones) or failed, a task whose runs died
# PORTAL_TASKS_MAX_RUNS times is failed (portal/worker/).
PORTAL_WORKER_HEARTBEAT_SECONDS = float(os.environ.get("PORTAL_WORKER_HEARTBEAT_SECONDS", "10"))
PORTAL_WORKER_DEAD_AFTER_SECONDS = float(os.environ.get("PORTAL_WORKER_DEAD_AFTER_SECONDS", "60"))
PORTAL_TASKS_MAX_RUNS = int(os.environ.get("PORTAL_TASKS_MAX_RUNS", "3"))
# A mailing that made no progress for this many seconds while work remains is shown as interrupted, with a
# "resume" action (portal/notifications/); keep it above PORTAL_NOTIFICATIONS_RETRY_DELAY.
PORTAL_NOTIFICATIONS_STUCK_AFTER = int(os.environ.get("PORTAL_NOTIFICATIONS_STUCK_AFTER", "900"))

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "Portail des locataires")
WAGTAILADMIN_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "odt", "docx", "xlsx", "ods", "txt", "csv"]
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Accounts (django-allauth): log in by e-mail, verification mandatory, rate limited.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Failed logins: 10 a minute per address, and 5 per 5 minutes per account *from one address* (the key is the e-mail
# and the client's address, portal.accounts.adapters): someone typing a committee member's e-mail with wrong
# passwords is stopped without locking the member out at their own address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
}
ACCOUNT_FORMS = {"signup": "portal.forms.SignupForm"}
# Confirming the e-mail in the browser that signed up logs the person in (then "My account" proposes linking).
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_ADAPTER = "portal.accounts.adapters.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"

# Captcha (django-simple-captcha) on anonymous forms.
CAPTCHA_FONT_SIZE = 32
CAPTCHA_LETTER_ROTATION = (-20, 20)
CAPTCHA_TIMEOUT = 10

# Anonymous public pages kept this many seconds in the cache (0: off), retired at once when content changes.
# On by default only with Redis: the cache must be shared by every process for the retiring to reach them all.
PORTAL_PAGE_CACHE_SECONDS = int(
    os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "120" if os.environ.get("REDIS_URL") else "0")
)

# Rate limits for anonymous forms (django-ratelimit): the cache above is shared by all workers.
RATELIMIT_VIEW = "portal.views.ratelimited"

# The client's address behind reverse proxies (portal/client.py): the number of proxies in front of gunicorn that
# append to the header below (0: none, REMOTE_ADDR is the client). Every rate limit and attempt record uses it.
PORTAL_TRUSTED_PROXY_COUNT = int(os.environ.get("PORTAL_TRUSTED_PROXY_COUNT", "0"))
if PORTAL_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("PORTAL_TRUSTED_PROXY_COUNT must be 0 or more.")
PORTAL_CLIENT_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER", "X-Forwarded-For")
RATELIMIT_IP_META_KEY = "portal.client.client_ip"

# Content-Security-Policy (django-csp 4): scripts from the site itself, inline ones only with the response's nonce;
# the Wagtail admin alone allows its inline scripts (portal/csp.py says why). Inline styles stay allowed (Wagtail).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "script-src": ["'self'", NONCE],
        "frame-src": [
            "'self'",
            "https://www.youtube-nocookie.com",
            "https://www.youtube.com",
            "https://player.vimeo.com",
        ],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Portal settings (domain defaults; each can be overridden per object where the domain guide says so).
PORTAL_COMPANY_NAME = os.environ.get("PORTAL_COMPANY_NAME", "Société de logement")
PORTAL_COMPANY_ADDRESS = os.environ.get("PORTAL_COMPANY_ADDRESS", "Rue de l'Exemple 1, 1000 Bruxelles")
PORTAL_PRIVACY_EMAIL = os.environ.get("PORTAL_PRIVACY_EMAIL", "")
# Staff (workers, department staff, reviewers, election committee, administrators) must use two-factor
# authentication: a staff session is usable, on every page, once the second factor was given in it
# (portal.accounts.two_factor).
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", True)
# Personal codes printed on letters so a tenant can link their account (portal.accounts.linking).
PORTAL_LINKING_CODE_VALIDITY_DAYS = int(os.environ.get("PORTAL_LINKING_CODE_VALIDITY_DAYS", "90"))
PORTAL_LINKING_MAX_FAILURES_PER_HOUR = int(os.environ.get("PORTAL_LINKING_MAX_FAILURES_PER_HOUR", "5"))
# Retention periods applied every night by `manage.py portal_retention` (portal.gdpr.retention), shown on the
# privacy page: copies of the addresses a message was sent to, and draft applications nobody touched.
PORTAL_RETENTION_DELIVERY_MONTHS = int(os.environ.get("PORTAL_RETENTION_DELIVERY_MONTHS", "6"))
PORTAL_RETENTION_DRAFT_DAYS = int(os.environ.get("PORTAL_RETENTION_DRAFT_DAYS", "365"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "wagtail": {"level": "WARNING"},
    },
}
