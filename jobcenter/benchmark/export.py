"""The CSV export at scale: stream the audit log of the newest `rows` events of the jobcentre and see how
far the process's resident memory rises while it does."""

import resource
import time
from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.urls import reverse

from jobcenter.audit.models import AuditEvent
from jobcenter.core import clock


@dataclass(frozen=True)
class ExportResult:
    rows: int
    megabytes: float
    seconds: float
    peak_growth_mb: float


def _rss_mb() -> float:
    """The process's resident memory now (not its lifetime peak, which an earlier PDF may have set)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def export_run(client: Client, *, jobcentre_id: int, rows: int) -> ExportResult:
    """POST the export with the date range that holds at least `rows` events and read it to the end
    chunk by chunk, as a browser downloading it would."""
    oldest = (
        AuditEvent.objects.filter(jobcentre_id=jobcentre_id)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)[rows - 1 : rows]
        .first()
    )
    if oldest is None:
        raise ValueError(f"fewer than {rows} audit events in the jobcentre")
    last = clock.localdate(clock.now()) + timedelta(days=1)
    form = {"date_from": clock.localdate(oldest).isoformat(), "date_to": last.isoformat()}
    before = highest = _rss_mb()
    started = time.perf_counter()
    response = client.post(reverse("audit_log_export"), form, secure=True)
    if response.status_code != 200:
        raise ValueError(f"the export answered {response.status_code}")
    lines = size = 0
    for number, chunk in enumerate(response.streaming_content):  # type: ignore[attr-defined]
        lines += chunk.count(b"\n")
        size += len(chunk)
        if number % 1_000 == 0:
            highest = max(highest, _rss_mb())
    seconds = time.perf_counter() - started
    return ExportResult(
        rows=lines - 1, megabytes=size / 1e6, seconds=seconds, peak_growth_mb=max(highest, _rss_mb()) - before
    )
