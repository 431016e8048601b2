"""The request side of the audit stream: a request id and source address for every event, a view
event for every page an authenticated user reads, and a denial event for every 403 and 404.

Views say what was read by setting `request.audit_subject` (the case, citizen or report), and mark a
search or an export with `request.audit_action` and `request.audit_details` (the criteria)."""

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jobcenter.audit.context import RequestContext, current_request
from jobcenter.audit.models import Action, Outcome
from jobcenter.audit.services import audit_record, subject_ids

DENIAL_STATUSES = {403, 404}


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        token = current_request.set(
            RequestContext(request_id=request_id, source_address=request.META.get("REMOTE_ADDR"))
        )
        try:
            response = self.get_response(request)
            self._record(request, response)
        finally:
            current_request.reset(token)
        response.headers["X-Request-ID"] = request_id
        return response

    def _record(self, request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        details = {"path": request.path, "method": request.method, "status": response.status_code}
        if match is not None:
            details["url_name"] = match.view_name
        if response.status_code in DENIAL_STATUSES and (
            (user is not None and user.is_authenticated) or response.status_code == 403
        ):
            audit_record(
                actor=user if user is not None and user.is_authenticated else None,
                action=Action.ACCESS_DENIED,
                outcome=Outcome.DENIED,
                reason=str(response.status_code),
                details=details,
            )
        elif self._is_read(request, response) and user is not None and user.is_authenticated:
            subject = getattr(request, "audit_subject", None)
            case_id, citizen_id = subject_ids(subject) if subject is not None else (None, None)
            audit_record(
                actor=user,
                action=getattr(request, "audit_action", Action.VIEW),
                subject=subject,
                case_id=case_id,
                citizen_id=citizen_id,
                details={**details, **getattr(request, "audit_details", {})},
            )

    @staticmethod
    def _is_read(request: HttpRequest, response: HttpResponse) -> bool:
        """Every page shown, and every search or export a view marks as such (they may be POSTs)."""
        if hasattr(request, "audit_action"):
            return response.status_code < 400
        return request.method == "GET" and response.status_code == 200
