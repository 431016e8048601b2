"""The in-app inbox: every signed-in role reads its own messages and marks one read."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from jobcenter.casework.views.base import AuthenticatedHttpRequest
from jobcenter.notifications.selectors import notification_get_for_user, notifications_inbox
from jobcenter.notifications.services import notification_mark_read

INBOX_PAGE_SIZE = 25


class InboxView(LoginRequiredMixin, View):
    """Any signed-in user, whatever the role: each sees only their own messages."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        page = Paginator(notifications_inbox(request.user), INBOX_PAGE_SIZE).get_page(request.GET.get("side"))
        return render(request, "notifications/inbox.html", {"page": page})


class NotificationReadView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        notification = notification_get_for_user(request.user, pk)
        notification_mark_read(notification=notification, acting_user=request.user)
        return redirect("notifications_inbox")
