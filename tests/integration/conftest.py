"""Real processes for the integration tests: a Redis server the test owns (on a free loopback port, so
it can stop and restart it), Celery workers and gunicorn as subprocesses against the test database,
and the test process's own Celery app pointed at that Redis for the duration of a test.

Without /usr/bin/redis-server the tests skip, unless REQUIRE_SERVICES is set (CI), when they fail.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import psutil
import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
REDIS_SERVER = "/usr/bin/redis-server"


def require(condition: bool, reason: str) -> None:
    """Skip when a service is missing, or fail when the run says it must be there (REQUIRE_SERVICES)."""
    if condition:
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate: Callable[[], Any], *, timeout: float, interval: float = 0.1, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)


def database_url_of_test_db() -> str:
    """A DATABASE_URL for the database pytest-django created (django-environ syntax). A unix-socket host
    (the embedded server) goes in ?host=, as environ does not decode %2F in the host part."""
    s = connection.settings_dict
    user = quote(s.get("USER") or "", safe="")
    password = quote(s.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host, port, name = s.get("HOST") or "", str(s.get("PORT") or ""), s["NAME"]
    if host.startswith("/"):
        query = {"host": host, **({"port": port} if port else {})}
        return f"postgres://{auth}/{quote(name)}?{urlencode(query)}"
    return f"postgres://{auth}{host}{':' + port if port else ''}/{quote(name)}"


def service_env(redis_url: str, mail_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="jobcenter.settings.test",
        DATABASE_URL=database_url_of_test_db(),
        REDIS_URL=redis_url,
        EMAIL_BACKEND="tests.integration.slow_mail.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


# --- Redis ---------------------------------------------------------------------------------------------


@dataclass
class RedisServer:
    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        assert self.process is None, "already running"
        log = (self.workdir / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.ping, timeout=10, what="redis-server to answer PING")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    require(Path(REDIS_SERVER).exists(), f"{REDIS_SERVER} is not installed")
    server = RedisServer(workdir=tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


def mail_files(mail_dir: Path) -> list[Path]:
    return sorted(mail_dir.glob("*.eml"))


# --- The test process's Celery app ------------------------------------------------------------------------


@dataclass
class Broker:
    server: RedisServer

    def reset_pool(self) -> None:
        """Forget broker connections so the next publish opens a fresh one."""
        from jobcenter.celery import app

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None


@pytest.fixture
def broker(redis_server: RedisServer) -> Iterator[Broker]:
    """Publish from this process to the test's Redis instead of running tasks eagerly; restored after."""
    from jobcenter.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    handle = Broker(redis_server)
    handle.reset_pool()
    app.conf.broker_url = redis_server.url
    app.conf.task_always_eager = False
    yield handle
    handle.reset_pool()
    app.conf.update(saved)


# --- Celery workers ---------------------------------------------------------------------------------------


@dataclass
class CeleryWorker:
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen | None = None

    def start(self) -> "CeleryWorker":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "jobcenter",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--pool",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"it-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._ready, timeout=60, interval=0.2, what=f"celery worker ready (log {self.log_path})")
        return self

    def _ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"celery worker exited {self.process.returncode}:\n{self.log()}")
        return " ready." in self.log()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def succeeded(self, task_id: str) -> bool:
        return any(task_id in line and "succeeded" in line for line in self.log().splitlines())

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def pool_children(self) -> list[psutil.Process]:
        return psutil.Process(self.pid).children(recursive=True)

    def kill_all(self) -> None:
        """SIGKILL the worker and its pool at once, as a crashed machine would leave them."""
        assert self.process is not None
        for proc in [*self.pool_children(), psutil.Process(self.pid)]:
            try:
                proc.send_signal(signal.SIGKILL)
            except psutil.NoSuchProcess:
                pass
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        children = self.pool_children()
        self.process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for child in children:
            try:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        self.process = None


@pytest.fixture
def celery_worker(
    django_db_setup: None, redis_server: RedisServer, mail_dir: Path, tmp_path: Path
) -> Iterator[Callable[..., CeleryWorker]]:
    """Start a worker (and more, e.g. after a crash) against the test's Redis and database; all stop after."""
    started: list[CeleryWorker] = []

    def start(**extra_env: str) -> CeleryWorker:
        worker = CeleryWorker(
            env=service_env(redis_server.url, mail_dir, **extra_env),
            log_path=tmp_path / f"worker-{len(started)}.log",
        )
        started.append(worker)
        return worker.start()

    yield start
    for worker in reversed(started):
        worker.stop()


# --- gunicorn --------------------------------------------------------------------------------------------


@dataclass
class Gunicorn:
    env: dict[str, str]
    log_path: Path
    workers: int = 3
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        require(shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is not None, "gunicorn missing")
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jobcenter.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
            ],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(self._answers, timeout=60, interval=0.2, what=f"gunicorn (log {self.log_path})")
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"gunicorn exited {self.process.returncode}:\n{self.log_path.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


@pytest.fixture
def gunicorn(django_db_setup: None, redis_server: RedisServer, mail_dir: Path, tmp_path: Path) -> Iterator[Gunicorn]:
    server = Gunicorn(env=service_env(redis_server.url, mail_dir), log_path=tmp_path / "gunicorn.log")
    server.start()
    yield server
    server.stop()
