"""Writes of the reports app: ordering the union report as PDF, and rendering it in the background.

The PDF of a large case takes seconds to lay out, so the representative orders it (`report_job_start`)
and the page polls the job while a Celery task renders it (`report_job_render`).

Enqueueing is beat-free. The task is sent after the commit; if the broker cannot take it (Redis down),
`report_job_enqueue` runs the task right there with `.apply()`, after the commit and outside the
transaction, so the request that ordered the PDF pays the rendering time instead of the job waiting for
a periodic sweeper that does not exist. We chose this over "the status page renders a stale job inline"
because it keeps every GET a pure read. A job whose message was accepted but then lost stays queued; the
representative's next order of the same report finds it (one pending job per case and user) and, once
it has been queued longer than `STALE_AFTER`, enqueues it again. The task is idempotent, so a duplicate
delivery costs at most one extra rendering and never a second file.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import translation

from cases.models import Case
from jobcenter.audit.services import audit_change
from jobcenter.casework.pdf import render_pdf
from jobcenter.core import clock
from jobcenter.reports.models import PENDING_STATUSES, ReportJob, ReportJobStatus
from jobcenter.reports.selectors import case_for_report, case_report

logger = logging.getLogger(__name__)

STALE_AFTER = timedelta(seconds=5)
ERROR_MAX_LENGTH = 2000

# Progress as the representative sees it, step by step.
PROGRESS_COLLECTING = 10
PROGRESS_COLLECTED = 30
PROGRESS_LAID_OUT = 60
PROGRESS_STORED = 100


def report_job_enqueue(job_id: int) -> None:
    """Send the rendering task; if the broker is down, run it here (see the module docstring)."""
    from jobcenter.reports.tasks import render_report_job  # the task module imports this one

    try:
        render_report_job.delay(job_id)
    except Exception:
        logger.warning("Broker unavailable; rendering report job %s in the request", job_id, exc_info=True)
        render_report_job.apply(args=(job_id,))


def _pending_job(case: Case, user: User) -> ReportJob | None:
    return (
        ReportJob.objects.select_for_update().filter(case=case, requested_by=user, status__in=PENDING_STATUSES).first()
    )


@transaction.atomic
def report_job_start(*, case: Case, acting_user: User, language: str | None = None) -> ReportJob:
    """Order the case report as PDF. A pending order of the same case by the same user is returned instead.

    The caller has already established that the user may read the report (the selector)."""
    job = _pending_job(case, acting_user)
    if job is not None:
        if job.status == ReportJobStatus.QUEUED and job.created_at < clock.now() - STALE_AFTER:
            stale_id = job.pk
            transaction.on_commit(lambda: report_job_enqueue(stale_id))
        return job
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(
                case=case, requested_by=acting_user, language=language or settings.LANGUAGE_CODE
            )
    except IntegrityError:
        # A concurrent click won the race for the one pending job; that job is the answer.
        job = _pending_job(case, acting_user)
        if job is None:
            raise
        return job
    audit_change(job, actor=acting_user, service="report_job_start")
    job_id = job.pk
    transaction.on_commit(lambda: report_job_enqueue(job_id))
    return job


def _progress(job_id: int, progress: int) -> None:
    """One small transaction of its own, so the polling page sees it at once."""
    ReportJob.objects.filter(pk=job_id, status=ReportJobStatus.RUNNING).update(progress=progress)


def _claim(job_id: int) -> ReportJob | None:
    """Mark the job running, unless it is finished already (then there is nothing to do)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().select_related("case").filter(pk=job_id).first()
        if job is None or job.status in (ReportJobStatus.DONE, ReportJobStatus.FAILED):
            return None
        job.status = ReportJobStatus.RUNNING
        job.progress = PROGRESS_COLLECTING
        job.started_at = clock.now()
        job.save(update_fields=["status", "progress", "started_at"])
        return job


def _render(job: ReportJob) -> bytes:
    """Collect the report and lay it out as PDF, reporting progress between the steps."""
    case = case_for_report(job.case_id)
    if case is None:
        raise Case.DoesNotExist(f"report job {job.pk}: case {job.case_id}")
    with translation.override(job.language):
        report = case_report(case)
        _progress(job.pk, PROGRESS_COLLECTED)
        content = render_pdf("reports/case_report_pdf.html", {"report": report})
    _progress(job.pk, PROGRESS_LAID_OUT)
    return content


def _store(job_id: int, content: bytes) -> ReportJob | None:
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().select_related("case").get(pk=job_id)
        if job.status != ReportJobStatus.RUNNING:
            return None  # another delivery of the task finished first
        job.file.save(f"sagsrapport-{job.case.reference}-{job.pk}.pdf", ContentFile(content), save=False)
        job.status = ReportJobStatus.DONE
        job.progress = PROGRESS_STORED
        job.finished_at = clock.now()
        job.save(update_fields=["file", "status", "progress", "finished_at"])
        return job


def _fail(job_id: int, error: Exception) -> None:
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == ReportJobStatus.DONE:
            return
        job.status = ReportJobStatus.FAILED
        job.error = f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]
        job.finished_at = clock.now()
        job.save(update_fields=["status", "error", "finished_at"])


def report_job_render(*, job_id: int) -> ReportJob | None:
    """Render the job's report to PDF and store it. Idempotent: a finished job (done or failed) is left
    as it is. A failure marks the job failed with the error; the representative may order it again.

    Runs in several small transactions on purpose (progress must be visible while it renders), so it is
    not wrapped in one."""
    job = _claim(job_id)
    if job is None:
        return None
    try:
        content = _render(job)
        return _store(job_id, content)
    except Exception as error:
        logger.exception("Report job %s failed", job_id)
        _fail(job_id, error)
        return None
