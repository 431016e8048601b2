"""Reads for the review queue, the flags and the approvals inbox.

Every read is limited to one jobcentre, the one `SupervisorRequiredMixin` found for the user, by one
queryset filter. The database narrows each flag to its candidates with the thresholds of
`jobcenter.supervision.rules`; the rule functions then decide and explain, row by row. Each read is a
fixed number of queries however many rows it returns, except the approvals inbox, which builds each
decision's checklist with the very facts builder the issuing service uses.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Generic, TypeVar

from django.db.models import Exists, F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cases.models import (
    AttemptOutcome,
    CaseStatus,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    DecisionStatus,
    EvidenceKind,
    Hearing,
)
from cases.rules import ChecklistItem
from cases.selectors import decision_checklist_for
from jobcenter.organisation.models import TeamMembership
from jobcenter.organisation.selectors import policy_current
from jobcenter.supervision import rules
from jobcenter.supervision.models import LookupReview, ReviewOutcome
from socialmedia_checks.models import Lookup

FLAG_SECTION_LIMIT = 100


class ReviewFilter:
    UNREVIEWED = "unreviewed"
    ALL = "all"
    FLAGGED = "flagged"


# --- Lookups ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LookupRow:
    """One lookup as the supervisor reviews it: its basis, how long before it the basis was recorded,
    the flags it trips and its current review, if any."""

    lookup: Lookup
    basis_label: str
    basis_title: str
    basis_recorded_at: datetime
    basis_lead: timedelta
    flags: tuple[rules.Flag, ...]
    review: LookupReview | None


def _on_case_team() -> Exists:
    return Exists(TeamMembership.objects.filter(team_id=OuterRef("case__team_id"), user_id=OuterRef("performed_by_id")))


def _lookups_of(jobcentre_id: int) -> QuerySet[Lookup]:
    """The jobcentre's lookups with everything a row shows, in at most five queries however many there are.
    The basis and the review are fetched beside the page rather than joined into it: joined, PostgreSQL
    spent 15-20 ms planning the query at Copenhagen's size against 2 ms running it. (Django skips the
    query for a basis kind no lookup on the page has.)"""
    return (
        Lookup.objects.filter(case__citizen__jobcentre_id=jobcentre_id)
        .select_related("case__citizen", "case__team", "performed_by", "shared_profile")
        .prefetch_related(
            "tip",
            "suspicion",
            "review__reviewer",
            Prefetch(
                "performed_by__team_memberships", queryset=TeamMembership.objects.only("id", "team_id", "user_id")
            ),
        )
    )


def lookup_review_facts(lookup: Lookup) -> rules.LookupReviewFacts:
    basis = lookup.tip or lookup.suspicion
    assert basis is not None  # the database holds exactly one basis per lookup (L1)
    return rules.LookupReviewFacts(
        performed_at=lookup.performed_at,
        basis_recorded_at=basis.recorded_at,
        case_team_id=lookup.case.team_id,
        performer_team_ids=frozenset(m.team_id for m in lookup.performed_by.team_memberships.all()),
    )


def lookup_row(lookup: Lookup) -> LookupRow:
    facts = lookup_review_facts(lookup)
    if lookup.tip is not None:
        label, title = _("Anmeldelse"), lookup.tip.summary
    else:
        assert lookup.suspicion is not None
        label, title = _("Begrundet mistanke"), lookup.suspicion.control_theme
    return LookupRow(
        lookup=lookup,
        basis_label=label,
        basis_title=title,
        basis_recorded_at=facts.basis_recorded_at,
        basis_lead=rules.basis_lead_time(facts),
        flags=tuple(rules.lookup_flags(facts)),
        review=getattr(lookup, "review", None),
    )


def review_queue(*, jobcentre_id: int, status: str) -> QuerySet[Lookup]:
    """The jobcentre's lookups for review, newest first. `all` puts the unreviewed ones on top."""
    lookups = _lookups_of(jobcentre_id).annotate(is_reviewed=Exists(LookupReview.objects.filter(lookup=OuterRef("pk"))))
    if status == ReviewFilter.UNREVIEWED:
        return lookups.filter(is_reviewed=False).order_by("-performed_at", "-pk")
    if status == ReviewFilter.FLAGGED:
        return lookups.filter(review__outcome=ReviewOutcome.FLAGGED).order_by("-performed_at", "-pk")
    return lookups.order_by("is_reviewed", "-performed_at", "-pk")


def lookup_get_for_review(*, jobcentre_id: int, pk: int) -> Lookup:
    """One lookup of the jobcentre, or 404: another jobcentre's lookup does not exist here."""
    return get_object_or_404(_lookups_of(jobcentre_id), pk=pk)


# --- Flags -------------------------------------------------------------------------------------------


def lookups_with_recent_basis(*, jobcentre_id: int) -> QuerySet[Lookup]:
    # A basis recorded after this moment was recorded less than BASIS_MIN_LEAD before the lookup. Exactly one
    # basis is set (L1), so only one half of the condition can match.
    lead_cutoff = F("performed_at") - rules.BASIS_MIN_LEAD
    return _lookups_of(jobcentre_id).filter(
        Q(tip__recorded_at__gt=lead_cutoff) | Q(suspicion__recorded_at__gt=lead_cutoff)
    )


def lookups_outside_team(*, jobcentre_id: int) -> QuerySet[Lookup]:
    return _lookups_of(jobcentre_id).filter(~_on_case_team())


def hearings_without_decision(*, jobcentre_id: int, today: date) -> QuerySet[Hearing]:
    issued_since_sent = Decision.objects.filter(
        case_id=OuterRef("case_id"), status=DecisionStatus.ISSUED, issued_at__gte=OuterRef("sent_at")
    )
    last_issued = Decision.objects.filter(case_id=OuterRef("case_id"), status=DecisionStatus.ISSUED).order_by(
        "-issued_at"
    )
    return (
        Hearing.objects.filter(
            case__citizen__jobcentre_id=jobcentre_id,
            case__status=CaseStatus.OPEN,
            deadline__lte=today - timedelta(days=rules.HEARING_OVERDUE_DAYS),
        )
        .filter(~Exists(issued_since_sent))
        .annotate(last_decision_issued_at=Subquery(last_issued.values("issued_at")[:1]))
        .select_related("case__citizen", "sent_by")
        .order_by("deadline", "pk")
    )


def hearing_follow_up_facts(hearing: Hearing) -> rules.HearingFollowUpFacts:
    return rules.HearingFollowUpFacts(
        deadline=hearing.deadline,
        sent_at=hearing.sent_at,
        case_is_open=hearing.case.status == CaseStatus.OPEN,
        last_decision_issued_at=hearing.last_decision_issued_at,  # type: ignore[attr-defined]
    )


def decisions_citing_social_media(*, jobcentre_id: int) -> QuerySet[Decision]:
    cites = DecisionEvidence.objects.filter(
        decision_id=OuterRef("pk"), evidence_item__kind=EvidenceKind.SOCIAL_MEDIA_FINDING
    )
    return (
        Decision.objects.filter(case__citizen__jobcentre_id=jobcentre_id)
        .filter(Exists(cites))
        .select_related("case__citizen", "author", "approved_by")
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=DecisionEvidence.objects.select_related("evidence_item").order_by("id"),
            )
        )
        .order_by("-created_at", "-pk")
    )


def refused_attempts(*, jobcentre_id: int) -> QuerySet[DecisionAttempt]:
    return (
        DecisionAttempt.objects.filter(
            decision__case__citizen__jobcentre_id=jobcentre_id, outcome=AttemptOutcome.REFUSED
        )
        .select_related("decision__case__citizen", "attempted_by")
        .order_by("-attempted_at", "-pk")
    )


@dataclass(frozen=True)
class HearingFlag:
    hearing: Hearing
    days_past_deadline: int


@dataclass(frozen=True)
class DecisionFlag:
    decision: Decision
    social_media_titles: tuple[str, ...]


ModelT = TypeVar("ModelT", bound=Model)
ItemT = TypeVar("ItemT")


@dataclass(frozen=True)
class FlagSection(Generic[ItemT]):
    """One kind of flag: how many candidates the database found, and the newest of them as the rule sees them."""

    code: str
    total: int
    items: list[ItemT]


def _section(code: str, queryset: QuerySet[ModelT], keep: Callable[[ModelT], ItemT | None]) -> FlagSection[ItemT]:
    total = queryset.count()
    candidates = list(queryset[:FLAG_SECTION_LIMIT]) if total else []
    return FlagSection(code=code, total=total, items=[item for item in map(keep, candidates) if item is not None])


@dataclass(frozen=True)
class Flags:
    recent_basis: FlagSection[LookupRow]
    outside_team: FlagSection[LookupRow]
    hearings: FlagSection[HearingFlag]
    social_media_decisions: FlagSection[DecisionFlag]
    refused_attempts: FlagSection[DecisionAttempt]


def supervision_flags(*, jobcentre_id: int, today: date) -> Flags:
    """Every flag of the jobcentre, newest (or most overdue) first, at most 100 of each."""

    def lookup_with(code: str) -> Callable[[Lookup], LookupRow | None]:
        def keep(lookup: Lookup) -> LookupRow | None:
            row = lookup_row(lookup)
            return row if any(flag.code == code for flag in row.flags) else None

        return keep

    def hearing(hearing: Hearing) -> HearingFlag | None:
        facts = hearing_follow_up_facts(hearing)
        if not rules.hearing_left_without_decision(facts, today=today):
            return None
        return HearingFlag(hearing=hearing, days_past_deadline=rules.days_past_deadline(facts, today=today))

    def decision(decision: Decision) -> DecisionFlag | None:
        cited = [citation.evidence_item for citation in decision.citations.all()]
        if not rules.decision_cites_social_media(cited_is_social_media=(item.is_social_media for item in cited)):
            return None
        return DecisionFlag(
            decision=decision, social_media_titles=tuple(item.title for item in cited if item.is_social_media)
        )

    def attempt(attempt: DecisionAttempt) -> DecisionAttempt | None:
        return attempt if rules.attempt_was_refused(rule_codes=attempt.rule_codes) else None

    return Flags(
        recent_basis=_section(
            rules.FLAG_RECENT_BASIS,
            lookups_with_recent_basis(jobcentre_id=jobcentre_id).order_by("-performed_at", "-pk"),
            lookup_with(rules.FLAG_RECENT_BASIS),
        ),
        outside_team=_section(
            rules.FLAG_OUTSIDE_TEAM,
            lookups_outside_team(jobcentre_id=jobcentre_id).order_by("-performed_at", "-pk"),
            lookup_with(rules.FLAG_OUTSIDE_TEAM),
        ),
        hearings=_section(
            rules.FLAG_HEARING_WITHOUT_DECISION,
            hearings_without_decision(jobcentre_id=jobcentre_id, today=today),
            hearing,
        ),
        social_media_decisions=_section(
            rules.FLAG_SOCIAL_MEDIA_DECISION, decisions_citing_social_media(jobcentre_id=jobcentre_id), decision
        ),
        refused_attempts=_section(rules.FLAG_REFUSED_ATTEMPT, refused_attempts(jobcentre_id=jobcentre_id), attempt),
    )


# --- Approvals --------------------------------------------------------------------------------------------


def decisions_awaiting_approval(*, jobcentre_id: int) -> QuerySet[Decision]:
    """Drafts that need four eyes (D5) and have none yet: only where the jobcentre's policy asks for it,
    and only drafts citing a social-media finding."""
    if not policy_current(jobcentre=jobcentre_id).four_eyes_for_social_media_decisions:
        return Decision.objects.none()
    cites = DecisionEvidence.objects.filter(
        decision_id=OuterRef("pk"), evidence_item__kind=EvidenceKind.SOCIAL_MEDIA_FINDING
    )
    return (
        Decision.objects.filter(
            case__citizen__jobcentre_id=jobcentre_id, status=DecisionStatus.DRAFT, approved_by__isnull=True
        )
        .filter(Exists(cites))
        .select_related("case__citizen", "author")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class ApprovalItem:
    decision: Decision
    checklist: list[ChecklistItem]

    @property
    def checklist_passes(self) -> bool:
        return all(item.passed for item in self.checklist)


def approvals_inbox(*, jobcentre_id: int, today: date) -> list[ApprovalItem]:
    return [
        ApprovalItem(decision=decision, checklist=decision_checklist_for(decision, today=today))
        for decision in decisions_awaiting_approval(jobcentre_id=jobcentre_id)
    ]


# --- The desk ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskCounts:
    unreviewed: int
    flagged_reviews: int
    recent_basis: int
    outside_team: int
    hearings: int
    social_media_decisions: int
    refused_attempts: int
    awaiting_approval: int


def desk_counts(*, jobcentre_id: int, today: date) -> DeskCounts:
    lookups = Lookup.objects.filter(case__citizen__jobcentre_id=jobcentre_id)
    return DeskCounts(
        unreviewed=lookups.filter(review__isnull=True).count(),
        flagged_reviews=lookups.filter(review__outcome=ReviewOutcome.FLAGGED).count(),
        recent_basis=lookups_with_recent_basis(jobcentre_id=jobcentre_id).count(),
        outside_team=lookups_outside_team(jobcentre_id=jobcentre_id).count(),
        hearings=hearings_without_decision(jobcentre_id=jobcentre_id, today=today).count(),
        social_media_decisions=decisions_citing_social_media(jobcentre_id=jobcentre_id).count(),
        refused_attempts=refused_attempts(jobcentre_id=jobcentre_id).count(),
        awaiting_approval=decisions_awaiting_approval(jobcentre_id=jobcentre_id).count(),
    )
