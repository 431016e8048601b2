"""The decision screens (afgørelser): drafting, the decision page with its live checklist "Kan
afgørelsen træffes?", citing evidence, reasons, four-eyes approval and issuing.

Each POST calls one service. A refusal is shown on the decision page with its rule codes and answers
400; a refused issue attempt has already been recorded by the service (D6) and is listed on the page.
Citing and un-citing also answer htmx with just the part of the page they change: the cited
evidence together with the checklist, so the checklist follows the evidence without a reload.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django_htmx.middleware import HtmxDetails
from django_stubs_ext import StrOrPromise

from cases import services as case_services
from cases.models import AttemptOutcome, Decision, DecisionStatus, EvidenceItem
from cases.selectors import case_evidence, decision_checklist_for, decision_citations, decision_get_for_user
from jobcenter.casework.forms_decisions import DecisionCiteForm, DecisionDraftForm, DecisionReasonsForm
from jobcenter.casework.views.base import (
    BAD_INPUT_STATUS,
    AuthenticatedHttpRequest,
    CaseFormView,
    StaffRequiredMixin,
    audit_read,
)
from jobcenter.core.violations import RuleViolationError, Violation
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role

DETAIL_TEMPLATE = "casework/decisions/detail.html"
BASIS_TEMPLATE = "casework/decisions/_basis.html"
CHECKLIST_TEMPLATE = "casework/decisions/_checklist.html"


class HtmxRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails


def uncited_evidence(decision: Decision) -> QuerySet[EvidenceItem]:
    """The evidence of the decision's own case that it does not cite yet: the only valid choices to cite."""
    return case_evidence(case=decision.case).exclude(citations__decision=decision)


def violations_of(error: ValidationError) -> list[Violation]:
    """A refusal as violations. Only the rules' own refusals carry a rule code worth showing."""
    if isinstance(error, RuleViolationError):
        return list(error.violations)
    if hasattr(error, "error_dict"):
        return [Violation("", message, field) for field, errors in error.message_dict.items() for message in errors]
    return [Violation("", message) for message in error.messages]


def place_refusal(form: BaseForm, error: ValidationError) -> list[Violation]:
    """Put each violation that belongs to a field of the form next to it; return the rest for the page."""
    rest = []
    for violation in violations_of(error):
        if violation.field and violation.field in form.fields:
            form.add_error(violation.field, ValidationError(str(violation.message), code=violation.code or None))
        else:
            rest.append(violation)
    return rest


class DecisionView(StaffRequiredMixin, View):
    """A screen or endpoint about one decision the user may see."""

    request: HtmxRequest

    def decision(self, pk: int) -> Decision:
        decision = decision_get_for_user(self.request.user, pk)
        audit_read(self.request, decision)
        return decision

    def basis_context(
        self,
        decision: Decision,
        *,
        cite_form: DecisionCiteForm | None = None,
        basis_errors: list[Violation] | None = None,
        notice: StrOrPromise = "",
    ) -> dict[str, Any]:
        """What the cited evidence and the checklist need: one query each, however much is cited."""
        checklist = decision_checklist_for(decision)
        return {
            "decision": decision,
            "case": decision.case,
            "is_draft": decision.status == DecisionStatus.DRAFT,
            "checklist": checklist,
            "checklist_passes": all(item.passed for item in checklist),
            "citations": decision_citations(decision=decision),
            "cite_form": cite_form or DecisionCiteForm(evidence=uncited_evidence(decision)),
            "basis_errors": basis_errors or [],
            "notice": notice,
        }

    def page(
        self,
        decision: Decision,
        *,
        status: int = 200,
        reasons_form: DecisionReasonsForm | None = None,
        action_errors: list[Violation] | None = None,
        action_heading: StrOrPromise = "",
        **basis: Any,
    ) -> HttpResponse:
        initial = {
            field: getattr(decision, field)
            for field in ("summary", "legal_basis", "main_considerations", "facts_relied_on")
        }
        context = {
            **self.basis_context(decision, **basis),
            "reasons_form": reasons_form or DecisionReasonsForm(initial=initial),
            "may_approve": decision.author_id != self.request.user.pk
            and user_has_role(self.request.user, Role.SUPERVISOR),
            "refused_attempts": decision.attempts.filter(outcome=AttemptOutcome.REFUSED)
            .select_related("attempted_by")
            .order_by("-attempted_at", "-id"),
            "action_errors": action_errors or [],
            "action_heading": action_heading or _("Handlingen blev afvist. Intet er ændret."),
        }
        return render(self.request, DETAIL_TEMPLATE, context, status=status)

    def basis(self, decision: Decision, *, status: int = 200, **basis: Any) -> HttpResponse:
        """The part of the page that citing changes: for htmx just that part, otherwise the whole page."""
        if self.request.htmx:
            return render(self.request, BASIS_TEMPLATE, self.basis_context(decision, **basis), status=status)
        return self.page(decision, status=status, **basis)

    def done(self, decision: Decision, message: StrOrPromise) -> HttpResponse:
        messages.success(self.request, message)
        return redirect("decision_detail", pk=decision.pk)


class DecisionDraftView(CaseFormView):
    form_class = DecisionDraftForm
    template_name = "casework/decisions/draft.html"
    title = _("Ny afgørelse")
    submit_label = _("Opret udkast")
    success_message = _("Udkastet er oprettet. Citér nu de beviser, afgørelsen bygger på.")

    def perform(self, data: dict[str, Any]) -> Decision:
        return case_services.decision_draft(case=self.case, acting_user=self.request.user, **data)

    def success_url_for(self, result: Decision) -> str:
        return reverse("decision_detail", args=[result.pk])


class DecisionDetailView(DecisionView):
    def get(self, request: HtmxRequest, pk: int) -> HttpResponse:
        return self.page(self.decision(pk))


class DecisionChecklistView(DecisionView):
    """Just "Kan afgørelsen træffes?", for htmx to refresh after something else changed."""

    def get(self, request: HtmxRequest, pk: int) -> HttpResponse:
        decision = self.decision(pk)
        checklist = decision_checklist_for(decision)
        return render(
            request,
            CHECKLIST_TEMPLATE,
            {"decision": decision, "checklist": checklist, "checklist_passes": all(i.passed for i in checklist)},
        )


class DecisionCiteView(DecisionView):
    def post(self, request: HtmxRequest, pk: int) -> HttpResponse:
        decision = self.decision(pk)
        form = DecisionCiteForm(request.POST, evidence=uncited_evidence(decision))
        basis_errors: list[Violation] = []
        if form.is_valid():
            try:
                case_services.decision_cite_evidence(decision=decision, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                basis_errors = place_refusal(form, error)
        if form.errors or basis_errors:
            return self.basis(decision, status=BAD_INPUT_STATUS, cite_form=form, basis_errors=basis_errors)
        if request.htmx:
            return self.basis(self.decision(pk), notice=_("Beviset er citeret. Tjeklisten er opdateret."))
        return self.done(decision, _("Beviset er citeret i afgørelsen."))


class DecisionUnciteView(DecisionView):
    def post(self, request: HtmxRequest, pk: int, evidence_pk: int) -> HttpResponse:
        decision = self.decision(pk)
        item = get_object_or_404(case_evidence(case=decision.case), pk=evidence_pk)
        try:
            case_services.decision_uncite_evidence(decision=decision, evidence_item=item, acting_user=request.user)
        except ValidationError as error:
            return self.basis(decision, status=BAD_INPUT_STATUS, basis_errors=violations_of(error))
        if request.htmx:
            return self.basis(self.decision(pk), notice=_("Beviset er fjernet. Tjeklisten er opdateret."))
        return self.done(decision, _("Beviset er fjernet fra afgørelsen."))


class DecisionReasonsView(DecisionView):
    def post(self, request: HtmxRequest, pk: int) -> HttpResponse:
        decision = self.decision(pk)
        form = DecisionReasonsForm(request.POST)
        action_errors: list[Violation] = []
        if form.is_valid():
            try:
                case_services.decision_update_reasons(decision=decision, acting_user=request.user, **form.cleaned_data)
            except ValidationError as error:
                action_errors = place_refusal(form, error)
        if form.errors or action_errors:
            return self.page(decision, status=BAD_INPUT_STATUS, reasons_form=form, action_errors=action_errors)
        return self.done(decision, _("Begrundelsen er gemt."))


class DecisionApproveView(DecisionView):
    def post(self, request: HtmxRequest, pk: int) -> HttpResponse:
        decision = self.decision(pk)
        try:
            case_services.decision_approve(decision=decision, acting_user=request.user)
        except ValidationError as error:
            return self.page(
                decision,
                status=BAD_INPUT_STATUS,
                action_errors=violations_of(error),
                action_heading=_("Afgørelsen kan ikke godkendes."),
            )
        return self.done(decision, _("Afgørelsen er godkendt."))


class DecisionIssueView(DecisionView):
    def post(self, request: HtmxRequest, pk: int) -> HttpResponse:
        decision = self.decision(pk)
        try:
            case_services.decision_issue(decision=decision, acting_user=request.user)
        except ValidationError as error:
            return self.page(
                decision,
                status=BAD_INPUT_STATUS,
                action_errors=violations_of(error),
                action_heading=_("Afgørelsen kan ikke udstedes. Forsøget er registreret med reglernes koder (D6)."),
            )
        return self.done(decision, _("Afgørelsen er udstedt."))


urlpatterns: list[URLPattern] = [
    path("sager/<int:case_pk>/afgoerelse/ny/", DecisionDraftView.as_view(), name="decision_draft"),
    path("afgoerelser/<int:pk>/", DecisionDetailView.as_view(), name="decision_detail"),
    path("afgoerelser/<int:pk>/tjekliste/", DecisionChecklistView.as_view(), name="decision_checklist"),
    path("afgoerelser/<int:pk>/citer/", DecisionCiteView.as_view(), name="decision_cite"),
    path("afgoerelser/<int:pk>/fjern/<int:evidence_pk>/", DecisionUnciteView.as_view(), name="decision_uncite"),
    path("afgoerelser/<int:pk>/begrundelse/", DecisionReasonsView.as_view(), name="decision_update_reasons"),
    path("afgoerelser/<int:pk>/godkend/", DecisionApproveView.as_view(), name="decision_approve"),
    path("afgoerelser/<int:pk>/udsted/", DecisionIssueView.as_view(), name="decision_issue"),
]
