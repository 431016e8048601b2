"""Reads of the outbox a user triggers: only their own in-app messages, ever."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from jobcenter.notifications.models import Channel, Notification


def notifications_inbox(user: User | AnonymousUser) -> QuerySet[Notification]:
    """The user's in-app messages, newest first. One query per page, whatever the number of messages."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk, channel=Channel.IN_APP).order_by("-created_at", "-id")


def notifications_unread_count(user: User | AnonymousUser) -> int:
    return notifications_inbox(user).filter(read_at__isnull=True).count()


def notification_get_for_user(user: User | AnonymousUser, pk: int) -> Notification:
    """One of the user's own in-app messages; anybody else's answers 404, as if it did not exist."""
    return get_object_or_404(notifications_inbox(user), pk=pk)
