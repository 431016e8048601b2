"""Thin Celery task for sessions, scheduled by beat. Idempotent."""

from celery import shared_task
from django.contrib.sessions.models import Session

from jobcenter.core import clock


@shared_task(acks_late=True, reject_on_worker_lost=True)
def clear_expired_sessions() -> int:
    """Expired sessions are refused on read but stay as rows; this deletes them (as `clearsessions`)."""
    deleted, _per_model = Session.objects.filter(expire_date__lt=clock.now()).delete()
    return deleted
