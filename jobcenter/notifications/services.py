"""Writing and delivering notifications.

`notification_enqueue` writes the row in the caller's transaction and, after commit, hands delivery
to Celery; if the broker cannot be reached within a second the request goes on, and the beat sweep
`notifications_dispatch_pending` delivers it later. Delivery locks the row, sends, and marks it
delivered in one transaction, so a re-run (a redelivered task, a second sweep) never marks it twice.
E-mail is at-least-once at the SMTP edge: a crash between handing the mail over and committing the
mark can resend it; in-app messages are exactly once.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction

from jobcenter.audit.services import audit_change
from jobcenter.core import clock
from jobcenter.notifications.models import Channel, Notification

logger = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(minutes=30)


def notification_enqueue(
    *, recipient: User, channel: Channel | str, subject: str, body: str, key: str, url: str = ""
) -> Notification:
    """Write a message with its cause (same transaction); a second call with the same key is a no-op."""
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={"recipient": recipient, "channel": channel, "subject": subject[:200], "body": body, "url": url},
    )
    if created:
        transaction.on_commit(lambda: enqueue_delivery(notification.pk))
    return notification


def enqueue_delivery(notification_id: int) -> bool:
    """Hand delivery to the broker; never let a broker outage fail the request that caused the message."""
    from jobcenter.notifications.tasks import deliver_notification

    try:
        deliver_notification.apply_async(args=(notification_id,), retry=False)
    except Exception:
        logger.warning("Notification %s not enqueued; the pending sweep will deliver it", notification_id)
        return False
    return True


def notification_deliver(*, notification_id: int) -> bool:
    """Deliver one message if it is still pending. Returns whether this call delivered it."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, delivered_at__isnull=True)
            .select_related("recipient")
            .first()
        )
        if notification is None:
            return False
        if notification.channel == Channel.EMAIL:
            send_mail(
                notification.subject,
                notification.body,
                settings.DEFAULT_FROM_EMAIL,
                [notification.recipient.email],
                fail_silently=False,
            )
        notification.attempts += 1
        notification.delivered_at = clock.now()
        notification.last_error = ""
        notification.save(update_fields=["attempts", "delivered_at", "last_error"])
    return True


def notification_record_failure(*, notification_id: int, error: str) -> None:
    """Count a failed attempt and push the next one back exponentially (1, 2, 4 … minutes, at most 30)."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().get(pk=notification_id)
        notification.attempts += 1
        notification.last_error = error[:2000]
        notification.next_attempt_at = clock.now() + min(
            timedelta(minutes=2 ** (notification.attempts - 1)), MAX_BACKOFF
        )
        notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def notifications_dispatch_pending(*, now: datetime | None = None, limit: int = 500) -> int:
    """The sweep: deliver every pending message that is due, oldest first. Idempotent."""
    now = now or clock.now()
    due = Notification.objects.filter(delivered_at__isnull=True, next_attempt_at__lte=now).order_by("next_attempt_at")
    delivered = 0
    for notification_id in due.values_list("pk", flat=True)[:limit]:
        try:
            delivered += notification_deliver(notification_id=notification_id)
        except Exception as error:
            notification_record_failure(notification_id=notification_id, error=repr(error))
    return delivered


@transaction.atomic
def notification_mark_read(*, notification: Notification, acting_user: User) -> Notification:
    """The recipient marks a message read (an audited change); anyone else changes nothing."""
    if notification.recipient_id == acting_user.pk and notification.read_at is None:
        notification.read_at = clock.now()
        notification.save(update_fields=["read_at"])
        audit_change(notification, actor=acting_user, service="notification_mark_read")
    return notification
