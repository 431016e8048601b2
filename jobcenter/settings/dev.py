"""Local development: DEBUG on, embedded PostgreSQL unless DATABASE_URL is set."""

from jobcenter.settings.base import *  # noqa: F403
from jobcenter.settings.base import env

DEBUG = True
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-not-secret-3f8a1c0e9b7d4e2f8a6c5b4d3e2f1a0b")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
