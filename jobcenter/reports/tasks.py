"""Thin Celery task for the union report PDF. Idempotent: a finished job is left alone (see services)."""

from celery import shared_task

from jobcenter.reports.services import report_job_render


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_report_job(report_job_id: int) -> bool:
    """Render one ordered report. True if this run stored the PDF."""
    return report_job_render(job_id=report_job_id) is not None
