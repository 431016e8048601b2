"""The audit log on the supervisor's desk, its CSV export, and the citizen's log (DESIGN.md A3).

Filters travel by POST, so a CPR number never appears in a URL. Each filtered read is itself a search
event, each export an export event: the middleware writes them once the response is known."""

import csv
from collections.abc import Iterable, Iterator

from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from cases.models import Case, Citizen
from jobcenter.audit.models import Action
from jobcenter.casework.views.base import BAD_INPUT_STATUS, apply_service_errors, audit_read
from jobcenter.supervision.forms_audit_log import (
    FILTER_FIELDS,
    STAFF_DATALIST_ID,
    AuditLogFilterForm,
    CitizenLogForm,
)
from jobcenter.supervision.selectors.audit_log import (
    AuditLogFilters,
    AuditLogPage,
    audit_log_csv_rows,
    audit_log_filters_resolve,
    audit_log_page,
    citizen_find,
    citizen_log_csv_rows,
    jobcentre_staff_usernames,
)
from jobcenter.supervision.views.base import SupervisorHttpRequest, SupervisorRequiredMixin

CSV_DELIMITER = ";"


class _Echo:
    """csv.writer writes each row here and gets the line back, so rows can be streamed one by one."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    # A byte-order mark, so spreadsheet programs read æ, ø and å as UTF-8.
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)


def _csv_response(rows: Iterable[list[str]], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _subject(filters: AuditLogFilters) -> Case | Citizen | None:
    """A log read about one case or citizen is an access to that case or citizen, and is recorded on it."""
    return filters.case or filters.citizen


class _AuditLogFilterMixin(SupervisorRequiredMixin):
    def resolve_filters(self, form: AuditLogFilterForm) -> AuditLogFilters | None:
        """The form's filters with the case and citizen found in the jobcentre; None (errors on the form) if not."""
        if not form.is_valid():
            return None
        data = {name: form.cleaned_data[name] for name in FILTER_FIELDS}
        try:
            return audit_log_filters_resolve(jobcentre_id=self.jobcentre_id, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
            return None

    def render_page(
        self, request: SupervisorHttpRequest, form: AuditLogFilterForm, page: AuditLogPage | None, status: int = 200
    ) -> HttpResponse:
        context = {
            "form": form,
            "filter_fields": [form[name] for name in FILTER_FIELDS],
            "staff_usernames": jobcentre_staff_usernames(jobcentre_id=self.jobcentre_id),
            "staff_datalist_id": STAFF_DATALIST_ID,
            "page": page,
        }
        return render(request, "supervision/audit_log.html", context, status=status)


class AuditLogView(_AuditLogFilterMixin, View):
    """The newest events of the jobcentre (GET), or the events matching the filters from a given cursor (POST)."""

    def get(self, request: SupervisorHttpRequest) -> HttpResponse:
        return self._render(request, AuditLogFilterForm(), AuditLogFilters(), before=None)

    def post(self, request: SupervisorHttpRequest) -> HttpResponse:
        form = AuditLogFilterForm(request.POST)
        filters = self.resolve_filters(form)
        if filters is None:
            return self.render_page(request, form, None, status=BAD_INPUT_STATUS)
        before = form.cleaned_data["before"]
        audit_read(
            request,
            _subject(filters),
            action=Action.SEARCH,
            details={"criteria": {**filters.criteria(), **({"before": before} if before else {})}},
        )
        return self._render(request, form, filters, before=before)

    def _render(
        self, request: SupervisorHttpRequest, form: AuditLogFilterForm, filters: AuditLogFilters, *, before: int | None
    ) -> HttpResponse:
        page = audit_log_page(jobcentre_id=self.jobcentre_id, filters=filters, before=before)
        return self.render_page(request, form, page)


class AuditLogExportView(_AuditLogFilterMixin, View):
    """The filtered log as CSV, streamed; the export is recorded as an export event with its filters."""

    http_method_names = ["post"]

    def post(self, request: SupervisorHttpRequest) -> HttpResponseBase:
        form = AuditLogFilterForm(request.POST)
        filters = self.resolve_filters(form)
        if filters is None:
            return self.render_page(request, form, None, status=BAD_INPUT_STATUS)
        audit_read(
            request,
            _subject(filters),
            action=Action.EXPORT,
            details={"export": "audit_log", "filters": filters.criteria()},
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return _csv_response(
            audit_log_csv_rows(jobcentre_id=self.jobcentre_id, filters=filters), filename=f"revisionsspor-{stamp}.csv"
        )


class CitizenLogView(SupervisorRequiredMixin, View):
    """A citizen's access log for handing over on request: when, which jobcentre, what and why; no employee."""

    template_name = "supervision/citizen_log.html"

    def get(self, request: SupervisorHttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": CitizenLogForm()})

    def post(self, request: SupervisorHttpRequest) -> HttpResponseBase:
        form = CitizenLogForm(request.POST)
        citizen = None
        if form.is_valid():
            citizen = citizen_find(jobcentre_id=self.jobcentre_id, cpr=form.cleaned_data["cpr"])
            if citizen is None:
                form.add_error("cpr", _("Borgeren findes ikke i jobcenteret."))
        if citizen is None:
            return render(request, self.template_name, {"form": form}, status=BAD_INPUT_STATUS)
        audit_read(request, citizen, action=Action.EXPORT, details={"export": "citizen_log", "citizen_id": citizen.pk})
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        return _csv_response(citizen_log_csv_rows(citizen=citizen), filename=f"borgerlog-{citizen.pk}-{stamp}.csv")


urlpatterns = [
    path("revisionsspor/", AuditLogView.as_view(), name="audit_log"),
    path("revisionsspor/eksport.csv", AuditLogExportView.as_view(), name="audit_log_export"),
    path("borgerlog/", CitizenLogView.as_view(), name="citizen_log"),
]
