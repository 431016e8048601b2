"""What every caseworker screen shares: who may use it, how a form calls one service, how refusals
from the rules land next to the right field, and that bad input answers 400 with nothing written."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.generic import FormView
from django_stubs_ext import StrOrPromise

from cases.models import Case
from cases.selectors import case_get_for_user
from jobcenter.audit.models import Action
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role

BAD_INPUT_STATUS = 400


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind StaffRequiredMixin: its user is a real, logged-in User."""

    user: User


def is_casework_user(user: User | AnonymousUser) -> bool:
    """Caseworkers and supervisors: the people the casework screens are for."""
    return user.is_authenticated and (user_has_role(user, Role.CASEWORKER) or user_has_role(user, Role.SUPERVISOR))


class StaffRequiredMixin(AccessMixin):
    """Caseworkers and supervisors only. Anonymous users go to the login page; other roles get 403
    before any object is looked up, so they learn nothing about which objects exist."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_casework_user(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def audit_read(
    request: HttpRequest,
    subject: Model | None,
    *,
    action: Action | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Tell the audit layer what this request read (A3); the middleware writes the event once the response is known."""
    request.audit_subject = subject  # type: ignore[attr-defined]
    if action is not None:
        request.audit_action = action  # type: ignore[attr-defined]
    if details:
        request.audit_details = details  # type: ignore[attr-defined]


def apply_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Put each refusal next to its field; a refusal about something the form has no field for goes on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormView(StaffRequiredMixin, FormView):
    """A form whose valid submission calls exactly one service. The service decides; the view reports."""

    request: AuthenticatedHttpRequest
    template_name = "casework/form.html"
    title: StrOrPromise = ""
    submit_label: StrOrPromise = ""
    success_message: StrOrPromise = ""

    def perform(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def success_url_for(self, result: Any) -> str:
        raise NotImplementedError

    def form_valid(self, form: BaseForm) -> HttpResponse:
        try:
            result = self.perform(form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.success_url_for(result))

    def form_invalid(self, form: BaseForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = BAD_INPUT_STATUS
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(title=self.title, submit_label=self.submit_label, **kwargs)


class CaseFormView(ServiceFormView):
    """A service form about one case the user may see; any other case answers 404."""

    case: Case

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if is_casework_user(request.user):
            self.case = case_get_for_user(request.user, kwargs["case_pk"])
            audit_read(request, self.case)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(case=self.case, **kwargs)

    def success_url_for(self, result: Any) -> str:
        return redirect("case_detail", pk=self.case.pk).url
