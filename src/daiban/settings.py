"""Django settings. Everything that differs between machines comes from the environment.

DATABASE_URL   unset: SQLite (WAL) at $DAIBAN_HOME/daiban.sqlite3 — the embedded default
               postgres://user@host:port/name — PostgreSQL (production)
DAIBAN_HOME    where the SQLite file, uploads and backups live (default ./var)
DAIBAN_SECRET_KEY, DAIBAN_DEBUG, DAIBAN_ALLOWED_HOSTS
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("DAIBAN_HOME", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("DAIBAN_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("DAIBAN_SECRET_KEY") or "daiban-local-only-" + str(HOME)
ALLOWED_HOSTS = os.environ.get("DAIBAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # Note: serves Swagger UI from its own static files, never from a CDN
    "daiban.web",
    "daiban.accounts",
    "daiban.audit",
    "daiban.projects",
    "daiban.approvals",
    "daiban.investment",
    "daiban.apitokens",
    "daiban.catalogue",
    "daiban.coordination",
    "daiban.notifications",
    "daiban.policies",
    "daiban.meetings",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "daiban.web.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "daiban.web.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "daiban.urls"
WSGI_APPLICATION = "daiban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "daiban.web.context_processors.navigation",
                "daiban.notifications.context_processors.inbox",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dj_database_url.parse(url, conn_max_age=60)
        if database["ENGINE"].endswith("postgresql"):
            # Note: the dashboard's aggregates cross PostgreSQL's JIT threshold and spend ~25 ms compiling
            # what runs in ~50 ms; measured in benchmarks/web.py.
            database.setdefault("OPTIONS", {})["options"] = "-c jit=off -c plan_cache_mode=force_custom_plan"
            # Server-side binding: parameters travel apart from the SQL instead of being quoted into it in
            # Python, and psycopg prepares a statement a connection runs again (~12 % off the project page).
            # Each run is still planned for its values (force_custom_plan above): a generic plan of "any
            # report of this month?" scanned the whole table for a month without reports.
            database["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}
        return database
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": HOME / "daiban.sqlite3",
        "OPTIONS": {
            # WAL lets readers and one writer work at once; IMMEDIATE avoids upgrade deadlocks.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored ECharts (with its licence) and the site's CSS/JS
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = HOME / "media"

LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"
# Sign-in throttling (daiban.web.throttle, failures kept in the database so every gunicorn worker agrees):
# this many failures per username+address within the window refuse further attempts until it has passed.
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
UPLOAD_MAX_BYTES = 10 * 1024 * 1024  # largest file a page accepts (checked again by each upload form)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Content-Security-Policy of every response (daiban.web.middleware): only this server's own files.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# ---- E-mail of notifications (daiban.notifications): off unless DAIBAN_SMTP_HOST is set ----
# DAIBAN_SMTP_HOST, DAIBAN_SMTP_PORT (25), DAIBAN_SMTP_USER, DAIBAN_SMTP_PASSWORD,
# DAIBAN_SMTP_TLS ("1"/"starttls": STARTTLS; "ssl": implicit TLS, usually port 465), DAIBAN_MAIL_FROM,
# DAIBAN_SITE_URL (e.g. https://daiban.example.gov.cn: makes the links in mails absolute).
_SMTP_TLS = os.environ.get("DAIBAN_SMTP_TLS", "").strip().lower()
DAIBAN_EMAIL_ENABLED = bool(os.environ.get("DAIBAN_SMTP_HOST"))
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if DAIBAN_EMAIL_ENABLED
    else "django.core.mail.backends.dummy.EmailBackend"
)
EMAIL_HOST = os.environ.get("DAIBAN_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("DAIBAN_SMTP_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("DAIBAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DAIBAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _SMTP_TLS in {"1", "true", "yes", "starttls"}
EMAIL_USE_SSL = _SMTP_TLS == "ssl"
EMAIL_TIMEOUT = 30  # seconds: a silent server must not hang the daily run
DEFAULT_FROM_EMAIL = os.environ.get("DAIBAN_MAIL_FROM", "daiban@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
DAIBAN_SITE_URL = os.environ.get("DAIBAN_SITE_URL", "").rstrip("/")
# Milestones planned within this many working days are announced to the butler (消息：节点即将到期).
NOTIFY_MILESTONE_DAYS = int(os.environ.get("DAIBAN_NOTIFY_MILESTONE_DAYS") or 5)

# ---- Agency operations ----
# The dispatch meeting's period (调度会统计周期) and a coordination issue's yellow light (working days left).
DISPATCH_PERIOD_DAYS = int(os.environ.get("DAIBAN_DISPATCH_PERIOD_DAYS") or 14)
ISSUE_WARNING_DAYS = int(os.environ.get("DAIBAN_ISSUE_WARNING_DAYS") or 2)
