"""The audit event stream (DESIGN.md A3): who did or saw what, when, from where, and with what outcome.

Append-only in PostgreSQL (triggers refuse UPDATE and DELETE) and tamper-evident: each event carries
the SHA-256 of its content chained to the previous event of its chain. Reads (views, searches) and
changes form two chains, so read events can be pruned after the retention period as a prefix of their
chain, leaving a checkpoint, without ever breaking the chain of changes and decisions.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Chain(models.TextChoices):
    READ = "read", _("Læsning")
    CHANGE = "change", _("Ændring")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("Gennemført")
    REFUSED = "refused", _("Afvist af reglerne")
    DENIED = "denied", _("Adgang nægtet")
    FAILED = "failed", _("Mislykkedes")


class Action(models.TextChoices):
    VIEW = "view", _("Visning")
    SEARCH = "search", _("Søgning")
    EXPORT = "export", _("Eksport")
    LOGIN = "login", _("Login")
    LOGIN_FAILED = "login_failed", _("Mislykket login")
    LOGOUT = "logout", _("Log ud")
    ACCESS_DENIED = "access_denied", _("Nægtet adgang")
    CHANGE = "change", _("Ændring")
    DECISION_REFUSED = "decision_refused", _("Afgørelse afvist")
    DECISION_ISSUED = "decision_issued", _("Afgørelse udstedt")
    PRUNE = "prune", _("Sletning af læsehændelser")
    VERIFY = "verify", _("Kontrol af revisionsspor")


READ_ACTIONS = frozenset({Action.VIEW, Action.SEARCH, Action.EXPORT, Action.ACCESS_DENIED})


@pgtrigger.register(
    pgtrigger.Protect(name="audit_events_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class AuditEvent(models.Model):
    """One audit event. Never edited, never deleted (except read events by the pruning routine)."""

    chain = models.CharField(_("kæde"), max_length=10, choices=Chain.choices)
    occurred_at = models.DateTimeField(_("tidspunkt (UTC)"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aktør"),
    )
    actor_username = models.CharField(_("brugernavn"), max_length=150, blank=True)
    role = models.CharField(_("rolle"), max_length=30, blank=True)
    jobcentre_id = models.BigIntegerField(_("jobcenter"), null=True, blank=True, db_index=True)
    action = models.CharField(_("handling"), max_length=30, choices=Action.choices)
    object_type = models.CharField(_("objekttype"), max_length=60, blank=True)
    object_id = models.CharField(_("objekt"), max_length=64, blank=True)
    case_id = models.BigIntegerField(_("sag"), null=True, blank=True, db_index=True)
    citizen_id = models.BigIntegerField(_("borger"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("udfald"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    reason = models.TextField(_("begrundelse"), blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    request_id = models.CharField(_("forespørgsel"), max_length=64, blank=True)
    source_address = models.GenericIPAddressField(_("kildeadresse"), null=True, blank=True)
    prev_hash = models.CharField(_("forrige hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("revisionshændelse")
        verbose_name_plural = _("revisionshændelser")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["chain", "id"], name="audit_chain_id"),
            models.Index(fields=["actor", "-id"], name="audit_actor_id"),
            # The supervisor's log filters by the username copied into the event (it outlives the user).
            models.Index(fields=["actor_username", "-id"], name="audit_actor_username_id"),
            models.Index(fields=["case_id", "-id"], name="audit_case_id"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action} {self.outcome}"


@pgtrigger.register(
    pgtrigger.Protect(name="audit_checkpoints_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
)
class AuditCheckpoint(models.Model):
    """Left by the pruning routine: the last pruned read event and its hash, where verification resumes."""

    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    chain = models.CharField(_("kæde"), max_length=10, choices=Chain.choices)
    last_pruned_id = models.BigIntegerField(_("sidste slettede hændelse"))
    last_pruned_hash = models.CharField(_("dens hash"), max_length=64)
    events_pruned = models.PositiveIntegerField(_("antal slettet"))
    pruned_before = models.DateTimeField(_("ældre end"))

    class Meta:
        verbose_name = _("kontrolpunkt")
        verbose_name_plural = _("kontrolpunkter")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.chain} ≤ {self.last_pruned_id}"


class AuditAlert(models.Model):
    """Raised when verification finds the chain broken; shown to supervisors and administrators until resolved."""

    raised_at = models.DateTimeField(_("rejst"), default=timezone.now)
    chain = models.CharField(_("kæde"), max_length=10, choices=Chain.choices)
    broken_event_id = models.BigIntegerField(_("første brudte hændelse"))
    message = models.TextField(_("besked"))
    resolved_at = models.DateTimeField(_("løst"), null=True, blank=True)

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarmer")
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.message
