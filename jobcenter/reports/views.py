"""The union representative's screens (A2): the landing page of mandated cases, and one case's report as
HTML or PDF. Read-only, apart from ordering the PDF. Every other role is refused (403); a case without an
active mandate does not exist for the representative (404). Every view and download is an audit event (A3).

A large report's PDF is ordered as a job (`UnionReportJobStartView`), rendered by a Celery task and polled
by its page with htmx; the synchronous PDF view stays for small reports and existing links."""

from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views import View

from jobcenter.audit.models import Action
from jobcenter.casework.pdf import PDF_CONTENT_TYPE, pdf_response, render_pdf
from jobcenter.casework.views.base import AuthenticatedHttpRequest, audit_read
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role
from jobcenter.reports.selectors import (
    case_report,
    case_report_get_for_representative,
    mandated_cases_for,
    report_job_get_for_representative,
)
from jobcenter.reports.services import report_job_start


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


class UnionReportJobStartView(UnionRepresentativeRequiredMixin, View):
    """Order the report as PDF; a second order while the first is pending lands on the same job."""

    def post(self, request: AuthenticatedHttpRequest, case_pk: int) -> HttpResponse:
        case = case_report_get_for_representative(request.user, case_pk)
        job = report_job_start(case=case, acting_user=request.user, language=get_language())
        return redirect("union_report_job", pk=job.pk)


class UnionReportJobView(UnionRepresentativeRequiredMixin, View):
    """The job's page; for htmx (its own polling) just the status part."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        job = report_job_get_for_representative(request.user, pk)
        audit_read(request, job, details={"report_job": job.pk})
        template = "reports/_job_status.html" if getattr(request, "htmx", False) else "reports/job.html"
        return render(request, template, {"job": job})


class UnionReportJobDownloadView(UnionRepresentativeRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
        job = report_job_get_for_representative(request.user, pk)
        if not job.is_done or not job.file:
            raise Http404
        audit_read(request, job, action=Action.EXPORT, details={"export": "union_report", "report_job": job.pk})
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"sagsrapport-{job.case.reference}.pdf",
            content_type=PDF_CONTENT_TYPE,
        )
