"""Open audit alerts, shown on every page to supervisors and administrators."""

from typing import Any

from django.http import HttpRequest

from jobcenter.audit.models import AuditAlert
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_role_names


def audit_alerts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = {Role.SUPERVISOR.value, Role.ADMINISTRATOR.value}
    if not (user.is_superuser or roles & user_role_names(user)):
        return {}
    return {"audit_alerts": list(AuditAlert.objects.filter(resolved_at__isnull=True)[:5])}
