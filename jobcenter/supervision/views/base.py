"""Who may use the supervisor's desk: supervisors and administrators, always within their own jobcentre."""

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role, user_jobcentre_id


class SupervisorHttpRequest(HttpRequest):
    user: User


class SupervisorRequiredMixin(AccessMixin):
    """Sets `self.jobcentre_id`: every read on the desk is limited to it."""

    jobcentre_id: int

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        allowed = user_has_role(request.user, Role.SUPERVISOR) or user_has_role(request.user, Role.ADMINISTRATOR)
        jobcentre_id = user_jobcentre_id(request.user)
        if not allowed or jobcentre_id is None:
            raise PermissionDenied
        self.jobcentre_id = jobcentre_id
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
