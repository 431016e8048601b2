"""Test settings: the real PostgreSQL (DATABASE_URL or embedded), fast hashing, files in a temporary folder."""

import tempfile

from jobcenter.settings.base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret-7c1e5a9d3b2f4e6a8c0d1e3f5a7b9c2d"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="jobcenter-test-media-")
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The unit suite runs tasks in-process even where REDIS_URL names a broker; tests/integration start
# their own Redis and a real worker and point the Celery app at them.
CELERY_TASK_ALWAYS_EAGER = True
