"""The in-app inbox: every signed-in role reads its own messages and marks one read."""

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from jobcenter.audit.models import Action
from jobcenter.casework.views.base import AuthenticatedHttpRequest, audit_read
from jobcenter.notifications.selectors import notification_get_for_user, notifications_inbox
from jobcenter.notifications.services import notification_mark_read

INBOX_PAGE_SIZE = 25


class SignedInRequiredMixin(AccessMixin):
    """Any signed-in user, whatever the role: each sees only their own messages."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class InboxView(SignedInRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(notifications_inbox(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("side"))
        return render(request, "notifications/inbox.html", {"page": page})


class NotificationReadView(SignedInRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        notification = notification_get_for_user(request.user, pk)
        notification_mark_read(notification=notification, acting_user=request.user)
        audit_read(request, notification, action=Action.CHANGE, details={"service": "notification_mark_read"})
        return redirect("notifications_inbox")
