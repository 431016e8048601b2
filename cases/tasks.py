"""Thin Celery tasks for cases."""

from celery import shared_task

from cases.services import hearing_deadlines_scan


@shared_task(acks_late=True, reject_on_worker_lost=True)
def scan_hearing_deadlines() -> int:
    """Scheduled by beat, hourly. Idempotent: each notice is recorded once per hearing, kind and
    deadline, so a second firing (or a redelivered task) writes nothing."""
    return hearing_deadlines_scan()
