"""Thin Celery tasks for the outbox. Both are idempotent: delivery checks and marks under a row lock."""

from celery import shared_task

from jobcenter.notifications.services import notification_deliver, notifications_dispatch_pending


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def deliver_notification(notification_id: int) -> bool:
    return notification_deliver(notification_id=notification_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def dispatch_pending_notifications() -> int:
    """Beat, every minute: delivers what the broker never got (Redis down) or what failed before."""
    return notifications_dispatch_pending()
