"""Thin Celery tasks for the audit trail, scheduled by beat. Both are idempotent."""

from celery import shared_task

from jobcenter.audit.services import audit_prune_read_events, audit_verify


@shared_task(acks_late=True, reject_on_worker_lost=True)
def verify_audit_chains() -> list[int | None]:
    """Nightly: a break raises an alert (once per broken event) that supervisors and administrators see."""
    return [result.broken.event_id if result.broken else None for result in audit_verify()]


@shared_task(acks_late=True, reject_on_worker_lost=True)
def prune_read_events() -> int:
    return audit_prune_read_events()
