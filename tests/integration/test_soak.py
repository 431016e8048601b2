"""Soak: simulated caseworkers against gunicorn with a Celery worker and the test's own Redis, loopback
only and bounded (SOAK_USERS, default 20, for SOAK_SECONDS, default 60). Every request must succeed;
every issued decision must notify its party representative exactly once per channel; the audit chains
must verify afterwards. The figures are printed (-s) and written to test-artifacts/soak.json."""

import datetime as dt
import http.cookiejar
import json
import os
import re
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import pytest

from cases import services as case_services
from cases.models import Decision, DecisionStatus, MandateKind
from jobcenter.audit.services import audit_verify
from jobcenter.core import clock
from jobcenter.notifications.models import Channel, Notification
from jobcenter.notifications.tasks import dispatch_pending_notifications
from jobcenter.organisation import services as org_services
from jobcenter.organisation.roles import Role
from tests.factories import CaseFactory
from tests.integration.conftest import REPO, mail_files, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

USERS = int(os.environ.get("SOAK_USERS", "20"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
PASSWORD = "soak-password-1"
DECISION_EVERY = 4  # iterations
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    decisions_issued: list[int] = field(default_factory=list)


class Caseworker:
    """One browser: a cookie jar, no automatic redirects, each response checked against what is expected."""

    def __init__(self, base_url: str, stats: Stats) -> None:
        self.base_url = base_url
        self.stats = stats
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.csrf = ""

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, expect=(200,)
    ) -> tuple[int, str, str]:
        body = None
        headers = {"User-Agent": "soak"}
        if data is not None:
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": self.csrf, **data}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.base_url + path
        req = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                status, text, location = response.status, response.read().decode(errors="replace"), ""
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location", "")
        except OSError as error:
            status, text, location = 0, repr(error), ""
        elapsed = time.perf_counter() - started
        with self.stats.lock:
            self.stats.latencies.append(elapsed)
            if status not in expect:
                self.stats.errors.append(f"{method} {path} -> {status}: {text[:300]}")
        if match := CSRF_INPUT.search(text):
            self.csrf = match.group(1)
        return status, text, location

    def login(self, username: str) -> None:
        self.request("GET", "/login/")
        _status, _text, location = self.request(
            "POST", "/login/", {"username": username, "password": PASSWORD}, expect=(302,)
        )
        assert location, f"login of {username} did not redirect"

    def work(self, case_pk: int, until: float, worker_no: int) -> None:
        iteration = 0
        while time.monotonic() < until:
            iteration += 1
            self.request("GET", "/")
            self.request("POST", "/soeg/", {"query": "Jensen"})
            self.request("GET", f"/sager/{case_pk}/")
            self.request("POST", f"/sager/{case_pk}/notat/", {"text": f"Soak-notat {worker_no}/{iteration}."}, (302,))
            self.request(
                "POST",
                f"/sager/{case_pk}/anmeldelse/",
                {
                    "channel": "phone",
                    "received_on": clock.today().isoformat(),
                    "summary": f"Anonym anmeldelse {worker_no}/{iteration}.",
                    "tipper_identity": "",
                },
                (302,),
            )
            if iteration % DECISION_EVERY == 0:
                self.issue_decision(case_pk, worker_no, iteration)

    def issue_decision(self, case_pk: int, worker_no: int, iteration: int) -> None:
        status, _text, location = self.request(
            "POST",
            f"/sager/{case_pk}/afgoerelse/ny/",
            {"kind": "benefit_granted", "summary": f"Ydelse bevilget {worker_no}/{iteration}."},
            (302,),
        )
        match = re.search(r"/afgoerelser/(\d+)/", location)
        if status != 302 or match is None:
            return
        decision_pk = int(match.group(1))
        status, _text, _location = self.request("POST", f"/afgoerelser/{decision_pk}/udsted/", {}, (302,))
        if status == 302:
            with self.stats.lock:
                self.stats.decisions_issued.append(decision_pk)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def test_soak_caseworkers_against_gunicorn_with_worker(world, broker, celery_worker, gunicorn, mail_dir):
    worker = celery_worker()
    lone = world.lone
    lone.email = "lone@3f.example.dk"
    lone.save(update_fields=["email"])
    people = []
    for number in range(USERS):
        user = org_services.staff_user_create(
            username=f"soak{number:02d}",
            password=PASSWORD,
            role=Role.CASEWORKER,
            first_name="Soak",
            last_name=f"{number:02d}",
            jobcentre=world.aalborg,
            teams=[world.sygedagpenge_team],
            acting_user=None,
        )
        case = CaseFactory(team=world.sygedagpenge_team, acting_user=user)
        case_services.mandate_record(
            citizen=case.citizen,
            union=world.union_3f,
            representative=lone,
            kind=MandateKind.PARTY_REPRESENTATIVE,
            valid_from=clock.today(),
            case=case,
            acting_user=user,
        )
        people.append((user.username, case.pk))
    notifications_before = set(Notification.objects.values_list("pk", flat=True))

    stats = Stats()
    clients = [Caseworker(gunicorn.base_url, stats) for _ in people]
    for client, (username, _case_pk) in zip(clients, people, strict=True):
        client.login(username)
    assert stats.errors == [], stats.errors[:5]
    login_requests = len(stats.latencies)

    started = time.monotonic()
    until = started + SECONDS
    threads = [
        threading.Thread(target=client.work, args=(case_pk, until, number), name=f"soak-{number}")
        for number, (client, (_username, case_pk)) in enumerate(zip(clients, people, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    wall = time.monotonic() - started
    assert not any(thread.is_alive() for thread in threads)

    # Whatever the broker lost or never got, beat's sweep delivers; then nothing may be pending.
    sweep = dispatch_pending_notifications.apply_async()
    wait_until(lambda: worker.succeeded(sweep.id), timeout=120, interval=0.5, what="the sweep")
    wait_until(
        lambda: not Notification.objects.filter(delivered_at__isnull=True).exists(),
        timeout=120,
        interval=0.5,
        what="every notification delivered",
    )

    issued = set(stats.decisions_issued)
    in_db = set(
        Decision.objects.filter(case_id__in=[pk for _u, pk in people], status=DecisionStatus.ISSUED).values_list(
            "pk", flat=True
        )
    )
    new = Notification.objects.exclude(pk__in=notifications_before)
    expected_keys = {f"decision:{pk}:issued:representative:{lone.pk}:{ch}" for pk in issued for ch in Channel.values}
    actual_keys = list(new.values_list("key", flat=True))
    emails = new.filter(channel=Channel.EMAIL)
    mails = mail_files(mail_dir)
    chains = audit_verify(raise_alert=False)

    work_requests = len(stats.latencies) - login_requests
    latencies = stats.latencies[login_requests:]
    figures = {
        "users": USERS,
        "seconds": round(wall, 1),
        "requests": work_requests,
        "requests_per_second": round(work_requests / wall, 1),
        "latency_p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "latency_p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "latency_max_ms": round(max(latencies) * 1000, 1),
        "latency_mean_ms": round(statistics.fmean(latencies) * 1000, 1),
        "errors": len(stats.errors),
        "decisions_issued": len(issued),
        "notifications": len(actual_keys),
        "notifications_delivered": new.filter(delivered_at__isnull=False).count(),
        "mail_files": len(mails),
        "audit_chains": {str(r.chain): {"events": r.checked, "intact": r.broken is None} for r in chains},
        "at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
    }
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "soak.json").write_text(json.dumps(figures, indent=2) + "\n")
    print("\nSOAK", json.dumps(figures, indent=2))

    assert stats.errors == [], f"{len(stats.errors)} errors, first: {stats.errors[:5]}"
    assert issued == in_db
    assert len(issued) >= USERS, "every caseworker should have issued decisions"
    assert len(actual_keys) == len(set(actual_keys)), "duplicated notifications"
    assert set(actual_keys) == expected_keys, "lost or unexpected notifications"
    assert new.filter(delivered_at__isnull=True).count() == 0
    assert all(n.attempts == 1 for n in new)
    assert len(mails) == emails.count() == len(issued)
    assert all(r.broken is None for r in chains), chains
