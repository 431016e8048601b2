"""Jobcentres, teams, staff, unions, shared social-media profiles and each jobcentre's policy."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    X = "x", "X (Twitter)"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", _("Andet")


class Jobcentre(models.Model):
    """A municipality's jobcentre: the wall around its citizens, cases and staff."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    municipality_code = models.CharField(
        _("kommunekode"),
        max_length=3,
        unique=True,
        help_text=_("Tre cifre, fx 851 for Aalborg."),
    )
    next_case_number = models.PositiveIntegerField(_("næste sagsnummer"), default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jobcenter")
        verbose_name_plural = _("jobcentre")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(municipality_code__regex=r"^[0-9]{3}$"),
                name="jobcentre_municipality_code_three_digits",
                violation_error_message=_("Kommunekoden skal være tre cifre."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team of caseworkers within one jobcentre; cases belong to a team."""

    jobcentre = models.ForeignKey(
        Jobcentre, on_delete=models.PROTECT, related_name="teams", verbose_name=_("jobcenter")
    )
    name = models.CharField(_("navn"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["jobcentre__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcentre", "name"],
                name="team_unique_name_per_jobcentre",
                violation_error_message=_("Jobcenteret har allerede et team med det navn."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.jobcentre})"


class UnionOrganisation(models.Model):
    """A trade union (such as 3F) whose representatives may hold a citizen's power of attorney."""

    name = models.CharField(_("navn"), max_length=120, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fagforening")
        verbose_name_plural = _("fagforeninger")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """Where a user works: staff belong to one jobcentre, union representatives to one union."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("bruger")
    )
    jobcentre = models.ForeignKey(
        Jobcentre, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("jobcenter")
    )
    union = models.ForeignKey(
        UnionOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("fagforening"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("medarbejderprofil")
        verbose_name_plural = _("medarbejderprofiler")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jobcentre__isnull=False, union__isnull=True)
                | models.Q(jobcentre__isnull=True, union__isnull=False),
                name="staffprofile_jobcentre_xor_union",
                violation_error_message=_("En bruger hører til enten et jobcenter eller en fagforening."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.jobcentre or self.union}"


class TeamMembership(models.Model):
    """A caseworker's or supervisor's place on a team. An explicit row so that joining and leaving has history."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="team_memberships",
        verbose_name=_("bruger"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("teammedlemskab")
        verbose_name_plural = _("teammedlemskaber")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                name="teammembership_unique",
                violation_error_message=_("Brugeren er allerede på teamet."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} i {self.team}"


class SharedProfile(models.Model):
    """The jobcentre's registered shared account on a platform (fælles profil), used for lookups under L6."""

    jobcentre = models.ForeignKey(
        Jobcentre, on_delete=models.PROTECT, related_name="shared_profiles", verbose_name=_("jobcenter")
    )
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    account_name = models.CharField(_("kontonavn"), max_length=200)
    active = models.BooleanField(_("aktiv"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fælles profil")
        verbose_name_plural = _("fælles profiler")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcentre", "platform", "account_name"],
                name="sharedprofile_unique",
                violation_error_message=_("Profilen er allerede registreret."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.get_platform_display()})"


class LookupThreshold(models.TextChoices):
    TIP_OR_SUSPICION = "tip_or_suspicion", _("Anmeldelse eller begrundet mistanke")
    CLEAR_PRESUMPTION = "clear_presumption", _("Klar formodning om uberettiget ydelse")


class ReviewMode(models.TextChoices):
    AFTER_THE_FACT = "after_the_fact", _("Efterfølgende gennemgang")
    PRE_APPROVAL = "pre_approval", _("Forhåndsgodkendelse")


MIN_HEARING_DAYS = 7


def default_platforms() -> list[str]:
    return [Platform.FACEBOOK, Platform.INSTAGRAM]


@pgtrigger.register(
    pgtrigger.Protect(
        name="policy_versions_are_immutable",
        operation=pgtrigger.Update | pgtrigger.Delete,
    )
)
class Policy(models.Model):
    """One version of a jobcentre's rules. Never edited: a change publishes the next version."""

    jobcentre = models.ForeignKey(
        Jobcentre, on_delete=models.PROTECT, related_name="policies", verbose_name=_("jobcenter")
    )
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("offentliggjort"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offentliggjort af"),
    )
    hearing_days = models.PositiveSmallIntegerField(
        _("svarfrist ved partshøring (dage)"), default=14, validators=[MinValueValidator(MIN_HEARING_DAYS)]
    )
    lookup_threshold = models.CharField(
        _("tærskel for opslag"),
        max_length=30,
        choices=LookupThreshold.choices,
        default=LookupThreshold.TIP_OR_SUSPICION,
    )
    shared_profile_required = models.BooleanField(_("kun via fælles profil"), default=False)
    social_media_not_first = models.BooleanField(_("sociale medier er aldrig første kilde"), default=True)
    four_eyes_for_social_media_decisions = models.BooleanField(
        _("fire øjne på afgørelser med fund fra sociale medier"), default=False
    )
    review_mode = models.CharField(
        _("gennemgang af opslag"), max_length=20, choices=ReviewMode.choices, default=ReviewMode.AFTER_THE_FACT
    )
    allowed_platforms = ArrayField(
        models.CharField(max_length=20, choices=Platform.choices),
        verbose_name=_("tilladte platforme"),
        default=default_platforms,
    )
    finding_retention_days = models.PositiveIntegerField(
        _("slettefrist for ubrugte fund (dage)"), default=30, validators=[MinValueValidator(1)]
    )
    read_event_retention_days = models.PositiveIntegerField(
        _("opbevaring af læsehændelser (dage)"), default=183, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("politik")
        verbose_name_plural = _("politikker")
        ordering = ["jobcentre__name", "-version"]
        get_latest_by = "version"
        constraints = [
            models.UniqueConstraint(
                fields=["jobcentre", "version"],
                name="policy_unique_version",
                violation_error_message=_("Den version findes allerede."),
            ),
            models.CheckConstraint(
                condition=models.Q(hearing_days__gte=MIN_HEARING_DAYS),
                name="policy_hearing_days_at_least_seven",
                violation_error_message=_("Svarfristen må aldrig være under 7 dage."),
            ),
            models.CheckConstraint(
                condition=models.Q(finding_retention_days__gte=1) & models.Q(read_event_retention_days__gte=1),
                name="policy_retention_positive",
                violation_error_message=_("Slettefrister skal være mindst 1 dag."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.jobcentre} v{self.version}"
