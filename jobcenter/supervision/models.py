"""What the supervisor's desk writes: the after-the-fact review of each social-media lookup."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jobcenter.core.fields import BoundedTextField
from socialmedia_checks.models import Lookup


class ReviewOutcome(models.TextChoices):
    REVIEWED = "reviewed", _("Gennemgået")
    FLAGGED = "flagged", _("Markeret med bemærkning")


class LookupReview(models.Model):
    """A supervisor's review of one lookup: seen and in order, or flagged with a comment for follow-up.

    One row per lookup holds the current outcome; a later review by the same or another supervisor
    replaces it, and the history table keeps every earlier outcome, comment and reviewer.
    """

    lookup = models.OneToOneField(Lookup, on_delete=models.PROTECT, related_name="review", verbose_name=_("opslag"))
    outcome = models.CharField(_("udfald"), max_length=10, choices=ReviewOutcome.choices)
    comment = BoundedTextField(_("bemærkning"), max_length=2_000, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("gennemgået af")
    )
    reviewed_at = models.DateTimeField(_("gennemgået"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gennemgang af opslag")
        verbose_name_plural = _("gennemgange af opslag")
        ordering = ["-reviewed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome=ReviewOutcome.REVIEWED)
                | (models.Q(outcome=ReviewOutcome.FLAGGED) & ~models.Q(comment="")),
                name="lookupreview_flag_has_comment",
                violation_error_message=_("Et opslag, der markeres, skal have en bemærkning."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lookup}: {self.get_outcome_display()}"
