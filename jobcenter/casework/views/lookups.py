"""Social-media screens: record a lookup on a stated basis, record what it found, mark a finding for use.

Each screen calls one service in `socialmedia_checks.services`; the rules there (L1-L8) decide, and
their refusals land next to the field they concern."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from jobcenter.casework.forms_lookups import FindingForm, FindingMarkForUseForm, LookupForm
from jobcenter.casework.views.base import BAD_INPUT_STATUS, CaseFormView, ServiceFormView, audit_read, is_casework_user
from jobcenter.organisation.models import LookupThreshold, Platform
from jobcenter.organisation.selectors import active_shared_profiles, policy_current
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, FindingStatus, Lookup, LookupOutcome
from socialmedia_checks.selectors import (
    earliest_other_information_at,
    finding_get_for_user,
    lookup_get_for_user,
    open_bases_for_case,
)


class LookupRecordView(CaseFormView):
    form_class = LookupForm
    template_name = "casework/lookups/lookup_form.html"
    title = _("Registrér opslag på sociale medier")
    submit_label = _("Registrér opslag")
    success_message = _("Opslaget er registreret og journaliseret.")

    def _load(self) -> None:
        self.tips, self.suspicions = open_bases_for_case(case=self.case)
        self.policy = policy_current(jobcentre=self.case.citizen.jobcentre_id)

    def _no_basis(self, status: int, error: bool) -> HttpResponse:
        return render(
            self.request,
            "casework/lookups/no_basis.html",
            {"case": self.case, "title": self.title, "error": error},
            status=status,
        )

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._load()
        if not (self.tips or self.suspicions):
            return self._no_basis(200, error=False)
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self._load()
        if not (self.tips or self.suspicions):
            return self._no_basis(BAD_INPUT_STATUS, error=True)
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {
            **super().get_form_kwargs(),
            "tips": self.tips,
            "suspicions": self.suspicions,
            "policy": self.policy,
            "shared_profiles": active_shared_profiles(jobcentre_id=self.case.citizen.jobcentre_id),
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        allowed = set(self.policy.allowed_platforms)
        return super().get_context_data(
            policy=self.policy,
            clear_presumption=self.policy.lookup_threshold == LookupThreshold.CLEAR_PRESUMPTION,
            allowed_platforms=", ".join(str(label) for value, label in Platform.choices if value in allowed),
            lacks_other_information=self.policy.social_media_not_first
            and earliest_other_information_at(case=self.case) is None,
            **kwargs,
        )

    def perform(self, data: dict[str, Any]) -> Lookup:
        return smc_services.lookup_record(case=self.case, acting_user=self.request.user, **data)

    def success_url_for(self, result: Lookup) -> str:
        if result.outcome == LookupOutcome.FINDINGS:
            return redirect("finding_record", lookup_pk=result.pk).url
        return super().success_url_for(result)


class FindingRecordView(ServiceFormView):
    form_class = FindingForm
    template_name = "casework/lookups/finding_form.html"
    title = _("Registrér fund")
    submit_label = _("Registrér fund")
    success_message = _("Fundet er registreret og journaliseret.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if is_casework_user(request.user):
            self.lookup = lookup_get_for_user(request.user, kwargs["lookup_pk"])
            audit_read(request, self.lookup)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            case=self.lookup.case,
            lookup=self.lookup,
            findings=self.lookup.findings.select_related("recorded_by").order_by("recorded_at", "pk"),
            policy=policy_current(jobcentre=self.lookup.case.citizen.jobcentre_id),
            **kwargs,
        )

    def perform(self, data: dict[str, Any]) -> Finding:
        return smc_services.finding_record(
            lookup=self.lookup,
            description=data["description"],
            relevance=data["relevance"],
            url=data["url"] or "",
            posted_on=data["posted_on"],
            attachment=data["attachment"] or None,
            acting_user=self.request.user,
        )

    def success_url_for(self, result: Finding) -> str:
        return redirect("finding_record", lookup_pk=self.lookup.pk).url


class FindingMarkForUseView(ServiceFormView):
    form_class = FindingMarkForUseForm
    template_name = "casework/lookups/mark_for_use_form.html"
    title = _("Markér fund til brug")
    submit_label = _("Markér til brug")
    success_message = _("Fundet er nu et bevis i sagen. Partshør borgeren, før det bruges i en afgørelse.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if is_casework_user(request.user):
            self.finding = finding_get_for_user(request.user, kwargs["finding_pk"])
            audit_read(request, self.finding)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            case=self.finding.lookup.case,
            lookup=self.finding.lookup,
            finding=self.finding,
            already_handled=self.finding.status != FindingStatus.RECORDED,
            **kwargs,
        )

    def perform(self, data: dict[str, Any]) -> Finding:
        return smc_services.finding_mark_for_use(
            finding=self.finding, title=data["title"], acting_user=self.request.user
        )

    def success_url_for(self, result: Finding) -> str:
        return redirect("case_detail", pk=self.finding.lookup.case_id).url


urlpatterns: list[URLPattern] = [
    path("sager/<int:case_pk>/opslag/", LookupRecordView.as_view(), name="lookup_record"),
    path("opslag/<int:lookup_pk>/fund/", FindingRecordView.as_view(), name="finding_record"),
    path("fund/<int:finding_pk>/brug/", FindingMarkForUseView.as_view(), name="finding_mark_for_use"),
]
