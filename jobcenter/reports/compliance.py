"""The compliance summary of a case as pure functions: facts in, one line per rule and event out.
No ORM, no clock, no I/O.

Each line names a rule of DESIGN.md §3, what it was applied to, whether it held, and since when: the
moment of the event that made it hold or break (a lookup performed, a hearing sent or its deadline
over, a decision issued, an attempt refused). The rule functions themselves are the ones the services
apply (`cases.rules`, `socialmedia_checks.rules`); this module only reads their answers as of the
moment each event happened.
"""

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.rules import (
    DecisionFacts,
    HearingFacts,
    HearingItemFacts,
    check_hearing_send,
    decision_checklist,
    hearing_is_complete,
)
from jobcenter.core.rules import is_blank
from jobcenter.core.violations import Violation
from socialmedia_checks.rules import LookupFacts, LookupPolicyFacts, check_lookup


class Status(enum.StrEnum):
    PASSED = "passed"
    BROKEN = "broken"
    PENDING = "pending"


STATUS_LABELS = {
    Status.PASSED: gettext_lazy("Overholdt"),
    Status.BROKEN: gettext_lazy("Brudt"),
    Status.PENDING: gettext_lazy("Afventer"),
}

RULE_ORDER: tuple[str, ...] = (
    *("L1", "L2", "L3", "L4", "L5", "L6", "L7", "L8"),
    *("H1", "H2", "H3", "H4", "H5"),
    *("D1", "D2", "D3", "D4", "D5", "D6", "D7"),
)


@dataclass(frozen=True)
class ComplianceLine:
    """One rule applied to one event of the case."""

    rule: str
    title: str
    subject: str
    status: Status
    since: datetime | date | None
    detail: str = ""
    codes: tuple[str, ...] = ()

    @property
    def has_time(self) -> bool:
        """Whether `since` is a moment (show the time) or a day."""
        return isinstance(self.since, datetime)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _line(
    rule: str, title: str, subject: str, violations: Sequence[Violation], since: datetime | date | None
) -> ComplianceLine:
    return ComplianceLine(
        rule=rule,
        title=title,
        subject=subject,
        status=Status.BROKEN if violations else Status.PASSED,
        since=since,
        detail=" ".join(str(v.message) for v in violations),
        codes=tuple(v.code for v in violations),
    )


# --- Lookups (L1-L6, L8) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupComplianceFacts:
    subject: str
    lookup: LookupFacts
    policy: LookupPolicyFacts
    recorded_at: datetime


# Whether the basis was still open when the lookup was recorded is checked by the service at that moment;
# the tables keep only the basis' status today, so the report does not rebuild that half of L1.
_LOOKUP_CODES_NOT_REBUILT = frozenset({"L1.closed"})


def lookup_lines(facts: LookupComplianceFacts) -> list[ComplianceLine]:
    """L1-L6 for one lookup, under the policy version that was in force when it was recorded."""
    violations = [
        v
        for v in check_lookup(facts.lookup, facts.policy, now=facts.recorded_at)
        if v.rule in RULE_ORDER and v.code not in _LOOKUP_CODES_NOT_REBUILT
    ]
    rules: list[tuple[str, str]] = [
        ("L1", _("Opslaget bygger på præcis én anmeldelse eller begrundet mistanke på sagen")),
        ("L2", _("Grundlaget var registreret før opslaget")),
    ]
    if facts.policy.clear_presumption_required:
        rules.append(("L3", _("Klar formodning om uberettiget ydelse er begrundet")))
    if facts.policy.social_media_not_first:
        rules.append(("L4", _("Sociale medier var ikke første kilde")))
    rules.append(("L5", _("Kun offentligt materiale, ingen kontakt med borgeren")))
    if facts.policy.shared_profile_required or facts.lookup.shared_profile is not None:
        rules.append(("L6", _("Opslaget er sket fra jobcenterets fælles profil")))
    return [
        _line(rule, title, facts.subject, [v for v in violations if v.rule == rule], facts.lookup.performed_at)
        for rule, title in rules
    ]


@dataclass(frozen=True)
class FindingComplianceFacts:
    subject: str
    relevance: str
    recorded_at: datetime
    purged_at: datetime | None


def finding_lines(facts: FindingComplianceFacts) -> list[ComplianceLine]:
    """L8: a finding says why it matters; one never used is purged, leaving only metadata."""
    title = _("Fundet er begrundet og opbevares efter reglerne")
    if facts.purged_at is not None:
        return [
            ComplianceLine(
                "L8",
                title,
                facts.subject,
                Status.PASSED,
                facts.purged_at,
                _("Fundet blev ikke brugt og er slettet; kun metadata er bevaret."),
            )
        ]
    violations = (
        [Violation("L8.relevance", _("Fundet har ingen begrundelse for sin relevans."))]
        if is_blank(facts.relevance)
        else []
    )
    return [_line("L8", title, facts.subject, violations, facts.recorded_at)]


# --- Hearings (H2-H5) ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HearingComplianceFacts:
    subject: str
    case_id: int
    items: tuple[HearingItemFacts, ...]
    sent_at: datetime
    sent_on: date
    original_deadline: date
    deadline: date
    response_received_at: datetime | None
    policy_days: int
    fraud_suspected_when_sent: bool
    self_incrimination_notice: bool
    party_representative_ids_when_sent: tuple[int, ...]
    copy_to_representative_id: int | None


def hearing_lines(facts: HearingComplianceFacts, *, today: date) -> list[ComplianceLine]:
    """H2-H4 as the letter was sent (same rule function as the sending service), and H5 as of today."""
    violations = check_hearing_send(
        case_id=facts.case_id,
        items=facts.items,
        deadline=facts.original_deadline,
        today=facts.sent_on,
        policy_days=facts.policy_days,
        fraud_suspected=facts.fraud_suspected_when_sent,
        letter_has_self_incrimination_notice=facts.self_incrimination_notice,
        party_representative_ids=facts.party_representative_ids_when_sent,
        copy_to_representative_id=facts.copy_to_representative_id,
    )
    rules = [("H2", _("Skriftligt brev med hver oplysning og en svarfrist, der er lang nok"))]
    if facts.fraud_suspected_when_sent:
        rules.append(("H3", _("Vejledning om retten til ikke at inkriminere sig selv")))
    if facts.party_representative_ids_when_sent:
        rules.append(("H4", _("Partsrepræsentanten fik brevet i kopi")))
    lines = [
        _line(rule, title, facts.subject, [v for v in violations if v.rule == rule], facts.sent_at)
        for rule, title in rules
    ]
    return [*lines, _hearing_complete_line(facts, today=today)]


def _hearing_complete_line(facts: HearingComplianceFacts, *, today: date) -> ComplianceLine:
    title = _("Partshøringen er gennemført (svar eller frist udløbet)")
    complete = hearing_is_complete(
        HearingFacts(deadline=facts.deadline, response_received_at=facts.response_received_at), today=today
    )
    if facts.response_received_at is not None:
        return ComplianceLine(
            "H5", title, facts.subject, Status.PASSED, facts.response_received_at, _("Borgeren svarede.")
        )
    first_complete_day = facts.deadline + timedelta(days=1)
    if complete:
        return ComplianceLine(
            "H5", title, facts.subject, Status.PASSED, first_complete_day, _("Svarfristen udløb uden svar.")
        )
    return ComplianceLine(
        "H5",
        title,
        facts.subject,
        Status.PENDING,
        None,
        _("Afventer svar. Uden svar er høringen gennemført fra %(date)s.")
        % {"date": first_complete_day.strftime("%d.%m.%Y")},
    )


# --- Decisions (D1-D7) ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionComplianceFacts:
    """A decision as its rules saw it: an issued one as of the moment it was issued, a draft as of today."""

    subject: str
    facts: DecisionFacts
    issued_at: datetime | None
    issued_on: date | None
    supersedes_subject: str = ""


def decision_lines(facts: DecisionComplianceFacts, *, today: date) -> list[ComplianceLine]:
    """D1-D5 through the same checklist the issuing service applies, and D7 for an issued decision.

    H5 lines belong to the hearings themselves, so the checklist's own H5 line is left out here."""
    issued = facts.issued_at is not None and facts.issued_on is not None
    as_of = facts.issued_on if issued and facts.issued_on is not None else today
    checklist = decision_checklist(replace(facts.facts, is_issued=False), today=as_of)
    lines = []
    for item in checklist:
        if not item.applies or item.rule in ("H5", "D7"):
            continue
        if issued:
            lines.append(_line(item.rule, item.title, facts.subject, item.violations, facts.issued_at))
        else:
            lines.append(
                ComplianceLine(
                    item.rule,
                    item.title,
                    facts.subject,
                    Status.PENDING if item.violations else Status.PASSED,
                    None,
                    " ".join(str(v.message) for v in item.violations) or _("Kladde: endnu ikke udstedt."),
                    tuple(v.code for v in item.violations),
                )
            )
    if issued:
        detail = _("Udstedt og låst; en ændring er en ny afgørelse, der henviser til denne.")
        if facts.supersedes_subject:
            detail += " " + _("Ændrer %(decision)s.") % {"decision": facts.supersedes_subject}
        lines.append(
            ComplianceLine(
                "D7", _("Udstedte afgørelser ændres ikke"), facts.subject, Status.PASSED, facts.issued_at, detail
            )
        )
    return lines


@dataclass(frozen=True)
class RefusedAttemptFacts:
    subject: str
    attempted_at: datetime
    rule_codes: tuple[str, ...]
    messages: tuple[str, ...]


def refused_attempt_line(facts: RefusedAttemptFacts) -> ComplianceLine:
    """D6: the attempt that would have broken these rules was refused, and the refusal is on record."""
    return ComplianceLine(
        "D6",
        _("Forsøg på at udstede en afgørelse i strid med reglerne blev afvist og registreret"),
        facts.subject,
        Status.PASSED,
        facts.attempted_at,
        _("Afvist efter: %(codes)s.") % {"codes": ", ".join(facts.rule_codes)}
        + (" " + " ".join(facts.messages) if facts.messages else ""),
        facts.rule_codes,
    )


# --- The summary ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceSummary:
    lines: tuple[ComplianceLine, ...]

    @property
    def broken(self) -> tuple[ComplianceLine, ...]:
        return tuple(line for line in self.lines if line.status == Status.BROKEN)

    @property
    def pending(self) -> tuple[ComplianceLine, ...]:
        return tuple(line for line in self.lines if line.status == Status.PENDING)

    @property
    def passed(self) -> tuple[ComplianceLine, ...]:
        return tuple(line for line in self.lines if line.status == Status.PASSED)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules that apply to the case, in the order of DESIGN.md §3."""
        return tuple(rule for rule in RULE_ORDER if any(line.rule == rule for line in self.lines))


def _moment(value: datetime | date | None) -> tuple[int, float]:
    """Undated lines (drafts, hearings still waiting) after the dated ones; a day counts from its start."""
    if value is None:
        return (1, 0.0)
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, tzinfo=UTC)
    return (0, value.timestamp())


def compliance_summary(lines: Iterable[ComplianceLine]) -> ComplianceSummary:
    """Every line, rule by rule in the order of DESIGN.md §3, each rule's lines oldest first."""
    rank = {rule: number for number, rule in enumerate(RULE_ORDER)}
    return ComplianceSummary(
        tuple(sorted(lines, key=lambda line: (rank.get(line.rule, len(rank)), *_moment(line.since), line.subject)))
    )
