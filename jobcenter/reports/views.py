"""The union representative's screens (A2): the landing page of mandated cases, and one case's report as
HTML or PDF. Read-only. Every other role is refused (403); a case without an active mandate does not
exist for the representative (404). Every view and download is an audit event (A3)."""

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from jobcenter.audit.models import Action
from jobcenter.casework.pdf import pdf_response, render_pdf
from jobcenter.casework.views.base import AuthenticatedHttpRequest, audit_read
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role
from jobcenter.reports.selectors import case_report, case_report_get_for_representative, mandated_cases_for


class UnionRepresentativeRequiredMixin(AccessMixin):
    """Union representatives only. Anonymous users go to the login page; everyone else is refused."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_has_role(request.user, Role.UNION_REPRESENTATIVE):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class UnionLandingView(UnionRepresentativeRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "reports/landing.html", {"rows": mandated_cases_for(request.user)})


class UnionCaseReportView(UnionRepresentativeRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
        case = case_report_get_for_representative(request.user, case_pk)
        audit_read(request, case)
        return render(request, "reports/case_report.html", {"report": case_report(case)})


class UnionCaseReportPdfView(UnionRepresentativeRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
        case = case_report_get_for_representative(request.user, case_pk)
        audit_read(request, case, action=Action.EXPORT, details={"export": "union_report"})
        report = case_report(case)
        content = render_pdf("reports/case_report_pdf.html", {"report": report}, request=request)
        return pdf_response(content, filename=f"sagsrapport-{case.reference}.pdf")
