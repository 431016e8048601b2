"""Decisions: D1-D7, each tried through the services with the named personas."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from cases import services as case_services
from cases.models import AttemptOutcome, Decision, DecisionAttempt, DecisionEvidence, DecisionKind, DecisionStatus
from cases.selectors import decision_checklist_for
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import (
    REASONS,
    adverse_draft,
    changed_rows,
    cite,
    heard,
    medical_assessment,
    other_case,
    other_information,
    row_counts,
    social_media_finding,
    writes_nothing,
)

pytestmark = pytest.mark.django_db

# What a refused issue attempt writes, and nothing more (D6): the attempt and a journal note, with their history.
REFUSAL_ROWS = {
    "cases.DecisionAttempt": 1,
    "cases.HistoricalDecisionAttempt": 1,
    "cases.JournalNote": 1,
    "cases.HistoricalJournalNote": 1,
}


def refused_issue(decision: Decision, by) -> list[str]:
    """Try to issue; assert it is refused, writing only the D6 record, and the decision stays a draft."""
    before = row_counts()
    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=by)
    assert changed_rows(before) == REFUSAL_ROWS
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT
    assert decision.issued_at is None
    return refused.value.codes


def issue(decision: Decision, by) -> Decision:
    issued = case_services.decision_issue(decision=decision, acting_user=by)
    issued.refresh_from_db()
    assert issued.status == DecisionStatus.ISSUED
    assert issued.issued_by == by
    return issued


@pytest.fixture
def heard_finding(world):
    """A social-media finding on the cookie case that Hanne has been heard about and answered."""
    finding = social_media_finding(world.cookie_case, by=world.mette)
    heard(world.cookie_case, [finding], by=world.mette)
    return finding


# --- D1 ------------------------------------------------------------------------------------------------


def test_d1_an_adverse_decision_citing_nothing_is_refused(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    assert refused_issue(decision, world.mette) == ["D1"]


@pytest.mark.parametrize(
    "kind",
    [
        DecisionKind.BENEFIT_REDUCTION,
        DecisionKind.BENEFIT_STOP,
        DecisionKind.SANCTION,
        DecisionKind.REPAYMENT_CLAIM,
        DecisionKind.PRAKTIK_HOURS_INCREASE,
        DecisionKind.WORK_CAPACITY_ASSESSMENT,
    ],
)
def test_d1_every_adverse_kind_needs_evidence(world, kind):
    decision = adverse_draft(world.cookie_case, by=world.mette, kind=kind)
    assert refused_issue(decision, world.mette) == ["D1"]
    cite(decision, medical_assessment(world.cookie_case, by=world.mette), by=world.mette)
    issue(decision, world.mette)


@pytest.mark.parametrize("kind", [DecisionKind.BENEFIT_GRANTED, DecisionKind.OTHER_FAVOURABLE])
def test_d1_a_favourable_decision_may_cite_nothing(world, kind):
    decision = case_services.decision_draft(
        case=world.cookie_case, kind=kind, summary="Sygedagpenge bevilges.", acting_user=world.mette
    )
    issued = issue(decision, world.mette)
    assert "4 uger" in issued.complaint_guidance
    assert [a.outcome for a in issued.attempts.all()] == [AttemptOutcome.ISSUED]


# --- D2 ------------------------------------------------------------------------------------------------


def test_d2_a_finding_never_stands_alone(world, heard_finding):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    cite(decision, heard_finding, by=mette)
    assert refused_issue(decision, mette) == ["D2"]

    cite(decision, medical_assessment(case, by=mette), by=mette, weighing="Afgørende: højst 10 timer.")
    issue(decision, mette)


def test_d2_two_findings_still_stand_alone(world):
    case, mette = world.cookie_case, world.mette
    first = social_media_finding(case, by=mette)
    second = social_media_finding(case, by=mette, title="Video fra julefrokost", url="https://www.facebook.com/v/1")
    heard(case, [first, second], by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, first, by=mette)
    cite(decision, second, by=mette)
    assert refused_issue(decision, mette) == ["D2"]


# --- D3 (more in test_hearings.py) ---------------------------------------------------------------------


def test_d3_a_finding_without_a_hearing_is_refused_even_with_other_evidence(world):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    cite(decision, social_media_finding(case, by=mette), by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    assert refused_issue(decision, mette) == ["D3"]


# --- D4 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["legal_basis", "main_considerations", "facts_relied_on"])
@pytest.mark.parametrize("blank", ["", "   \n"])
def test_d4_an_adverse_decision_carries_its_reasons(world, field, blank):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette, **{field: blank})
    cite(decision, medical_assessment(case, by=mette), by=mette)
    assert refused_issue(decision, mette) == [f"D4.{field}"]

    case_services.decision_update_reasons(decision=decision, summary=decision.summary, **REASONS, acting_user=mette)
    issue(decision, mette)


def test_d4_each_cited_item_says_how_it_was_weighed(world):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    assessment = medical_assessment(case, by=mette)
    cite(decision, assessment, by=mette, weighing="  ")
    assert refused_issue(decision, mette) == ["D4.weighing"]

    cite(decision, assessment, by=mette, weighing="Afgørende: højst 10 timer.")
    assert DecisionEvidence.objects.get(decision=decision).weighing == "Afgørende: højst 10 timer."
    issue(decision, mette)


def test_d4_all_reasons_missing_are_listed_at_once(world):
    case, mette = world.cookie_case, world.mette
    decision = case_services.decision_draft(
        case=case, kind=DecisionKind.SANCTION, summary="Sanktion.", acting_user=mette
    )
    cite(decision, medical_assessment(case, by=mette), by=mette, weighing="")
    assert sorted(refused_issue(decision, mette)) == [
        "D4.facts_relied_on",
        "D4.legal_basis",
        "D4.main_considerations",
        "D4.weighing",
    ]


def test_d4_the_issued_decision_carries_complaint_guidance_of_four_weeks(world):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    assert decision.complaint_guidance == ""
    issued = issue(decision, mette)
    assert "4 uger" in issued.complaint_guidance
    assert "Ankestyrelsen" in issued.complaint_guidance


# --- D5 ------------------------------------------------------------------------------------------------


@pytest.fixture
def four_eyes(world):
    return world.set_policy(world.aalborg, four_eyes_for_social_media_decisions=True)


@pytest.fixture
def social_media_decision(world, heard_finding):
    """Mette's draft citing the heard finding and a medical assessment: ready but for four eyes."""
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    cite(decision, heard_finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    return decision


def test_d5_without_a_supervisors_approval_it_is_refused(world, four_eyes, social_media_decision):
    assert refused_issue(social_media_decision, world.mette) == ["D5"]


def test_d5_without_the_policy_no_approval_is_needed(world, social_media_decision):
    issue(social_media_decision, world.mette)


def test_d5_four_eyes_does_not_apply_without_social_media(world, four_eyes):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    cite(decision, medical_assessment(world.cookie_case, by=world.mette), by=world.mette)
    issue(decision, world.mette)


def test_d5_the_author_cannot_approve(world, four_eyes, social_media_decision):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_approve(decision=social_media_decision, acting_user=world.mette)
    assert "D5.self" in refused.value.codes


def test_d5_a_supervisor_cannot_approve_her_own_decision(world, four_eyes, heard_finding):
    case, susanne = world.cookie_case, world.susanne
    decision = adverse_draft(case, by=susanne)
    cite(decision, heard_finding, by=susanne)
    cite(decision, medical_assessment(case, by=susanne), by=susanne)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_approve(decision=decision, acting_user=susanne)
    assert refused.value.codes == ["D5.self"]
    assert refused_issue(decision, susanne) == ["D5"]


def test_d5_a_caseworker_cannot_approve(world, four_eyes, social_media_decision):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_approve(decision=social_media_decision, acting_user=world.jonas)
    assert refused.value.codes == ["D5.role"]


def test_d5_a_supervisor_in_another_jobcentre_cannot_approve(world, four_eyes, social_media_decision):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_approve(decision=social_media_decision, acting_user=world.ahmed)
    assert refused.value.codes == ["A1"]


def test_d5_susanne_approves_and_then_it_issues(world, four_eyes, social_media_decision):
    approved = case_services.decision_approve(decision=social_media_decision, acting_user=world.susanne)
    assert approved.approved_by == world.susanne
    assert approved.approved_at is not None
    issued = issue(social_media_decision, world.mette)
    assert issued.approved_by == world.susanne


def test_d5_changing_the_citations_after_approval_withdraws_it(world, four_eyes, social_media_decision):
    case, mette = world.cookie_case, world.mette
    case_services.decision_approve(decision=social_media_decision, acting_user=world.susanne)
    cite(social_media_decision, other_information(case, by=mette), by=mette)
    social_media_decision.refresh_from_db()
    assert social_media_decision.approved_by is None
    assert social_media_decision.approved_at is None
    assert refused_issue(social_media_decision, mette) == ["D5"]


def test_d5_uncititing_after_approval_withdraws_it(world, four_eyes, social_media_decision):
    case, mette = world.cookie_case, world.mette
    extra = other_information(case, by=mette)
    cite(social_media_decision, extra, by=mette)
    case_services.decision_approve(decision=social_media_decision, acting_user=world.susanne)
    case_services.decision_uncite_evidence(decision=social_media_decision, evidence_item=extra, acting_user=mette)
    social_media_decision.refresh_from_db()
    assert social_media_decision.approved_by is None
    assert refused_issue(social_media_decision, mette) == ["D5"]


def test_d5_changing_the_reasons_after_approval_withdraws_it(world, four_eyes, social_media_decision):
    case_services.decision_approve(decision=social_media_decision, acting_user=world.susanne)
    case_services.decision_update_reasons(
        decision=social_media_decision,
        summary="Sygedagpengene standses helt.",
        **REASONS,
        acting_user=world.mette,
    )
    assert refused_issue(social_media_decision, world.mette) == ["D5"]


def test_d5_the_database_refuses_an_approval_by_the_author(world, social_media_decision):
    with pytest.raises(IntegrityError, match="decision_approver_is_not_author"), transaction.atomic():
        Decision.objects.filter(pk=social_media_decision.pk).update(approved_by=world.mette)
    social_media_decision.refresh_from_db()
    assert social_media_decision.approved_by is None


# --- D6 ------------------------------------------------------------------------------------------------


def test_d6_every_refused_attempt_is_recorded_with_its_codes(world):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette, legal_basis="")
    assert refused_issue(decision, mette) == ["D1", "D4.legal_basis"]
    assert refused_issue(decision, world.jonas) == ["D1", "D4.legal_basis"]
    attempts = list(DecisionAttempt.objects.filter(decision=decision).order_by("id"))
    assert [(a.outcome, a.rule_codes, a.attempted_by) for a in attempts] == [
        (AttemptOutcome.REFUSED, ["D1", "D4.legal_basis"], mette),
        (AttemptOutcome.REFUSED, ["D1", "D4.legal_basis"], world.jonas),
    ]
    assert all(len(a.messages) == 2 and all(a.messages) for a in attempts)
    assert case.journal_notes.filter(text__contains="afvist (D1, D4.legal_basis)").count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_d6_the_refusal_is_committed_although_the_error_is_raised(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=world.mette)
    assert refused.value.codes == ["D1"]
    assert not connection.in_atomic_block
    attempt = DecisionAttempt.objects.get(decision=decision)
    assert (attempt.outcome, attempt.rule_codes) == (AttemptOutcome.REFUSED, ["D1"])
    assert attempts_seen_from_another_connection(decision.pk) == [("refused", ["D1"])]


def attempts_seen_from_another_connection(decision_id: int) -> list[tuple[str, list[str]]]:
    """What a supervisor's request, on its own database connection, would see: only committed rows."""
    seen: list[tuple[str, list[str]]] = []

    def read() -> None:
        try:
            seen.extend(DecisionAttempt.objects.filter(decision_id=decision_id).values_list("outcome", "rule_codes"))
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen


def test_d6_a_refused_attempt_by_someone_from_another_jobcentre_is_not_recorded_on_the_case(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=world.ahmed)
    assert refused.value.codes == ["A1"]


def test_decision_checklist_shows_the_same_rules_the_service_applies(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    checklist = {item.rule: item for item in decision_checklist_for(decision)}
    assert {rule for rule, item in checklist.items() if not item.passed} == {"D2", "D3"}
    assert not checklist["D5"].applies
    assert sorted(refused_issue(decision, mette)) == ["D2", "D3"]


# --- D7 ------------------------------------------------------------------------------------------------


@pytest.fixture
def issued_decision(world):
    case, mette = world.cookie_case, world.mette
    decision = adverse_draft(case, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    return issue(decision, mette)


def test_d7_an_issued_decision_cannot_be_issued_again(world, issued_decision):
    issued_at = issued_decision.issued_at
    before = row_counts()
    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=issued_decision, acting_user=world.mette)
    assert refused.value.codes == ["D7"]
    assert changed_rows(before) == REFUSAL_ROWS
    issued_decision.refresh_from_db()
    assert issued_decision.issued_at == issued_at
    assert [a.outcome for a in issued_decision.attempts.order_by("id")] == ["issued", "refused"]


def test_d7_the_reasons_of_an_issued_decision_cannot_be_changed(world, issued_decision):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_update_reasons(
            decision=issued_decision,
            summary="Noget andet.",
            legal_basis="Andet grundlag.",
            main_considerations="Andre hensyn.",
            facts_relied_on="Andre fakta.",
            acting_user=world.mette,
        )
    assert refused.value.codes == ["D7"]


def test_d7_evidence_cannot_be_cited_or_uncited_on_an_issued_decision(world, issued_decision):
    case, mette = world.cookie_case, world.mette
    new_item = other_information(case, by=mette)
    cited_item = issued_decision.citations.get().evidence_item
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        cite(issued_decision, new_item, by=mette)
    assert refused.value.codes == ["D7"]
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        cite(issued_decision, cited_item, by=mette, weighing="Nu vægtet anderledes.")
    assert refused.value.codes == ["D7"]
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_uncite_evidence(decision=issued_decision, evidence_item=cited_item, acting_user=mette)
    assert refused.value.codes == ["D7"]


def test_d7_an_issued_decision_cannot_be_approved_afterwards(world, issued_decision):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.decision_approve(decision=issued_decision, acting_user=world.susanne)
    assert refused.value.codes == ["D7"]


def test_d7_a_change_is_a_new_decision_that_supersedes_the_issued_one(world, issued_decision):
    case, mette = world.cookie_case, world.mette
    change = adverse_draft(case, by=mette, summary="Nedsættelsen ændres til 10 %.", supersedes=issued_decision)
    cite(change, medical_assessment(case, by=mette), by=mette)
    issue(change, mette)
    assert list(issued_decision.superseded_by.all()) == [change]
    issued_decision.refresh_from_db()
    assert issued_decision.status == DecisionStatus.ISSUED


def test_d7_a_draft_cannot_be_superseded(world):
    draft = adverse_draft(world.cookie_case, by=world.mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        adverse_draft(world.cookie_case, by=world.mette, supersedes=draft)
    assert refused.value.codes == ["D7.supersedes"]


def test_d7_another_cases_decision_cannot_be_superseded(world):
    elsewhere = other_case(world)
    foreign = adverse_draft(elsewhere, by=world.mette)
    cite(foreign, medical_assessment(elsewhere, by=world.mette), by=world.mette)
    issue(foreign, world.mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        adverse_draft(world.cookie_case, by=world.mette, supersedes=foreign)
    assert refused.value.codes == ["D7.supersedes"]
