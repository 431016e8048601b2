"""Thin Celery tasks for social-media findings."""

from celery import shared_task

from socialmedia_checks.services import findings_purge_unused


@shared_task(acks_late=True, reject_on_worker_lost=True)
def purge_unused_findings() -> int:
    """Scheduled by beat. Idempotent: a finding already purged is skipped, so a re-run is harmless."""
    return findings_purge_unused()
