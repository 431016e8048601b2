"""The notification outbox. A row is written in the same transaction as its cause, so a message can
never be lost with the broker or sent for something that was rolled back; delivery marks it once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    IN_APP = "in_app", _("Besked i systemet")


class Notification(models.Model):
    """One message to one person. `key` names its cause, so the same cause never notifies twice."""

    key = models.CharField(_("nøgle"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications", verbose_name=_("modtager")
    )
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("emne"), max_length=200)
    body = models.TextField(_("tekst"))
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    delivered_at = models.DateTimeField(_("leveret"), null=True, blank=True)
    read_at = models.DateTimeField(_("læst"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    next_attempt_at = models.DateTimeField(_("næste forsøg"), default=timezone.now)
    last_error = models.TextField(_("seneste fejl"), blank=True)

    class Meta:
        verbose_name = _("besked")
        verbose_name_plural = _("beskeder")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="notification_pending", condition=models.Q(delivered_at__isnull=True)
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} – {self.subject}"
