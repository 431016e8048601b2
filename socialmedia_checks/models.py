"""Lookups on social media and what they found.

A lookup always rests on exactly one basis, a tip or a documented suspicion on the same case; the
database holds that rule too (a check constraint and composite foreign keys). A finding becomes
usable case material only by being marked for use, which turns it into a `cases.EvidenceItem`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, EvidenceItem, Suspicion, Tip
from jobcenter.core.fields import BoundedTextField
from jobcenter.organisation.models import Platform, Policy, SharedProfile


class LookupOutcome(models.TextChoices):
    NOTHING_RELEVANT = "nothing_relevant", _("Intet relevant fundet")
    FINDINGS = "findings", _("Relevante oplysninger fundet")


class Lookup(models.Model):
    """One look at a citizen's profile by a named caseworker, on a stated basis and for a stated purpose."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="social_media_lookups", verbose_name=_("sag"))
    tip = models.ForeignKey(
        Tip, on_delete=models.PROTECT, null=True, blank=True, related_name="lookups", verbose_name=_("anmeldelse")
    )
    suspicion = models.ForeignKey(
        Suspicion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lookups",
        verbose_name=_("begrundet mistanke"),
    )
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="+", verbose_name=_("politik anvendt"))
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    profile_url = models.URLField(_("profilens adresse"), max_length=1_000)
    shared_profile = models.ForeignKey(
        SharedProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lookups",
        verbose_name=_("fælles profil brugt"),
    )
    purpose = BoundedTextField(_("formål"), max_length=2_000)
    content_was_public = models.BooleanField(_("indholdet var offentligt tilgængeligt"))
    material_from_citizen = models.BooleanField(
        _("materialet er indsendt af borgeren selv"),
        default=False,
        help_text=_("Kun materiale fra en lukket profil, som borgeren uopfordret har indsendt."),
    )
    no_contact_confirmed = models.BooleanField(_("ingen venneanmodning eller kontakt med borgeren"))
    outcome = models.CharField(_("resultat"), max_length=20, choices=LookupOutcome.choices)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("udført af")
    )
    performed_at = models.DateTimeField(_("udført"))
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opslag")
        verbose_name_plural = _("opslag")
        ordering = ["-performed_at"]
        # The supervisor's review queue walks the newest lookups first and stops at a page.
        indexes = [models.Index(fields=["-performed_at", "-id"], name="lookup_newest_first")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tip__isnull=False, suspicion__isnull=True)
                | models.Q(tip__isnull=True, suspicion__isnull=False),
                name="lookup_exactly_one_basis",
                violation_error_message=_("Et opslag skal bygge på præcis én anmeldelse eller begrundet mistanke."),
            ),
            models.CheckConstraint(
                condition=models.Q(performed_at__lte=models.F("recorded_at")),
                name="lookup_not_performed_in_future",
                violation_error_message=_("Opslaget kan ikke være udført efter, at det registreres."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {timezone.localtime(self.performed_at):%Y-%m-%d %H:%M}"


class FindingStatus(models.TextChoices):
    RECORDED = "recorded", _("Registreret")
    MARKED_FOR_USE = "marked_for_use", _("Markeret til brug")
    PURGED = "purged", _("Slettet")


class Finding(models.Model):
    """Something a lookup found. Its content is kept out of history so that a purge leaves only metadata (L8)."""

    lookup = models.ForeignKey(Lookup, on_delete=models.PROTECT, related_name="findings", verbose_name=_("opslag"))
    description = BoundedTextField(_("beskrivelse"), max_length=5_000, blank=True)
    posted_on = models.DateField(_("opslagsdato"), null=True, blank=True)
    url = models.URLField(_("adresse"), max_length=1_000, blank=True)
    relevance = BoundedTextField(_("relevans for kontroltemaet"), max_length=5_000, blank=True)
    attachment = models.FileField(_("skærmbillede"), upload_to="findings/%Y/%m/", blank=True)
    attachment_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    attachment_content_type = models.CharField(_("filtype"), max_length=100, blank=True, editable=False)
    attachment_size = models.PositiveIntegerField(_("filstørrelse"), null=True, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=FindingStatus.choices, default=FindingStatus.RECORDED)
    evidence_item = models.OneToOneField(
        EvidenceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finding",
        verbose_name=_("bevis"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now, editable=False)
    purged_at = models.DateTimeField(_("slettet"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["description", "url", "relevance", "attachment"])

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("fund")
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attachment_sha256="") | models.Q(attachment_sha256__regex=r"^[0-9a-f]{64}$"),
                name="finding_sha256_hex",
                violation_error_message=_("SHA-256 skal være 64 hexcifre."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=FindingStatus.MARKED_FOR_USE, evidence_item__isnull=False)
                | (~models.Q(status=FindingStatus.MARKED_FOR_USE) & models.Q(evidence_item__isnull=True)),
                name="finding_evidence_iff_marked",
                violation_error_message=_("Kun fund markeret til brug er beviser i sagen."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=FindingStatus.PURGED, purged_at__isnull=False, description="", url="")
                | (~models.Q(status=FindingStatus.PURGED) & models.Q(purged_at__isnull=True)),
                name="finding_purge_leaves_metadata",
                violation_error_message=_("Et slettet fund beholder kun metadata."),
            ),
        ]

    def __str__(self) -> str:
        return _("Fund %(id)s") % {"id": self.pk}
