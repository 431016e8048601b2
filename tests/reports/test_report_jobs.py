"""The union report as a PDF job: Lone orders it, the page polls its progress with htmx, a Celery task
(eager in tests) renders it, and she downloads it. Only her own jobs, only while her mandate is in force;
other roles are refused. The task is idempotent, and a failure is shown in Danish."""

import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from cases import services as case_services
from jobcenter.audit.models import Action, AuditEvent
from jobcenter.organisation import services as org_services
from jobcenter.organisation.roles import Role
from jobcenter.reports import services
from jobcenter.reports.models import ReportJob, ReportJobStatus
from jobcenter.reports.tasks import render_report_job
from tests.factories import mandate_for_lone
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def lone(client, world):
    mandate_for_lone(world)
    verified_login(client, world.lone)
    return client


def start(client, case):
    return client.post(reverse("union_report_job_start", args=[case.pk]))


def job_url(job, name="union_report_job"):
    return reverse(name, args=[job.pk])


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages))


def test_order_render_and_download(lone, world, django_capture_on_commit_callbacks):
    case = world.cookie_case
    page = lone.get(reverse("union_case_report", args=[case.pk])).content.decode()
    assert reverse("union_report_job_start", args=[case.pk]) in page
    assert "Bestil PDF" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = start(lone, case)
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == job_url(job)
    assert (job.status, job.progress, job.requested_by, job.case) == (ReportJobStatus.DONE, 100, world.lone, case)
    assert job.finished_at is not None
    assert job.file

    page = lone.get(job_url(job)).content.decode()
    assert job_url(job, "union_report_job_download") in page
    assert 'hx-trigger="every 1s"' not in page

    download = lone.get(job_url(job, "union_report_job_download"))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert f"sagsrapport-{case.reference}.pdf" in download["Content-Disposition"]
    assert case.reference in pdf_text(download)
    export = AuditEvent.objects.get(request_id=download["X-Request-ID"])
    assert (export.action, export.case_id, export.details["export"]) == (Action.EXPORT, case.pk, "union_report")


def test_the_partial_shows_progress_and_polls_itself_without_inline_code(lone, world):
    job = ReportJob.objects.create(case=world.cookie_case, requested_by=world.lone)
    partial = lone.get(job_url(job), **HTMX).content.decode()
    assert "<html" not in partial
    assert '<progress id="report-job-' in partial
    assert 'value="0"' in partial
    assert f'hx-get="{job_url(job)}"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert 'hx-swap="outerHTML"' in partial

    ReportJob.objects.filter(pk=job.pk).update(status=ReportJobStatus.RUNNING, progress=60)
    partial = lone.get(job_url(job), **HTMX).content.decode()
    assert 'value="60"' in partial
    assert "60 % færdig" in partial
    for inline in ("<script", "<style", " style=", "onclick", "javascript:"):
        assert inline not in partial.lower()

    full = lone.get(job_url(job)).content.decode()
    assert "<html" in full
    assert 'value="60"' in full


def test_a_second_order_returns_the_pending_job(lone, world):
    first = start(lone, world.cookie_case)
    second = start(lone, world.cookie_case)
    assert ReportJob.objects.count() == 1
    assert first["Location"] == second["Location"] == job_url(ReportJob.objects.get())


def test_a_finished_job_does_not_block_a_new_order(lone, world):
    done = ReportJob.objects.create(case=world.cookie_case, requested_by=world.lone, status=ReportJobStatus.DONE)
    start(lone, world.cookie_case)
    assert ReportJob.objects.exclude(pk=done.pk).get().status == ReportJobStatus.QUEUED


def _done_job(world) -> ReportJob:
    job = ReportJob.objects.create(
        case=world.cookie_case, requested_by=world.lone, status=ReportJobStatus.DONE, progress=100
    )
    job.file.save("test.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return job


def test_another_representative_finds_no_job(client, world):
    per = org_services.staff_user_create(
        username="per", password="x", role=Role.UNION_REPRESENTATIVE, union=world.union_3f, acting_user=None
    )
    mandate_for_lone(world, representative=per)  # Per may read the report, but not Lone's job
    job = _done_job(world)
    verified_login(client, per)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job, "union_report_job_download")).status_code == 404


def test_a_revoked_mandate_hides_the_job_at_once(client, world):
    mandate = mandate_for_lone(world)
    job = _done_job(world)
    verified_login(client, world.lone)
    assert client.get(job_url(job, "union_report_job_download")).status_code == 200
    case_services.mandate_revoke(mandate=mandate, acting_user=world.mette)
    assert client.get(job_url(job)).status_code == 404
    assert client.get(job_url(job), **HTMX).status_code == 404
    assert client.get(job_url(job, "union_report_job_download")).status_code == 404
    assert start(client, world.cookie_case).status_code == 404


def test_a_caseworker_is_refused(client, world):
    mandate_for_lone(world)
    job = _done_job(world)
    verified_login(client, world.mette)
    assert start(client, world.cookie_case).status_code == 403
    assert client.get(job_url(job)).status_code == 403
    assert client.get(job_url(job, "union_report_job_download")).status_code == 403
    assert ReportJob.objects.count() == 1


def test_the_task_rerun_on_a_done_job_changes_nothing(lone, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        start(lone, world.cookie_case)
    job = ReportJob.objects.get()
    before = (job.status, job.progress, job.file.name, job.finished_at, job.started_at)
    assert render_report_job(job.pk) is False
    assert render_report_job.apply(args=(job.pk,)).get() is False
    job.refresh_from_db()
    assert (job.status, job.progress, job.file.name, job.finished_at, job.started_at) == before


def test_a_failure_marks_the_job_failed_and_says_so(lone, world, monkeypatch, django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr(services, "render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(lone, world.cookie_case)
    job = ReportJob.objects.get()
    assert (job.status, job.error) == (ReportJobStatus.FAILED, "RuntimeError: Pango is missing")
    assert job.finished_at is not None
    assert not job.file

    page = lone.get(response["Location"]).content.decode()
    assert "PDF&#x27;en kunne ikke dannes" in page or "PDF'en kunne ikke dannes" in page
    assert "Bestil PDF igen" in page
    assert "Pango" not in page  # the technical error stays in the database
    assert 'hx-trigger="every 1s"' not in lone.get(job_url(job), **HTMX).content.decode()
    assert lone.get(job_url(job, "union_report_job_download")).status_code == 404

    # A failed job is finished: the task leaves it alone, and a new order starts afresh.
    assert render_report_job(job.pk) is False
    start(lone, world.cookie_case)
    assert ReportJob.objects.filter(status=ReportJobStatus.QUEUED).count() == 1


def test_a_broker_outage_renders_in_the_request(lone, world, monkeypatch, django_capture_on_commit_callbacks):
    def no_broker(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(render_report_job, "delay", no_broker)
    with django_capture_on_commit_callbacks(execute=True):
        response = start(lone, world.cookie_case)
    assert response.status_code == 302
    assert ReportJob.objects.get().status == ReportJobStatus.DONE
