"""Reads about cases. The facts builders turn rows into the inputs of the pure rules in `cases.rules`."""

from datetime import date, datetime

from django.db.models import Prefetch, QuerySet

from cases.models import (
    Case,
    Decision,
    DecisionEvidence,
    EvidenceItem,
    Hearing,
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
from jobcenter.organisation.selectors import policy_current


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
