"""The unread count for the navigation's "Beskeder (n)" link: one query, and only if a page shows it."""

from functools import cache
from typing import Any

from django.http import HttpRequest

from jobcenter.notifications.selectors import notifications_unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return notifications_unread_count(user)

    # A callable: the template calls it when (and only when) it renders the link; cached for reuse.
    return {"unread_notification_count": count}
