"""The load run: gunicorn serving the current database, wrk sending the caseworkers' case-page mix.

Each simulated user is a real caseworker with their own session; wrk's connections pick, for each
request, a user and one of that user's own open cases (or, one time in five, their desk), so every
request passes the walls, renders a real page and writes its audit event."""

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

from cases.models import CaseStatus
from cases.selectors import cases_visible_to
from jobcenter.benchmark.probes import signed_in_client

# wrk reports its summary from Lua, so the 95th percentile and the error kinds come out as JSON.
WRK_SCRIPT = """
local targets = {%(targets)s}
local headers = {["X-Forwarded-Proto"] = "https"}
request = function()
  local target = targets[math.random(#targets)]
  headers["Cookie"] = target[1]
  return wrk.format("GET", target[2], headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50_ms": %%f, "p95_ms": %%f, "p99_ms": %%f, '
    .. '"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class LoadResult:
    users: int
    workers: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: dict[str, int]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _targets(users: list[User], *, seed: int) -> list[tuple[str, str]]:
    """(cookie, path) pairs: four of each user's open cases to one visit of their desk."""
    chooser = random.Random(seed)  # noqa: S311 (a repeatable choice of pages, not a secret)
    targets: list[tuple[str, str]] = []
    for user in users:
        cookie = f"{settings.SESSION_COOKIE_NAME}={signed_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value}"
        case_ids = list(
            cases_visible_to(user)
            .filter(assigned_caseworker=user, status=CaseStatus.OPEN)
            .order_by("pk")
            .values_list("pk", flat=True)[:200]
        )
        for case_id in chooser.sample(case_ids, min(8, len(case_ids))):
            targets.append((cookie, reverse("case_detail", args=[case_id])))
        targets += [(cookie, reverse("home"))] * 2
    return targets


def _lua_table(targets: list[tuple[str, str]]) -> str:
    return ", ".join(f"{{{json.dumps(cookie)}, {json.dumps(path)}}}" for cookie, path in targets)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_for(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start listening")


def load_run(*, users: list[User], seconds: int, workers: int, seed: int) -> LoadResult:
    """Serve with `workers` gunicorn sync workers and hit it from len(users) wrk connections."""
    wrk = shutil.which("wrk")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    if wrk is None or gunicorn is None:
        raise RuntimeError("the load run needs wrk (apt-get install wrk) and gunicorn")
    port = _free_port()
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "mix.lua"
        script.write_text(WRK_SCRIPT % {"targets": _lua_table(_targets(users, seed=seed))})
        server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
            [gunicorn, "jobcenter.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=os.environ.copy(),
            stdout=subprocess.DEVNULL,
            stderr=(Path(scratch) / "gunicorn.log").open("wb"),
        )
        try:
            _wait_for(port, server)
            command = [wrk, "-t2", f"-c{len(users)}", "-s", str(script), f"http://127.0.0.1:{port}/"]
            # A short first run lets every worker load the application; only the second one counts.
            subprocess.run([*command, "-d5s"], capture_output=True, check=True)  # noqa: S603 (wrk, fixed arguments)
            finished = subprocess.run(  # noqa: S603 (wrk, fixed arguments)
                [*command, f"-d{seconds}s"], capture_output=True, text=True, check=True
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    summary = json.loads(finished.stdout.strip().splitlines()[-1])
    errors = {kind: summary[kind] for kind in ("connect", "read", "write", "status", "timeout") if summary[kind]}
    return LoadResult(
        users=len(users),
        workers=workers,
        requests=summary["requests"],
        seconds=summary["seconds"],
        p50_ms=summary["p50_ms"],
        p95_ms=summary["p95_ms"],
        p99_ms=summary["p99_ms"],
        errors=errors,
    )
