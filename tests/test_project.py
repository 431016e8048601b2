"""The project's promises about how it starts: real PostgreSQL everywhere, production refusing to
start without its secrets, the compose file describing the production shape, the demo loading."""

import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import yaml
from django.conf import settings
from django.core.management import call_command

from cases.models import AttemptOutcome, DecisionAttempt
from jobcenter.embedded_db import embedded_database_settings
from jobcenter.organisation.models import Jobcentre

ROOT = Path(__file__).resolve().parent.parent


def _django(settings_module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": settings_module, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_database_url():
    result = _django("jobcenter.settings.prod", "pass", SECRET_KEY="x" * 60, ALLOWED_HOSTS="jobcenter.example.dk")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = _django("jobcenter.settings.prod", "pass", DATABASE_URL="postgres://u@127.0.0.1/db", ALLOWED_HOSTS="x")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_uses_the_database_url_and_redis_url():
    result = _django(
        "jobcenter.settings.prod",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)",
        DATABASE_URL="postgres://u@db.example:5432/jobcenter",
        REDIS_URL="redis://cache.example:6379/0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="jobcenter.example.dk",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["db.example", "redis://cache.example:6379/0", "False"]


def test_the_suite_runs_on_postgresql():
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def test_embedded_postgresql_starts_under_var_and_is_reused():
    var_dir = ROOT / "var" / "test-embedded"
    first = embedded_database_settings(var_dir)
    second = embedded_database_settings(var_dir)
    assert first == second
    assert str(var_dir) in first["HOST"] or Path(first["HOST"]).exists()
    with psycopg.connect(host=first["HOST"], user=first["USER"], dbname=first["NAME"]) as connection:
        assert connection.execute("SELECT current_setting('server_version_num')::int").fetchone()[0] >= 150000


def test_compose_file_describes_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "beat"}
    assert all("healthcheck" in service for service in services.values())
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["environment"]["REDIS_URL"].startswith("redis://")


@pytest.mark.django_db
def test_load_demo_creates_the_cookie_case_refused_under_d2_and_d3_and_is_idempotent():
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert Jobcentre.objects.count() == 5
    refused = DecisionAttempt.objects.get(decision__case__citizen__first_name="Hanne")
    assert refused.outcome == AttemptOutcome.REFUSED
    assert sorted(refused.rule_codes) == ["D2", "D3"]
