from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The union representative's read-only case report (A2). Reads across cases and lookups; has no models."""

    name = "jobcenter.reports"
    label = "reports"
    verbose_name = _("Rapporter")
