from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The outbox: messages written with their cause, delivered by Celery, swept up by beat."""

    name = "jobcenter.notifications"
    label = "notifications"
    verbose_name = _("Beskeder")
