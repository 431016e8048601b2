from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """The supervisor's desk: audit log, review queue, flags and approvals. Reads across cases and lookups."""

    name = "jobcenter.supervision"
    label = "supervision"
    verbose_name = _("Tilsyn")
