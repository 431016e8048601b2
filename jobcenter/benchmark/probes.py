"""The pages the benchmark measures and the query budget pins, and how one visit is measured.

The same probes serve `manage.py bench` (on generated data) and tests/test_query_budget.py (on the
test personas), so the pages whose speed is claimed are the pages whose query counts are pinned."""

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from cases.models import Case, Decision
from jobcenter.accounts.services import (
    confirmed_totp_device,
    second_factor_required,
    totp_device_confirm,
    totp_device_for_setup,
)

Persona = Literal["caseworker", "supervisor", "union_representative"]

# Transaction control is not a query: an atomic block begins and commits in production and becomes a
# savepoint under a test's transaction. Counting it would make the same page cost differently in each.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT ", "RELEASE SAVEPOINT ")
FLOOR = "floor"


@dataclass(frozen=True)
class Subjects:
    """Who visits and what they look at."""

    caseworker: User
    supervisor: User
    union_representative: User
    case: Case
    draft_decision: Decision
    search_cpr: str
    search_name: str
    month_end: date


@dataclass(frozen=True)
class Probe:
    name: str
    persona: Persona
    path: str
    form: dict[str, str] | None = None  # a POST, such as a search (CPR numbers never go in a URL)


@dataclass(frozen=True)
class Sample:
    status: int
    statements: int
    seconds: float


def probes(subjects: Subjects) -> list[Probe]:
    month = {
        "date_from": (subjects.month_end - timedelta(days=30)).isoformat(),
        "date_to": subjects.month_end.isoformat(),
    }
    case, decision = subjects.case, subjects.draft_decision
    return [
        Probe(FLOOR, "caseworker", reverse("account")),
        Probe("home", "caseworker", reverse("home")),
        Probe("search_cpr", "caseworker", reverse("search"), form={"query": subjects.search_cpr}),
        Probe("search_name", "caseworker", reverse("search"), form={"query": subjects.search_name}),
        Probe("case_page", "caseworker", reverse("case_detail", args=[case.pk])),
        Probe("decision_checklist", "caseworker", reverse("decision_checklist", args=[decision.pk])),
        # The log's filters are a POST: a CPR number may be one of them, and none may end up in a URL.
        Probe("audit_log_case", "supervisor", reverse("audit_log"), form={"case": case.reference, **month}),
        Probe(
            "audit_log_actor", "supervisor", reverse("audit_log"), form={"actor": subjects.caseworker.username, **month}
        ),
        Probe("review_queue", "supervisor", reverse("review_queue")),
        Probe("union_report", "union_representative", reverse("union_case_report", args=[case.pk])),
        Probe("union_report_pdf", "union_representative", reverse("union_case_report_pdf", args=[case.pk])),
    ]


def statement_count(queries: CaptureQueriesContext) -> int:
    return sum(1 for query in queries.captured_queries if not query["sql"].startswith(TRANSACTION_CONTROL))


def visit(client: Client, probe: Probe) -> Sample:
    """One request through the whole stack (middleware, view, template), timed and its statements counted."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        # As HTTPS, so production settings (which redirect plain HTTP) serve the page itself.
        if probe.form is None:
            response = client.get(probe.path, secure=True)
        else:
            response = client.post(probe.path, probe.form, secure=True)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        seconds = time.perf_counter() - started
    return Sample(response.status_code, statement_count(queries), seconds)


def signed_in_client(user: User) -> Client:
    """A client logged in as the user; for a role that needs it, past the second factor too, as the TOTP
    page leaves the session (the user's confirmed device, made if they have none)."""
    client = Client()
    client.force_login(user)
    if not second_factor_required(user):
        return client
    device = confirmed_totp_device(user)
    if device is None:
        # Set up as the user would at first login, through the services (so the change is audited).
        device = totp_device_for_setup(user)
        totp_device_confirm(device=device)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
