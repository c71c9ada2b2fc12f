"""Settings for the OGP Local action-plan portal.

Everything that differs between a laptop and a city's server is read from the
environment (or a `.env` file) through django-environ; `.env.example` lists
every variable. Production fails closed: DEBUG is off unless asked for, and a
missing secret key is an error unless DEBUG is on.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF, UNSAFE_HASHES
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment or in .env "
            "(see .env.example), or set DJANGO_DEBUG=true for local development."
        )
    # Development only: a fixed, obviously unsafe key so sessions survive restarts.
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin so its admin classes patch in time.
    "modeltranslation",
    # The admin, on the portal's admin site: its login hands over to the
    # site's own (ogp_portal/accounts.py); STAFF_REQUIRE_TOTP below.
    "ogp_portal.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "plans",
    "commitments",
    "consultations",
    "monitoring",
    # The project package: the security log's receivers, backup and restore.
    "ogp_portal",
    # Login brute-force protection; its records show to superusers in the admin.
    "axes",
    # Rate limits on public forms (comments, proposals, votes, feedback, sign-up).
    "django_ratelimit",
    # The optional second factor: a code from an authenticator app (TOTP).
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A 503 page while the database is down; its process_exception runs after the others'.
    "ogp_portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # 403 answers to the security log, with the user.
    "ogp_portal.middleware.SecurityLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-ratelimit's refusal (Ratelimited) answered by RATELIMIT_VIEW: 429, not 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ogp_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "plans.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "ogp_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so a
    # read-check-write (the edit version check) cannot interleave with another.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A database that does not answer fails the request fast (a 503 page,
    # ogp_portal/middleware.py) instead of holding a worker; libpq and
    # psycopg count anything under 2 seconds as 2.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=2)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://ogp-portal")}
# Anonymous visitors' public pages are cached this long at most; any staff
# change invalidates them at once (ogp_portal/page_cache.py). 0 turns it off;
# off by default in development, where templates change under a running server.
# Sessions live in the database, read through the cache: any app server can
# serve any visitor, and a cache flush logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background work (emails, notifications) runs on a worker process
# (`manage.py db_worker`) from a queue in the database. "immediate" runs each
# task in the request instead: for development without a worker, and tests.
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate" if DEBUG else "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}

PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0 if DEBUG else 300)
MESSAGE_COOKIE_NAME = "messages"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Login brute force (django-axes): after AXES_FAILURE_LIMIT failed logins for
# one username from one address, that pair is locked out for an hour (429,
# ogp_portal.views.login_locked_out); a successful login clears the count.
# Locking the pair, not the address or the username alone, keeps one person
# guessing from locking out a colleague, or everyone behind a city hall's
# single address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ogp_portal.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "ogp_portal.security_log.client_ip"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the six languages of the portal's users. Arabic is
# right to left; templates read LANGUAGE_BIDI and the stylesheet uses logical
# properties only.
LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="en")
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ka", _("Georgian")),
    ("sq", _("Albanian")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# Content typed by staff exists in the languages they wrote it in (the seeds
# are in French). A visitor reading another language sees the first available
# of: their language, English, French.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr")
MODELTRANSLATION_AUTO_POPULATE = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files: a local folder by default; with several app servers, an
# S3-compatible object store (MinIO, Ceph, AWS, Scaleway...) they all share.
MEDIA_STORAGE = env.str("DJANGO_MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    MEDIA_STORAGE_BACKEND = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            # Uploads are served through the portal's own views (permission
            # checks), never from public bucket URLs.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    MEDIA_STORAGE_BACKEND = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("DJANGO_MEDIA_STORAGE must be 'local' or 's3'.")

STORAGES = {
    "default": MEDIA_STORAGE_BACKEND,
    "staticfiles": {
        "BACKEND": env.str(
            "DJANGO_STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# One login page for everyone, monitors and staff (ogp_portal/accounts.py).
LOGIN_URL = "accounts:login"
# A second factor (a 6-digit code from an authenticator app, TOTP) is asked of
# every account that has set one up. With STAFF_REQUIRE_TOTP, staff must: the
# admin opens only to a session that passed it, and sends staff without an
# app to set one up first.
STAFF_REQUIRE_TOTP = env.bool("DJANGO_STAFF_REQUIRE_TOTP", default=False)
# Wrong codes in a row make the next try wait 1, 2, 4... seconds (django-otp),
# on top of django-axes, which counts a wrong code as a failed login.
OTP_TOTP_THROTTLE_FACTOR = 1
# Nobody, not even a superuser, reads an account's secret key in the admin; a
# superuser may still delete the device of someone who lost their phone.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# HTTPS, on unless DEBUG: http is redirected to https, cookies travel over
# https only, under `__Host-` names (no Domain, path /: no subdomain can set or
# read them), and browsers are told to use https for a year (HSTS). Turn it
# off (DJANGO_HTTPS=false) only for a local run over plain http: `make serve`,
# the benchmarks and the tests do.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# Load balancers probe the app servers directly, over http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-django_language"
    # The messages cookie follows the session cookie's Secure flag and path.
    MESSAGE_COOKIE_NAME = "__Host-messages"
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading is hard to undo (months to leave the browsers' lists), so a city
# opts in; until then the check that asks for it stays quiet.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a reverse proxy that terminates TLS: trust its X-Forwarded-Proto
# (only then: a client could send the header itself). The proxy must set the
# header on every request and strip any the client sent.
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Only if the proxy does not pass the Host header through.
    USE_X_FORWARDED_HOST = env.bool("DJANGO_USE_X_FORWARDED_HOST", default=False)

# Content Security Policy (django-csp) on every response: scripts, styles,
# images and fonts from this site only; an inline <script> or <style> runs
# only with the request's nonce (`nonce="{{ request.csp_nonce }}"`). No page
# may be framed by another site, except the embeddable pages, whose views
# replace frame-ancestors with EMBED_FRAME_ANCESTORS (default: any site).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # No style attributes but this one: django-simple-history's admin
        # history page writes style="border-top: 0" on its paginator. Matched
        # by its hash, so no other style attribute is allowed, in the admin or
        # anywhere (browser test: tests/browser/test_csp.py).
        "style-src-attr": [UNSAFE_HASHES, "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        # data: for the icons Swagger UI (the API docs) draws from data: URLs.
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["*"])

# Logs go to stderr. The security log (ogp_portal/security_log.py: logins,
# failed logins, lockouts, 403s, publications, role changes) is JSON lines, on
# stderr too, or appended to SECURITY_LOG_FILE (reopened when logrotate moves it).
SECURITY_LOG_FILE = env.str("SECURITY_LOG_FILE", default="")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ogp_portal.security_log.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "security": (
            {
                "class": "logging.handlers.WatchedFileHandler",
                "filename": SECURITY_LOG_FILE,
                "formatter": "json",
            }
            if SECURITY_LOG_FILE
            else {"class": "logging.StreamHandler", "formatter": "json"}
        ),
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"security": {"handlers": ["security"], "level": "INFO", "propagate": False}},
}

# The public API (ogp_portal/api.py): read-only, anonymous, throttled per
# client address. Behind N reverse proxies, set API_NUM_PROXIES=N so the
# client's address is read from X-Forwarded-For; with 0 it is the connection's.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["ogp_portal.api_policy.ReadOnly"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    # JSON only, so `?format=` is free for filters (a meeting's format).
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_PAGINATION_CLASS": "ogp_portal.api_policy.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["ogp_portal.api_policy.FilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env.str("API_ANON_RATE", default="60/min")},
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
    "EXCEPTION_HANDLER": "ogp_portal.api_policy.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "ogp_portal.api.PortalAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OGP Local portal API",
    "DESCRIPTION": (
        "Read-only open data of the open government action plans: jurisdictions, plans, "
        "commitments, milestones, indicators and co-creation meetings. Only what the public "
        "pages show: no drafts, nothing unpublished, no personal contact details.\n\n"
        "**Language.** Give `?lang=fr` (or an `Accept-Language` header). Every translated "
        'text is an object `{"text": ..., "language": ...}`: when a text is missing '
        "in the requested language it comes in English, else French, and `language` says "
        "which. `Content-Language` gives the language of the answer.\n\n"
        "**Lists** are paginated (`page`, `page_size` up to 100). **Errors** are "
        '`{"detail": ...}`, with `errors` per parameter for invalid input. Anonymous '
        "clients are limited to a number of requests per minute (429 with Retry-After)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PlanStatusEnum": "plans.models.ActionPlan.Status",
        "MilestoneStatusEnum": "commitments.models.Milestone.Status",
    },
    # Swagger UI and Redoc from the installed sidecar package, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# The portal's own settings.
PORTAL_NAME = env.str("PORTAL_NAME", default="OGP Local")
# The name authenticator apps show next to the account.
OTP_TOTP_ISSUER = PORTAL_NAME
# The portal's public address, for links in emails (sent without a request).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Monitoring reports (monitoring/).
# A quarter's report is due this many days after the quarter ends.
MONITORING_REPORT_DUE_DAYS = env.int("MONITORING_REPORT_DUE_DAYS", default=30)
# Monitors are reminded this many days before a report is due (send_report_reminders).
MONITORING_REMINDER_DAYS = env.int("MONITORING_REMINDER_DAYS", default=7)
# Who hears of a submitted report; empty: every staff account that may respond.
MONITORING_NOTIFY_EMAILS = env.list("MONITORING_NOTIFY_EMAILS", default=[])
# How long an invitation link stays valid, in seconds (7 days).
MONITOR_INVITATION_MAX_AGE = env.int("MONITOR_INVITATION_MAX_AGE", default=7 * 24 * 3600)
# The largest evidence file a monitor may upload, in bytes (10 MB).
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# The licence of the open-data downloads (/open-data/); the city chooses it.
OPEN_DATA_LICENCE_NAME = env.str(
    "OPEN_DATA_LICENCE_NAME", default="Creative Commons Attribution 4.0 International (CC BY 4.0)"
)
OPEN_DATA_LICENCE_URL = env.str(
    "OPEN_DATA_LICENCE_URL", default="https://creativecommons.org/licenses/by/4.0/"
)

# Participation (consultations/).
# Rate limits count in the default cache: in production it must be shared by
# every app server (Redis through CACHE_URL), so without CACHE_URL (one
# development process, tests) django-ratelimit's cache checks are silenced.
RATELIMIT_VIEW = "ogp_portal.views.rate_limited"
RATELIMIT_IP_META_KEY = "ogp_portal.security_log.client_ip"
if "CACHE_URL" not in env.ENVIRON:
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]
# Public writes allowed per account and per address ("count/period", period s, m, h or d).
PARTICIPATION_RATE_PER_ACCOUNT = env.str("PARTICIPATION_RATE_PER_ACCOUNT", default="10/m")
PARTICIPATION_RATE_PER_ADDRESS = env.str("PARTICIPATION_RATE_PER_ADDRESS", default="30/h")
# How long staff have to answer feedback before it is overdue, in hours
# (GE0067's target: 24 hours instead of a month).
FEEDBACK_RESPONSE_HOURS = env.int("FEEDBACK_RESPONSE_HOURS", default=24)
# Who hears of new and overdue feedback; empty: every staff account that may answer.
FEEDBACK_NOTIFY_EMAILS = env.list("FEEDBACK_NOTIFY_EMAILS", default=[])
# How long a sign-up confirmation link stays valid, in seconds (3 days).
SIGNUP_CONFIRMATION_MAX_AGE = env.int("SIGNUP_CONFIRMATION_MAX_AGE", default=3 * 24 * 3600)
# Text messages to followers who gave a phone number: "console" prints them
# (development), "twilio" sends them through Twilio's API with the credentials below.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
SMS_TWILIO_ACCOUNT_SID = env.str("SMS_TWILIO_ACCOUNT_SID", default="")
SMS_TWILIO_AUTH_TOKEN = env.str("SMS_TWILIO_AUTH_TOKEN", default="")
SMS_TWILIO_FROM = env.str("SMS_TWILIO_FROM", default="")

# modeltranslation reads these unprefixed names; both point at local copies
# so the admin's language tabs never load anything from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
JQUERY_URL = "admin/js/vendor/jquery/jquery.min.js"
