"""Writing audit events: inside the caller's transaction, serialised per chain, hash-chained.

Services call `audit_record` (usually through `jobcenter.core.history.save_validated`), the request
layer calls it for reads, logins and denials. Nothing here updates or deletes an event except
`audit_prune_read_events`, the single privileged routine that removes old read events.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import pgtrigger
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.db.models import Max

from jobcenter.audit.chain import GENESIS_HASH, HASHED_FIELDS, LINK_HASH_SQL, Break, event_payload, first_break
from jobcenter.audit.context import current_request
from jobcenter.audit.models import (
    READ_ACTIONS,
    Action,
    AuditAlert,
    AuditCheckpoint,
    AuditEvent,
    Chain,
    Outcome,
)
from jobcenter.core import clock
from jobcenter.organisation.models import Policy
from jobcenter.organisation.selectors import staff_profile_for, user_role_names

# One advisory lock per chain: writers of a chain queue up, so the chain can never fork.
_CHAIN_LOCKS = {Chain.READ: 7_310_001, Chain.CHANGE: 7_310_002}
PROTECT_TRIGGER = "audit.AuditEvent:audit_events_append_only"


def _actor_facts(actor: User | None) -> dict[str, Any]:
    if actor is None or not actor.is_authenticated:
        return {"actor_id": None, "actor_username": "", "role": "", "jobcentre_id": None}
    cached = getattr(actor, "_audit_facts", None)
    if cached is None:
        profile = staff_profile_for(actor)
        cached = {
            "actor_id": actor.pk,
            "actor_username": actor.get_username(),
            "role": ",".join(sorted(user_role_names(actor))),
            "jobcentre_id": profile.jobcentre_id if profile else None,
        }
        # Cached on the user object: a request writing several events looks the actor up once.
        setattr(actor, "_audit_facts", cached)  # noqa: B010
    return dict(cached)


@cache
def _field(attname: str) -> "models.Field[Any, Any]":
    fields: dict[str, models.Field[Any, Any]] = {field.attname: field for field in AuditEvent._meta.concrete_fields}
    return fields[attname]


@cache
def _append_sql(columns: tuple[str, ...]) -> str:
    """INSERT … SELECT that reads the chain's head (its last event, else its last checkpoint, else
    genesis) and links the new event to it in the same statement, so appending costs one query
    whatever the chain's history. Run under the chain's lock, taken by the statement before it: a
    statement sees what was committed when it started, so the head must not be read by the statement
    that waits for the lock."""
    events, checkpoints = AuditEvent._meta.db_table, AuditCheckpoint._meta.db_table
    casts = ", ".join(f"%s::{_field(name).db_type(connection)}" for name in columns)
    head = (
        f"SELECT COALESCE("
        f"(SELECT hash FROM {events} WHERE chain = %s ORDER BY id DESC LIMIT 1), "
        f"(SELECT last_pruned_hash FROM {checkpoints} WHERE chain = %s ORDER BY id DESC LIMIT 1), %s) AS hash"
    )
    link = LINK_HASH_SQL.format(prev="head.hash", payload="%s::text")
    column_names = ", ".join(_field(name).column for name in columns)
    return (
        f"INSERT INTO {events} ({column_names}, prev_hash, hash) "
        f"SELECT {casts}, head.hash, {link} FROM ({head}) AS head "
        f"RETURNING id, prev_hash, hash"
    )


def _append(fields: dict[str, Any]) -> AuditEvent:
    columns = tuple(fields)
    values = [_field(name).get_db_prep_save(fields[name], connection) for name in columns]
    chain = fields["chain"]
    with connection.cursor() as cursor:
        cursor.execute(_append_sql(columns), [*values, event_payload(fields), chain, chain, GENESIS_HASH])
        event_id, prev_hash, hash_ = cursor.fetchone()
    event = AuditEvent(id=event_id, prev_hash=prev_hash, hash=hash_, **fields)
    event._state.adding = False
    event._state.db = connection.alias
    return event


def audit_record(
    *,
    actor: User | None,
    action: Action | str,
    outcome: Outcome | str = Outcome.SUCCESS,
    subject: models.Model | None = None,
    case_id: int | None = None,
    citizen_id: int | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to its chain, in the caller's transaction (or its own, outside one)."""
    context = current_request.get()
    chain = Chain.READ if action in READ_ACTIONS else Chain.CHANGE
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCKS[chain]])
        return _append(
            {
                "chain": chain,
                # Taken under the lock, so time order and chain order agree and pruning removes a prefix.
                "occurred_at": clock.now(),
                **_actor_facts(actor),
                "action": str(action),
                "object_type": subject._meta.label if subject is not None else "",
                "object_id": str(subject.pk) if subject is not None else "",
                "case_id": case_id,
                "citizen_id": citizen_id,
                "outcome": str(outcome),
                "reason": reason,
                "details": details or {},
                "request_id": context.request_id if context else "",
                "source_address": context.source_address if context else None,
            }
        )


def subject_ids(instance: models.Model) -> tuple[int | None, int | None]:
    """The case and citizen an object belongs to, following its parents (finding → lookup → case)."""
    label = instance._meta.label
    if label == "cases.Citizen":
        return None, instance.pk
    if label == "cases.Case":
        return instance.pk, instance.citizen_id  # type: ignore[attr-defined]
    if label == "cases.PowerOfAttorney":
        return instance.case_id, instance.citizen_id  # type: ignore[attr-defined]
    for parent in ("case", "lookup", "decision", "hearing", "content_object"):
        if hasattr(instance, f"{parent}_id"):
            return subject_ids(getattr(instance, parent))
    return None, None


def audit_change(
    instance: models.Model,
    *,
    actor: User | None,
    service: str,
    action: Action | str = Action.CHANGE,
    outcome: Outcome | str = Outcome.SUCCESS,
    reason: str = "",
) -> AuditEvent:
    case_id, citizen_id = subject_ids(instance)
    return audit_record(
        actor=actor,
        action=action,
        outcome=outcome,
        subject=instance,
        case_id=case_id,
        citizen_id=citizen_id,
        reason=reason,
        details={"service": service} if service else {},
    )


# --- Verification ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyResult:
    chain: str
    checked: int
    broken: Break | None


class _CountedEvents:
    """The chain's events in order, streamed from a server-side cursor, counting as they pass."""

    def __init__(self, chain: str, after_id: int) -> None:
        self._rows = (
            AuditEvent.objects.filter(chain=chain, id__gt=after_id)
            .order_by("id")
            .values("id", "prev_hash", "hash", *HASHED_FIELDS)
            .iterator(chunk_size=5_000)
        )
        self.count = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for row in self._rows:
            self.count += 1
            yield row


def audit_verify_chain(chain: str) -> VerifyResult:
    """Stream one chain and report the first broken event. A pruned prefix resumes at its checkpoint,
    and each checkpoint must match the prune event the routine wrote into the change chain."""
    checkpoint = AuditCheckpoint.objects.filter(chain=chain).order_by("-id").first()
    start_hash, after_id = (checkpoint.last_pruned_hash, checkpoint.last_pruned_id) if checkpoint else (GENESIS_HASH, 0)
    if checkpoint is not None and not _checkpoint_is_recorded(checkpoint):
        return VerifyResult(chain, 0, Break(checkpoint.last_pruned_id, "checkpoint without its prune event"))
    events = _CountedEvents(chain, after_id)
    broken = next(first_break(events, start_hash=start_hash), None)
    return VerifyResult(chain, events.count, broken)


def _checkpoint_is_recorded(checkpoint: AuditCheckpoint) -> bool:
    return AuditEvent.objects.filter(
        chain=Chain.CHANGE,
        action=Action.PRUNE,
        details__last_pruned_id=checkpoint.last_pruned_id,
        details__last_pruned_hash=checkpoint.last_pruned_hash,
    ).exists()


def audit_verify(*, raise_alert: bool = True) -> list[VerifyResult]:
    """Verify both chains; a break raises an alert that supervisors and administrators see."""
    results = [audit_verify_chain(chain) for chain in (Chain.CHANGE, Chain.READ)]
    if raise_alert:
        for result in results:
            if (
                result.broken is not None
                and not AuditAlert.objects.filter(
                    chain=result.chain, broken_event_id=result.broken.event_id, resolved_at__isnull=True
                ).exists()
            ):
                AuditAlert.objects.create(
                    chain=result.chain,
                    broken_event_id=result.broken.event_id,
                    message=f"Revisionssporet ({result.chain}) er brudt ved hændelse {result.broken.event_id}: "
                    f"{result.broken.reason}",
                )
    return results


# --- Retention -----------------------------------------------------------------------------------------


def read_event_cutoff(now: datetime) -> datetime:
    """Read events are kept as long as the most demanding jobcentre policy in force asks (default 6 months)."""
    latest_versions = Policy.objects.values("jobcentre").annotate(version=Max("version"))
    days = [
        Policy.objects.get(jobcentre_id=row["jobcentre"], version=row["version"]).read_event_retention_days
        for row in latest_versions
    ]
    return now - timedelta(days=max(days, default=183))


@transaction.atomic
def audit_prune_read_events(*, now: datetime | None = None) -> int:
    """The one routine allowed to delete audit events: read events older than the retention period,
    as a prefix of the read chain, leaving a checkpoint and a prune event in the change chain."""
    cutoff = read_event_cutoff(now or clock.now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCKS[Chain.READ]])
    last = AuditEvent.objects.filter(chain=Chain.READ, occurred_at__lt=cutoff).order_by("-id").first()
    if last is None:
        return 0
    with pgtrigger.ignore(PROTECT_TRIGGER):
        pruned, _by_model = AuditEvent.objects.filter(chain=Chain.READ, id__lte=last.id).delete()
    AuditCheckpoint.objects.create(
        chain=Chain.READ,
        last_pruned_id=last.id,
        last_pruned_hash=last.hash,
        events_pruned=pruned,
        pruned_before=cutoff,
    )
    audit_record(
        actor=None,
        action=Action.PRUNE,
        details={"last_pruned_id": last.id, "last_pruned_hash": last.hash, "events_pruned": pruned},
    )
    return pruned
