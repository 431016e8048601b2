"""Citizens, their cases, and everything a case holds: notes, tips, suspicions, evidence, hearings,
decisions and powers of attorney.

This app knows nothing of social media: a social-media finding enters a case as an evidence item
of kind `social_media_finding`, and the decision rules look only at evidence kinds.
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from cases.cpr import validate_cpr
from jobcenter.core.fields import BoundedTextField
from jobcenter.organisation.models import Jobcentre, Team, UnionOrganisation


class Citizen(models.Model):
    """A person known to one jobcentre. The CPR number is kept out of the history table."""

    jobcentre = models.ForeignKey(
        Jobcentre, on_delete=models.PROTECT, related_name="citizens", verbose_name=_("jobcenter")
    )
    cpr = models.CharField(_("CPR-nummer"), max_length=10, validators=[validate_cpr])
    birth_date = models.DateField(_("fødselsdato"), editable=False)
    first_name = models.CharField(_("fornavn"), max_length=100)
    last_name = models.CharField(_("efternavn"), max_length=100)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now, editable=False)
    history = HistoricalRecords(excluded_fields=["cpr"])

    class Meta:
        verbose_name = _("borger")
        verbose_name_plural = _("borgere")
        ordering = ["last_name", "first_name"]
        # Search by a part of a name (icontains is UPPER(...) LIKE '%...%'): trigram indexes answer it
        # among 150,000 citizens without reading them all.
        indexes = [
            GinIndex(OpClass(Upper("first_name"), name="gin_trgm_ops"), name="citizen_first_name_trgm"),
            GinIndex(OpClass(Upper("last_name"), name="gin_trgm_ops"), name="citizen_last_name_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["jobcentre", "cpr"],
                name="citizen_unique_cpr_per_jobcentre",
                violation_error_message=_("Borgeren findes allerede i jobcenteret."),
            ),
            models.CheckConstraint(
                condition=models.Q(cpr__regex=r"^[0-9]{10}$"),
                name="citizen_cpr_ten_digits",
                violation_error_message=_("CPR-nummeret gemmes som ti cifre."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def masked_cpr(self) -> str:
        return f"{self.cpr[:6]}-XXXX"


class BenefitType(models.TextChoices):
    KONTANTHJAELP = "kontanthjaelp", _("Kontanthjælp")
    UDDANNELSESHJAELP = "uddannelseshjaelp", _("Uddannelseshjælp")
    SYGEDAGPENGE = "sygedagpenge", _("Sygedagpenge")
    DAGPENGEKONTAKT = "dagpengekontakt", _("Dagpenge (kontaktforløb)")
    RESSOURCEFORLOEB = "ressourceforloeb", _("Ressourceforløb")
    JOBAFKLARINGSFORLOEB = "jobafklaringsforloeb", _("Jobafklaringsforløb")
    LEDIGHEDSYDELSE = "ledighedsydelse", _("Ledighedsydelse")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Lukket")


class Case(models.Model):
    """One benefit case of one citizen, worked by a team and usually one assigned caseworker."""

    reference = models.CharField(_("sagsnummer"), max_length=20, unique=True, editable=False)
    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="cases", verbose_name=_("borger"))
    benefit_type = models.CharField(_("ydelse"), max_length=30, choices=BenefitType.choices)
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    assigned_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("sagsbehandler"),
    )
    fraud_suspected = models.BooleanField(
        _("mistanke om socialt bedrageri"),
        default=False,
        help_text=_("Når sagen er markeret, skal breve vejlede om retten til ikke at inkriminere sig selv."),
    )
    opened_at = models.DateTimeField(_("oprettet"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("lukket"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sag")
        verbose_name_plural = _("sager")
        ordering = ["-opened_at"]
        # Search by the start of a reference (LIKE '101-2026-%'), which the unique index cannot answer.
        indexes = [models.Index(fields=["reference"], name="case_reference_prefix", opclasses=["varchar_pattern_ops"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=CaseStatus.OPEN, closed_at__isnull=True)
                | models.Q(status=CaseStatus.CLOSED, closed_at__isnull=False),
                name="case_closed_at_matches_status",
                violation_error_message=_("En lukket sag skal have en lukkedato, en åben sag ingen."),
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class JournalNoteKind(models.TextChoices):
    MANUAL = "manual", _("Notat")
    SYSTEM = "system", _("Systemnotat")


@pgtrigger.register(
    pgtrigger.Protect(name="journal_notes_are_immutable", operation=pgtrigger.Update | pgtrigger.Delete),
)
class JournalNote(models.Model):
    """A journal note (journalnotat). Immutable once written, by the database as well as the code (L7)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="journal_notes", verbose_name=_("sag"))
    kind = models.CharField(_("art"), max_length=10, choices=JournalNoteKind.choices, default=JournalNoteKind.MANUAL)
    text = BoundedTextField(_("tekst"), max_length=10_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("forfatter"),
    )
    created_at = models.DateTimeField(_("skrevet"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("journalnotat")
        verbose_name_plural = _("journalnotater")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d %H:%M}"


class BasisStatus(models.TextChoices):
    OPEN = "open", _("Åben")
    CLOSED = "closed", _("Afsluttet")


class TipChannel(models.TextChoices):
    PHONE = "phone", _("Telefon")
    LETTER = "letter", _("Brev")
    EMAIL = "email", _("E-mail")
    WEB_FORM = "web_form", _("Digital formular")
    IN_PERSON = "in_person", _("Personligt fremmøde")
    AUTHORITY = "authority", _("Anden myndighed")


class Tip(models.Model):
    """A tip (anmeldelse) received about the case. The tipper's identity is confidential and not in history."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tips", verbose_name=_("sag"))
    channel = models.CharField(_("kanal"), max_length=20, choices=TipChannel.choices)
    received_on = models.DateField(_("modtaget"))
    summary = BoundedTextField(_("resumé"), max_length=5_000)
    tipper_identity = models.CharField(
        _("anmelders identitet (fortrolig)"),
        max_length=300,
        blank=True,
        help_text=_("Tom, hvis anmeldelsen er anonym. Vises aldrig for borgeren eller repræsentanter."),
    )
    status = models.CharField(_("status"), max_length=10, choices=BasisStatus.choices, default=BasisStatus.OPEN)
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    history = HistoricalRecords(excluded_fields=["tipper_identity"])

    class Meta:
        verbose_name = _("anmeldelse")
        verbose_name_plural = _("anmeldelser")
        ordering = ["-recorded_at"]
        constraints = [
            # Target of the composite foreign key that keeps a lookup's basis on the lookup's own case.
            models.UniqueConstraint(fields=["id", "case"], name="tip_id_case_unique"),
        ]

    def __str__(self) -> str:
        return _("Anmeldelse af %(date)s") % {"date": self.received_on}


class Suspicion(models.Model):
    """A documented suspicion (begrundet mistanke): grounds, the control theme and what was consulted (L3)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="suspicions", verbose_name=_("sag"))
    grounds = BoundedTextField(_("faglig og saglig begrundelse"), max_length=5_000)
    control_theme = models.CharField(_("kontroltema"), max_length=200)
    other_sources_consulted = BoundedTextField(_("andre kilder undersøgt"), max_length=5_000, blank=True)
    unjustified_benefit_reason = BoundedTextField(
        _("hvorfor ydelsen synes uberettiget"),
        max_length=5_000,
        blank=True,
        help_text=_("Skal udfyldes, hvor jobcenteret kræver klar formodning."),
    )
    status = models.CharField(_("status"), max_length=10, choices=BasisStatus.choices, default=BasisStatus.OPEN)
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("begrundet mistanke")
        verbose_name_plural = _("begrundede mistanker")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(fields=["id", "case"], name="suspicion_id_case_unique"),
        ]

    def __str__(self) -> str:
        return _("Mistanke: %(theme)s") % {"theme": self.control_theme}


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Dokument")
    CITIZEN_STATEMENT = "citizen_statement", _("Borgerens egne oplysninger")
    MEDICAL_ASSESSMENT = "medical_assessment", _("Lægelig vurdering eller vurdering af arbejdsevne")
    REGISTER_DATA = "register_data", _("Registeroplysninger")
    EMPLOYER_STATEMENT = "employer_statement", _("Oplysninger fra arbejdsgiver")
    INTERVIEW_NOTE = "interview_note", _("Samtalenotat")
    SOCIAL_MEDIA_FINDING = "social_media_finding", _("Fund fra sociale medier")
    OTHER = "other", _("Andet")


class EvidenceItem(models.Model):
    """A piece of information the jobcentre may rely on. Social-media findings arrive here when marked for use."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_items", verbose_name=_("sag"))
    kind = models.CharField(_("art"), max_length=30, choices=EvidenceKind.choices)
    title = models.CharField(_("titel"), max_length=200)
    description = BoundedTextField(_("beskrivelse"), max_length=10_000)
    occurred_on = models.DateField(_("dato for oplysningen"), null=True, blank=True)
    source_url = models.URLField(_("kilde (URL)"), max_length=1_000, blank=True)
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bevis")
        verbose_name_plural = _("beviser")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_social_media(self) -> bool:
        return self.kind == EvidenceKind.SOCIAL_MEDIA_FINDING


class Hearing(models.Model):
    """A written hearing (partshøring, FVL § 19) about the items it covers. Sent when created."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("sag"))
    letter_text = BoundedTextField(_("brevets tekst"))
    self_incrimination_notice = models.BooleanField(_("vejledning om selvinkriminering"), default=False)
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kopi til partsrepræsentant"),
    )
    sent_at = models.DateTimeField(_("sendt"), default=timezone.now, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sendt af")
    )
    original_deadline = models.DateField(_("oprindelig svarfrist"))
    deadline = models.DateField(_("svarfrist"))
    response_received_at = models.DateTimeField(_("svar modtaget"), null=True, blank=True)
    response_text = BoundedTextField(_("borgerens svar"), max_length=20_000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partshøring")
        verbose_name_plural = _("partshøringer")
        ordering = ["-sent_at"]
        # Hearings waiting for an answer are few among all ever sent; the desk and the deadline scan ask for them.
        indexes = [
            models.Index(
                fields=["deadline"], condition=models.Q(response_received_at__isnull=True), name="hearing_unanswered"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("original_deadline")),
                name="hearing_deadline_never_shortened",
                violation_error_message=_("Svarfristen kan forlænges, aldrig forkortes."),
            ),
            models.CheckConstraint(
                condition=models.Q(response_received_at__isnull=True, response_text="")
                | models.Q(response_received_at__isnull=False),
                name="hearing_response_has_time",
                violation_error_message=_("Et svar skal have et modtagelsestidspunkt."),
            ),
        ]

    def __str__(self) -> str:
        return _("Partshøring sendt %(date)s") % {"date": timezone.localtime(self.sent_at).date()}


class HearingItem(models.Model):
    """One evidence item a hearing covers, with how the jobcentre reads it (H2)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.PROTECT, related_name="items", verbose_name=_("partshøring"))
    evidence_item = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="hearing_items", verbose_name=_("bevis")
    )
    authority_reading = BoundedTextField(_("jobcenterets forståelse"), max_length=5_000)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partshørt oplysning")
        verbose_name_plural = _("partshørte oplysninger")
        constraints = [
            models.UniqueConstraint(fields=["hearing", "evidence_item"], name="hearingitem_unique"),
        ]

    def __str__(self) -> str:
        return str(self.evidence_item)


class HearingExtension(models.Model):
    """A granted extension of a hearing's deadline. Never shortens it (H2)."""

    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, related_name="extensions", verbose_name=_("partshøring")
    )
    previous_deadline = models.DateField(_("hidtidig frist"))
    new_deadline = models.DateField(_("ny frist"))
    reason = BoundedTextField(_("begrundelse"), max_length=2_000)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("bevilget af")
    )
    granted_at = models.DateTimeField(_("bevilget"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fristforlængelse")
        verbose_name_plural = _("fristforlængelser")
        ordering = ["granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(new_deadline__gt=models.F("previous_deadline")),
                name="hearingextension_extends",
                violation_error_message=_("Den nye frist skal ligge efter den hidtidige."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.previous_deadline} → {self.new_deadline}"


class HearingDeadlineNoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Påmindelse om svarfrist")
    EXPIRED = "expired", _("Svarfrist udløbet")


class HearingDeadlineNotice(models.Model):
    """That the deadline duty has dealt with one deadline of a hearing: a reminder before it, or the note
    that it passed unanswered. One per hearing, kind and deadline, so a second run of the scan does
    nothing and an extended deadline gets its own. H5 never looks at these rows."""

    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, related_name="deadline_notices", verbose_name=_("partshøring")
    )
    kind = models.CharField(_("art"), max_length=10, choices=HearingDeadlineNoticeKind.choices)
    deadline = models.DateField(_("svarfrist"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("besked om svarfrist")
        verbose_name_plural = _("beskeder om svarfrister")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "kind", "deadline"], name="hearingdeadlinenotice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.deadline}"


class DecisionKind(models.TextChoices):
    BENEFIT_REDUCTION = "benefit_reduction", _("Nedsættelse af ydelse")
    BENEFIT_STOP = "benefit_stop", _("Standsning af ydelse")
    SANCTION = "sanction", _("Sanktion")
    REPAYMENT_CLAIM = "repayment_claim", _("Krav om tilbagebetaling")
    PRAKTIK_HOURS_INCREASE = "praktik_hours_increase", _("Flere timer i praktik eller arbejdsprøvning")
    WORK_CAPACITY_ASSESSMENT = "work_capacity_assessment", _("Vurdering af arbejdsevne")
    BENEFIT_GRANTED = "benefit_granted", _("Bevilling af ydelse")
    OTHER_FAVOURABLE = "other_favourable", _("Anden afgørelse til borgerens fordel")


ADVERSE_DECISION_KINDS = frozenset(
    {
        DecisionKind.BENEFIT_REDUCTION,
        DecisionKind.BENEFIT_STOP,
        DecisionKind.SANCTION,
        DecisionKind.REPAYMENT_CLAIM,
        DecisionKind.PRAKTIK_HOURS_INCREASE,
        DecisionKind.WORK_CAPACITY_ASSESSMENT,
    }
)


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    ISSUED = "issued", _("Udstedt")


@pgtrigger.register(
    pgtrigger.Protect(
        name="issued_decisions_are_immutable",
        operation=pgtrigger.Update | pgtrigger.Delete,
        condition=pgtrigger.Q(old__status="issued"),
    ),
)
class Decision(models.Model):
    """A decision (afgørelse) on a case. Drafted, possibly approved (D5), then issued and frozen (D7)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("sag"))
    kind = models.CharField(_("art"), max_length=40, choices=DecisionKind.choices)
    summary = BoundedTextField(_("afgørelsen"), max_length=5_000)
    legal_basis = BoundedTextField(_("retsgrundlag"), max_length=5_000, blank=True)
    main_considerations = BoundedTextField(_("hovedhensyn"), max_length=10_000, blank=True)
    facts_relied_on = BoundedTextField(_("faktiske oplysninger lagt til grund"), max_length=10_000, blank=True)
    complaint_guidance = BoundedTextField(_("klagevejledning"), blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ændrer afgørelse"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("forfatter")
    )
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkendt af"),
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("udstedt af"),
    )
    issued_at = models.DateTimeField(_("udstedt"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("afgørelse")
        verbose_name_plural = _("afgørelser")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(approved_by=models.F("author")),
                name="decision_approver_is_not_author",
                violation_error_message=_("Afgørelsen skal godkendes af en anden end forfatteren."),
            ),
            models.CheckConstraint(
                condition=models.Q(status=DecisionStatus.DRAFT, issued_at__isnull=True)
                | models.Q(status=DecisionStatus.ISSUED, issued_at__isnull=False, issued_by__isnull=False),
                name="decision_issued_fields_match_status",
                violation_error_message=_("En udstedt afgørelse skal have tidspunkt og udsteder."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_adverse(self) -> bool:
        return self.kind in ADVERSE_DECISION_KINDS


@pgtrigger.register(
    pgtrigger.Trigger(
        name="evidence_of_issued_decision_is_frozen",
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func="""
            IF EXISTS (
                SELECT 1 FROM cases_decision
                WHERE id IN (NEW.decision_id, OLD.decision_id) AND status = 'issued'
            ) THEN
                RAISE EXCEPTION 'The evidence of an issued decision cannot change (D7)'
                    USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        """,
    ),
)
class DecisionEvidence(models.Model):
    """An evidence item a decision cites, with how it was weighed (D4)."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="citations", verbose_name=_("afgørelse")
    )
    evidence_item = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, related_name="citations", verbose_name=_("bevis")
    )
    weighing = BoundedTextField(_("vægtning"), max_length=5_000, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citeret bevis")
        verbose_name_plural = _("citerede beviser")
        constraints = [
            models.UniqueConstraint(fields=["decision", "evidence_item"], name="decisionevidence_unique"),
        ]

    def __str__(self) -> str:
        return str(self.evidence_item)


class AttemptOutcome(models.TextChoices):
    ISSUED = "issued", _("Udstedt")
    REFUSED = "refused", _("Afvist")


@pgtrigger.register(
    pgtrigger.Protect(name="decision_attempts_are_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class DecisionAttempt(models.Model):
    """Every attempt to issue a decision, with the rule codes that refused it (D6). Append-only."""

    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, related_name="attempts", verbose_name=_("afgørelse")
    )
    attempted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("forsøgt af")
    )
    attempted_at = models.DateTimeField(_("tidspunkt"), default=timezone.now, editable=False)
    outcome = models.CharField(_("udfald"), max_length=10, choices=AttemptOutcome.choices)
    rule_codes = ArrayField(models.CharField(max_length=30), verbose_name=_("regler"), default=list, blank=True)
    messages = models.JSONField(_("begrundelser"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("forsøg på udstedelse")
        verbose_name_plural = _("forsøg på udstedelse")
        ordering = ["-attempted_at"]
        # Refused attempts are few among many issued ones; the desk and the supervisor's flags ask for them.
        indexes = [
            models.Index(
                fields=["decision"], condition=models.Q(outcome=AttemptOutcome.REFUSED), name="attempt_refused_decision"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome=AttemptOutcome.ISSUED, rule_codes=[])
                | (models.Q(outcome=AttemptOutcome.REFUSED) & ~models.Q(rule_codes=[])),
                name="decisionattempt_refusal_has_codes",
                violation_error_message=_("Et afvist forsøg skal angive de brudte regler."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {', '.join(self.rule_codes)}"


class MandateScope(models.TextChoices):
    CASE = "case", _("Én sag")
    ALL_CASES = "all_cases", _("Alle borgerens sager")


class MandateKind(models.TextChoices):
    PARTY_REPRESENTATIVE = "party_representative", _("Partsrepræsentant")
    SUPPORTER = "supporter", _("Bisidder")


class PowerOfAttorney(models.Model):
    """A citizen's power of attorney (fuldmagt) to a union representative (FVL § 8)."""

    citizen = models.ForeignKey(Citizen, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("borger"))
    scope = models.CharField(_("omfang"), max_length=20, choices=MandateScope.choices)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="mandates", verbose_name=_("sag")
    )
    union = models.ForeignKey(
        UnionOrganisation, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("fagforening")
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mandates", verbose_name=_("repræsentant")
    )
    kind = models.CharField(_("art"), max_length=30, choices=MandateKind.choices)
    valid_from = models.DateField(_("gyldig fra"))
    valid_to = models.DateField(_("gyldig til"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registreret af")
    )
    recorded_at = models.DateTimeField(_("registreret"), default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fuldmagt")
        verbose_name_plural = _("fuldmagter")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope=MandateScope.CASE, case__isnull=False)
                | models.Q(scope=MandateScope.ALL_CASES, case__isnull=True),
                name="mandate_case_matches_scope",
                violation_error_message=_("En fuldmagt til én sag skal angive sagen."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                name="mandate_valid_period",
                violation_error_message=_("Slutdatoen må ikke ligge før startdatoen."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.representative} for {self.citizen}"


class CaseUserObjectPermission(UserObjectPermissionBase):
    """A case shared with one named colleague (A1). guardian's direct foreign-key table, so a grant
    is one indexed join, and it disappears with its case instead of lingering as a generic row."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("deling af sag")
        verbose_name_plural = _("delinger af sager")


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """guardian needs the group counterpart of the direct table; cases are shared with people, not groups."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("gruppedeling af sag")
        verbose_name_plural = _("gruppedelinger af sager")
