"""Reads about cases. The facts builders turn rows into the inputs of the pure rules in `cases.rules`."""

from datetime import date, datetime, timedelta

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from cases.cpr import parse_cpr
from cases.models import (
    Case,
    CaseStatus,
    CaseUserObjectPermission,
    Citizen,
    Decision,
    DecisionEvidence,
    DecisionStatus,
    EvidenceItem,
    Hearing,
    HearingDeadlineNotice,
    HearingDeadlineNoticeKind,
    HearingItem,
    MandateKind,
    PowerOfAttorney,
)
from cases.rules import (
    ChecklistItem,
    CitedItemFacts,
    DecisionFacts,
    HearingFacts,
    MandateFacts,
    decision_checklist,
    mandate_is_active,
)
from jobcenter.core import clock
from jobcenter.organisation.models import TeamMembership
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import policy_current


def cases_visible_to(user: User | AnonymousUser) -> QuerySet[Case]:
    """A1 in one query: a caseworker sees their teams' cases and those shared with them, a supervisor
    their jobcentre's; nobody ever sees another jobcentre's (a share across jobcentres is refused, and
    the jobcentre wall is applied to shares too). Union representatives see none here."""
    if not user.is_authenticated:
        return Case.objects.none()
    on_my_team = Exists(TeamMembership.objects.filter(team_id=OuterRef("team_id"), user_id=user.pk))
    shared_with_me = Exists(
        CaseUserObjectPermission.objects.filter(
            content_object_id=OuterRef("pk"), user_id=user.pk, permission__codename="view_case"
        )
    )
    supervisor = Exists(Group.objects.filter(name=Role.SUPERVISOR.value, user=user.pk))
    return Case.objects.filter(citizen__jobcentre__staff__user=user.pk).filter(on_my_team | shared_with_me | supervisor)


def case_get_for_user(user: User | AnonymousUser, pk: int) -> Case:
    """One visible case, or 404: a case elsewhere does not exist for this user."""
    return get_object_or_404(
        cases_visible_to(user).select_related("citizen__jobcentre", "team", "assigned_caseworker"), pk=pk
    )


def hearing_get_for_user(user: User | AnonymousUser, pk: int) -> Hearing:
    return get_object_or_404(
        Hearing.objects.filter(case__in=cases_visible_to(user)).select_related(
            "case__citizen__jobcentre", "case__team", "sent_by", "representative"
        ),
        pk=pk,
    )


def issued_decision_get_for_user(user: User | AnonymousUser, pk: int) -> Decision:
    """Only an issued decision has a letter: a draft answers 404 like an invisible case."""
    return get_object_or_404(
        Decision.objects.filter(case__in=cases_visible_to(user), status=DecisionStatus.ISSUED).select_related(
            "case__citizen__jobcentre", "issued_by", "supersedes"
        ),
        pk=pk,
    )


def decision_get_for_user(user: User | AnonymousUser, pk: int) -> Decision:
    """One decision on a case the user may see (A1), or 404: a decision elsewhere does not exist."""
    return get_object_or_404(
        Decision.objects.filter(case__in=cases_visible_to(user)).select_related(
            "case__citizen__jobcentre",
            "case__team",
            "case__assigned_caseworker",
            "author",
            "approved_by",
            "issued_by",
            "supersedes",
        ),
        pk=pk,
    )


def citizen_get_for_user(user: User | AnonymousUser, pk: int) -> Citizen:
    """A citizen of the user's own jobcentre, or 404 (A1: nothing from another jobcentre, ever)."""
    return get_object_or_404(Citizen, pk=pk, jobcentre__staff__user=user.pk)


def case_search(user: User | AnonymousUser, *, query: str) -> QuerySet[Case]:
    """Cases the user may see matching a CPR number (exact), a case reference (its start) or a name.
    A reference starts with the municipality code and a name never with a digit, so each search asks
    one indexed question: the reference index, or the trigram indexes on the citizen's names."""
    visible = cases_visible_to(user).select_related("citizen", "team", "assigned_caseworker")
    query = " ".join(query.split())
    if not query:
        return visible.none()
    digits = query.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) == 10:
        try:
            return visible.filter(citizen__cpr=parse_cpr(digits).digits).order_by("-opened_at")
        except ValidationError:
            return visible.none()
    if query[0].isdigit():
        return visible.filter(reference__startswith=query).order_by("reference")
    name_filter = Q()
    for word in query.split():
        name_filter &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    citizens = Citizen.objects.filter(name_filter).values("pk")
    return visible.filter(citizen__in=citizens).order_by("citizen__last_name", "-opened_at")


def hearings_covering(evidence_item_ids: list[int]) -> dict[int, tuple[HearingFacts, ...]]:
    """For each evidence item, the hearings that covered it, as facts."""
    covering: dict[int, list[HearingFacts]] = {pk: [] for pk in evidence_item_ids}
    items = HearingItem.objects.filter(evidence_item_id__in=evidence_item_ids).select_related("hearing")
    for item in items:
        covering[item.evidence_item_id].append(
            HearingFacts(deadline=item.hearing.deadline, response_received_at=item.hearing.response_received_at)
        )
    return {pk: tuple(facts) for pk, facts in covering.items()}


def decision_facts(decision: Decision) -> DecisionFacts:
    citations = list(decision.citations.select_related("evidence_item").order_by("id"))
    hearings = hearings_covering([c.evidence_item_id for c in citations])
    return DecisionFacts(
        is_adverse=decision.is_adverse,
        is_issued=decision.status == "issued",
        author_id=decision.author_id,
        approved_by_id=decision.approved_by_id,
        legal_basis=decision.legal_basis,
        main_considerations=decision.main_considerations,
        facts_relied_on=decision.facts_relied_on,
        cited=tuple(
            CitedItemFacts(
                evidence_id=c.evidence_item_id,
                title=c.evidence_item.title,
                is_social_media=c.evidence_item.is_social_media,
                weighing=c.weighing,
                hearings=hearings[c.evidence_item_id],
            )
            for c in citations
        ),
        four_eyes_for_social_media=policy_current(
            jobcentre=decision.case.citizen.jobcentre_id
        ).four_eyes_for_social_media_decisions,
    )


def decision_checklist_for(decision: Decision, *, today: date | None = None) -> list[ChecklistItem]:
    """ "Kan afgørelsen træffes?": the same rule functions the issuing service applies."""
    return decision_checklist(decision_facts(decision), today=today or clock.today())


def mandate_facts(mandate: PowerOfAttorney, *, case: Case) -> MandateFacts:
    return MandateFacts(
        representative_id=mandate.representative_id,
        is_party_representative=mandate.kind == MandateKind.PARTY_REPRESENTATIVE,
        covers_case=mandate.case_id in (None, case.pk),
        valid_from=mandate.valid_from,
        valid_to=mandate.valid_to,
        revoked_at=mandate.revoked_at,
    )


def mandates_active_for_case(*, case: Case, now: datetime | None = None) -> list[PowerOfAttorney]:
    """The powers of attorney in force for this case right now (A2, H4)."""
    now = now or clock.now()
    today = clock.localdate(now)
    candidates = PowerOfAttorney.objects.filter(citizen_id=case.citizen_id).select_related("representative")
    return [
        m
        for m in candidates
        if (facts := mandate_facts(m, case=case)).covers_case and mandate_is_active(facts, today=today, now=now)
    ]


def case_evidence(*, case: Case) -> QuerySet[EvidenceItem]:
    return case.evidence_items.order_by("recorded_at", "id")


def case_hearings(*, case: Case) -> QuerySet[Hearing]:
    return case.hearings.prefetch_related(
        Prefetch("items", queryset=HearingItem.objects.select_related("evidence_item"))
    )


def decision_citations(*, decision: Decision) -> QuerySet[DecisionEvidence]:
    return decision.citations.select_related("evidence_item").order_by("id")


def case_shares(*, case: Case) -> QuerySet[CaseUserObjectPermission]:
    """The colleagues a case is shared with."""
    return CaseUserObjectPermission.objects.filter(
        content_object=case, permission__codename="view_case"
    ).select_related("user")


def hearings_with_deadline_duties(*, today: date, reminder_days: int) -> QuerySet[Hearing]:
    """Unanswered hearings on open cases that may owe a deadline notice today and do not have it yet:
    inside the reminder window without a reminder for the current deadline, or past the deadline
    without the expiry. The rule `hearing_deadline_notices_due` decides; this only narrows the scan."""

    def recorded(kind: str) -> Exists:
        return Exists(
            HearingDeadlineNotice.objects.filter(hearing=OuterRef("pk"), kind=kind, deadline=OuterRef("deadline"))
        )

    window_end = today + timedelta(days=max(reminder_days, 0))
    return (
        Hearing.objects.filter(response_received_at__isnull=True, case__status=CaseStatus.OPEN)
        .alias(
            has_reminder=recorded(HearingDeadlineNoticeKind.REMINDER),
            has_expired=recorded(HearingDeadlineNoticeKind.EXPIRED),
        )
        .filter(
            Q(deadline__lt=today, has_expired=False)
            | Q(deadline__gte=today, deadline__lte=window_end, has_reminder=False)
        )
        .order_by("deadline", "pk")
    )


def supervisors_of_jobcentre(*, jobcentre_id: int) -> QuerySet[User]:
    """The active supervisors of a jobcentre: who hears of a decision refused for want of four eyes (D5)."""
    return (
        User.objects.filter(
            is_active=True, staff_profile__jobcentre_id=jobcentre_id, groups__name=Role.SUPERVISOR.value
        )
        .distinct()
        .order_by("pk")
    )
