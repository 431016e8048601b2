"""Reads of the outbox a user triggers: only their own in-app messages, ever."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from jobcenter.notifications.models import Channel, Notification


def notifications_inbox(user: User | AnonymousUser) -> QuerySet[Notification]:
    """The user's in-app messages, newest first. One query per page, whatever the number of messages."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=user.pk, channel=Channel.IN_APP).order_by("-created_at", "-id")


def _unread(recipient: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=recipient, channel=Channel.IN_APP, read_at__isnull=True)


def unread_count_subquery() -> Coalesce:
    """The unread count as a column, so the request layer loads it with the user in one query."""
    counted = _unread(OuterRef("pk")).order_by().values("recipient").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def notifications_unread_count(user: User | AnonymousUser) -> int:
    """Loaded with the user (see accounts.backends) or, for a user loaded otherwise, counted now."""
    if not user.is_authenticated:
        return 0
    if hasattr(user, "unread_notification_count"):
        return int(user.unread_notification_count)
    return _unread(user.pk).count()


def notification_get_for_user(user: User | AnonymousUser, pk: int) -> Notification:
    """One of the user's own in-app messages; anybody else's answers 404, as if it did not exist."""
    return get_object_or_404(notifications_inbox(user), pk=pk)
