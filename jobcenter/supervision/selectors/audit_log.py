"""Reads of the audit stream for the supervisor's desk: the filtered log, its CSV export and a citizen's log.

Every read is limited to one jobcentre: events written by its staff, and events about its cases and
citizens (a union representative reading a case report belongs to the case's jobcentre). Pages are cut
by keyset on the id, never by OFFSET or COUNT, so a page costs the same on the millionth event as on the
first. Exports stream from a server-side cursor and never hold the table in memory.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Citizen
from jobcenter.audit.models import Action, AuditEvent, Outcome
from jobcenter.organisation.models import Jobcentre, StaffProfile
from jobcenter.organisation.roles import Role

PAGE_SIZE = 50
EXPORT_CHUNK_SIZE = 2_000
# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditLogFilters:
    """What the supervisor asked for, with the case and citizen already found in the jobcentre."""

    actor_username: str = ""
    case: Case | None = None
    citizen: Citizen | None = None
    action: str = ""
    outcome: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def criteria(self) -> dict[str, Any]:
        """The filters as the audit event records them: ids, never a CPR number."""
        values = {
            "actor": self.actor_username,
            "case_id": self.case.pk if self.case else None,
            "citizen_id": self.citizen.pk if self.citizen else None,
            "action": self.action,
            "outcome": self.outcome,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class AuditLogRow:
    event: AuditEvent
    case_reference: str
    roles: str
    object_label: str

    @property
    def is_refused(self) -> bool:
        return self.event.outcome == Outcome.REFUSED

    @property
    def rule_codes(self) -> list[str]:
        """A refused decision's reason is the comma-separated codes of the rules it broke (D6)."""
        if not self.is_refused:
            return []
        return [code.strip() for code in self.event.reason.split(",") if code.strip()]

    @property
    def is_denied(self) -> bool:
        return self.event.outcome in (Outcome.DENIED, Outcome.FAILED)


@dataclass(frozen=True)
class AuditLogPage:
    rows: list[AuditLogRow]
    next_before: int | None


def citizen_find(*, jobcentre_id: int, cpr: str) -> Citizen | None:
    """The citizen with this CPR number (ten digits) in the jobcentre, or None."""
    return Citizen.objects.filter(jobcentre_id=jobcentre_id, cpr=cpr).first()


def audit_log_filters_resolve(
    *,
    jobcentre_id: int,
    actor: str = "",
    case: str = "",
    citizen: str = "",
    action: str = "",
    outcome: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> AuditLogFilters:
    """Find the case (by reference) and the citizen (by CPR digits) within the jobcentre, or refuse per field."""
    errors: dict[str, str] = {}
    found_case = None
    if case:
        # References hold digits and hyphens only: an exact match lets the unique index find the case.
        found_case = Case.objects.filter(reference=case.strip(), citizen__jobcentre_id=jobcentre_id).first()
        if found_case is None:
            errors["case"] = _("Sagen findes ikke i jobcenteret.")
    found_citizen = None
    if citizen:
        found_citizen = citizen_find(jobcentre_id=jobcentre_id, cpr=citizen)
        if found_citizen is None:
            errors["citizen"] = _("Borgeren findes ikke i jobcenteret.")
    if errors:
        raise ValidationError(errors)
    return AuditLogFilters(
        actor_username=actor,
        case=found_case,
        citizen=found_citizen,
        action=action,
        outcome=outcome,
        date_from=date_from,
        date_to=date_to,
    )


def jobcentre_staff_usernames(*, jobcentre_id: int) -> list[str]:
    """Usernames to suggest in the actor filter."""
    return list(
        StaffProfile.objects.filter(jobcentre_id=jobcentre_id)
        .order_by("user__username")
        .values_list("user__username", flat=True)
    )


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_for_jobcentre(*, jobcentre_id: int) -> QuerySet[AuditEvent]:
    """Every event the jobcentre's supervisors may see, newest first."""
    cases = Case.objects.filter(citizen__jobcentre_id=jobcentre_id).values("id")
    citizens = Citizen.objects.filter(jobcentre_id=jobcentre_id).values("id")
    return AuditEvent.objects.filter(
        Q(jobcentre_id=jobcentre_id) | Q(case_id__in=cases) | Q(citizen_id__in=citizens)
    ).order_by("-id")


def _events_about_citizen(citizen: Citizen) -> Q:
    return Q(citizen_id=citizen.pk) | Q(case_id__in=Case.objects.filter(citizen_id=citizen.pk).values("id"))


def audit_events_filtered(*, jobcentre_id: int, filters: AuditLogFilters) -> QuerySet[AuditEvent]:
    # The case and the citizen were found in the jobcentre, so every event about them is inside its
    # wall already: filtering by them alone lets the case and citizen indexes answer on their own.
    if filters.case is not None:
        events = AuditEvent.objects.filter(case_id=filters.case.pk)
        if filters.citizen is not None:
            events = events.filter(_events_about_citizen(filters.citizen))
    elif filters.citizen is not None:
        events = AuditEvent.objects.filter(_events_about_citizen(filters.citizen))
    else:
        events = audit_events_for_jobcentre(jobcentre_id=jobcentre_id)
    events = events.order_by("-id")
    if filters.actor_username:
        events = events.filter(actor_username=filters.actor_username)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.outcome:
        events = events.filter(outcome=filters.outcome)
    if filters.date_from:
        events = events.filter(occurred_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        events = events.filter(occurred_at__lt=_local_midnight(filters.date_to + timedelta(days=1)))
    return events


def _role_labels(roles: str) -> str:
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(role, role)) for role in roles.split(",") if role)


def _case_references(*, jobcentre_id: int, case_ids: Iterable[int | None]) -> dict[int, str]:
    """One query for the references of a page's (or a chunk's) cases."""
    wanted = {case_id for case_id in case_ids if case_id is not None}
    if not wanted:
        return {}
    return dict(Case.objects.filter(pk__in=wanted, citizen__jobcentre_id=jobcentre_id).values_list("pk", "reference"))


def _object_type_label(label: str, cache: dict[str, str]) -> str:
    if label not in cache:
        try:
            cache[label] = str(apps.get_model(label)._meta.verbose_name)
        except (LookupError, ValueError):
            cache[label] = label
    return cache[label]


def audit_log_page(
    *, jobcentre_id: int, filters: AuditLogFilters, before: int | None = None, page_size: int = PAGE_SIZE
) -> AuditLogPage:
    """One page of events older than `before` (keyset on id): two queries whatever the table's size."""
    events = audit_events_filtered(jobcentre_id=jobcentre_id, filters=filters)
    if before is not None:
        events = events.filter(id__lt=before)
    fetched = list(events[: page_size + 1])
    page, more = fetched[:page_size], len(fetched) > page_size
    references = _case_references(jobcentre_id=jobcentre_id, case_ids=(event.case_id for event in page))
    type_labels: dict[str, str] = {}
    rows = [
        AuditLogRow(
            event=event,
            case_reference=references.get(event.case_id, "") if event.case_id is not None else "",
            roles=_role_labels(event.role),
            object_label=_object_type_label(event.object_type, type_labels) if event.object_type else "",
        )
        for event in page
    ]
    return AuditLogPage(rows=rows, next_before=page[-1].id if more and page else None)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_PREFIXES) else text


def _chunks(events: Iterator[AuditEvent], size: int) -> Iterator[list[AuditEvent]]:
    while chunk := list(islice(events, size)):
        yield chunk


def audit_log_csv_rows(*, jobcentre_id: int, filters: AuditLogFilters) -> Iterator[list[str]]:
    """The header and one row per event, newest first, read from a server-side cursor in chunks."""
    # Labels are translated now, in the request's language, not later while the response streams.
    header = [
        _("Hændelse"),
        _("Tidspunkt"),
        _("Brugernavn"),
        _("Rolle"),
        _("Handling"),
        _("Objekttype"),
        _("Objekt"),
        _("Sag"),
        _("Udfald"),
        _("Begrundelse"),
        _("Kildeadresse"),
    ]
    actions = {value: str(label) for value, label in Action.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    roles = {value: str(label) for value, label in Role.choices}
    events = (
        audit_events_filtered(jobcentre_id=jobcentre_id, filters=filters)
        .only(
            "id",
            "occurred_at",
            "actor_username",
            "role",
            "action",
            "object_type",
            "object_id",
            "case_id",
            "outcome",
            "reason",
            "source_address",
        )
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )

    def rows() -> Iterator[list[str]]:
        yield header
        for chunk in _chunks(events, EXPORT_CHUNK_SIZE):
            references = _case_references(jobcentre_id=jobcentre_id, case_ids=(event.case_id for event in chunk))
            for event in chunk:
                yield [
                    _cell(event.id),
                    _cell(timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")),
                    _cell(event.actor_username),
                    _cell(", ".join(roles.get(role, role) for role in event.role.split(",") if role)),
                    _cell(actions.get(event.action, event.action)),
                    _cell(event.object_type),
                    _cell(event.object_id),
                    _cell(references.get(event.case_id, "") if event.case_id is not None else ""),
                    _cell(outcomes.get(event.outcome, event.outcome)),
                    _cell(event.reason),
                    _cell(event.source_address),
                ]

    return rows()


# --- The citizen's log (Datatilsynet 2024: which authority looked, when and why; never which employee) ---


def _export_purposes() -> dict[str, str]:
    return {"citizen_log": _("indsigt i borgerens log"), "audit_log": _("udtræk af revisionsspor")}


def citizen_log_csv_rows(*, citizen: Citizen) -> Iterator[list[str]]:
    """Every access to the citizen and their cases, oldest first: time, jobcentre, action, purpose, outcome.

    Only the columns below are read from the database, so no employee's name, username, role or id can
    reach the file: the role is consulted only to say a union representative (not who) was the reader."""
    header = [_("Dato og tid"), _("Jobcenter"), _("Handling"), _("Formål"), _("Udfald")]
    actions = {value: str(label) for value, label in Action.choices}
    outcomes = {value: str(label) for value, label in Outcome.choices}
    jobcentres = dict(Jobcentre.objects.values_list("id", "name"))
    union_label, system_label = str(Role.UNION_REPRESENTATIVE.label), _("Systemet")
    search_label, exports = _("søgning"), _export_purposes()
    type_labels: dict[str, str] = {}
    events = (
        AuditEvent.objects.filter(_events_about_citizen(citizen))
        .order_by("id")
        .values_list("occurred_at", "jobcentre_id", "role", "action", "object_type", "outcome", "details")
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )

    def where(jobcentre_id: int | None, role: str) -> str:
        if jobcentre_id is not None:
            return jobcentres.get(jobcentre_id, "")
        if Role.UNION_REPRESENTATIVE.value in role.split(","):
            return union_label
        return system_label if not role else ""

    def purpose(action: str, object_type: str, details: dict[str, Any]) -> str:
        if action == Action.SEARCH:
            return search_label
        if action == Action.EXPORT:
            export = str(details.get("export", ""))
            return exports.get(export, export)
        parts = [_object_type_label(object_type, type_labels)] if object_type else []
        for key in ("service", "url_name"):
            if details.get(key):
                parts.append(str(details[key]))
        return " · ".join(parts)

    def rows() -> Iterator[list[str]]:
        yield header
        for occurred_at, jobcentre_id, role, action, object_type, outcome, details in events:
            yield [
                _cell(timezone.localtime(occurred_at).strftime("%Y-%m-%d %H:%M:%S")),
                _cell(where(jobcentre_id, role)),
                _cell(actions.get(action, action)),
                _cell(purpose(action, object_type, details or {})),
                _cell(outcomes.get(outcome, outcome)),
            ]

    return rows()
