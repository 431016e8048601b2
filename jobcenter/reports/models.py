"""A union report rendered to PDF in the background (a job the representative orders and then polls)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportJobStatus(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Dannes")
    DONE = "done", _("Færdig")
    FAILED = "failed", _("Mislykkedes")


PENDING_STATUSES = (ReportJobStatus.QUEUED, ReportJobStatus.RUNNING)


class ReportJob(models.Model):
    """One order of a case report as PDF. At most one pending job per case and representative."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("sag"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bestilt af")
    )
    language = models.CharField(_("sprog"), max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportJobStatus.choices, default=ReportJobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    file = models.FileField(_("fil"), upload_to="reports/jobs/%Y/%m/", blank=True)
    error = models.TextField(_("fejl"), blank=True)
    created_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapportjob")
        verbose_name_plural = _("rapportjob")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "requested_by"],
                condition=Q(status__in=["queued", "running"]),
                name="reports_one_pending_job_per_case_and_user",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reports_job_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} / {self.requested_by_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_done(self) -> bool:
        return self.status == ReportJobStatus.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == ReportJobStatus.FAILED
