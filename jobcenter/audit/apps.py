from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The append-only audit event stream and the protection of every history table."""

    name = "jobcenter.audit"
    label = "audit"
    verbose_name = _("Revisionsspor")

    def ready(self) -> None:
        from jobcenter.audit import signals  # noqa: F401 - connects the login receivers
        from jobcenter.audit.protection import protect_history_tables

        protect_history_tables()
