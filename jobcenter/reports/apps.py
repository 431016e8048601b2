from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The union representative's read-only case report (A2). Reads across cases and lookups; its only model is the PDF job."""

    name = "jobcenter.reports"
    label = "reports"
    verbose_name = _("Rapporter")
