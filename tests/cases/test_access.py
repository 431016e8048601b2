"""A1: nothing from another jobcentre, ever. Ahmed in Aarhus tries to work on Aalborg's cookie case."""

import datetime as dt

import pytest

from cases import services as case_services
from cases.models import DecisionKind, EvidenceKind, TipChannel
from jobcenter.core import clock
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import (
    READING,
    adverse_draft,
    cite,
    heard,
    hearing_about,
    medical_assessment,
    social_media_finding,
    writes_nothing,
)
from tests.factories import CaseFactory, CitizenFactory

pytestmark = pytest.mark.django_db


def yesterday() -> dt.date:
    return clock.today() - dt.timedelta(days=1)


def ahmed_tries(action) -> None:
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        action()
    assert refused.value.codes == ["A1"]


def test_ahmed_cannot_add_a_journal_note(world):
    ahmed_tries(
        lambda: case_services.journal_note_add(case=world.cookie_case, text="Set fra Aarhus.", acting_user=world.ahmed)
    )


def test_ahmed_cannot_record_a_tip(world):
    ahmed_tries(
        lambda: case_services.tip_record(
            case=world.cookie_case,
            channel=TipChannel.PHONE,
            received_on=yesterday(),
            summary="Anonym anmeldelse.",
            acting_user=world.ahmed,
        )
    )


def test_ahmed_cannot_record_a_suspicion(world):
    ahmed_tries(
        lambda: case_services.suspicion_record(
            case=world.cookie_case, grounds="Noget virker forkert.", control_theme="Arbejde", acting_user=world.ahmed
        )
    )


def test_ahmed_cannot_add_evidence(world):
    ahmed_tries(
        lambda: case_services.evidence_add(
            case=world.cookie_case,
            kind=EvidenceKind.DOCUMENT,
            title="Dokument fra Aarhus",
            description="Et dokument.",
            acting_user=world.ahmed,
        )
    )


def test_ahmed_cannot_send_a_hearing(world):
    finding = social_media_finding(world.cookie_case, by=world.mette)
    ahmed_tries(
        lambda: case_services.hearing_send(case=world.cookie_case, items=[(finding, READING)], acting_user=world.ahmed)
    )


def test_ahmed_cannot_extend_or_answer_a_hearing(world):
    hearing = hearing_about(
        world.cookie_case, [social_media_finding(world.cookie_case, by=world.mette)], by=world.mette
    )
    ahmed_tries(
        lambda: case_services.hearing_extend(
            hearing=hearing,
            new_deadline=hearing.deadline + dt.timedelta(days=7),
            reason="Ferie.",
            acting_user=world.ahmed,
        )
    )
    ahmed_tries(
        lambda: case_services.hearing_record_response(hearing=hearing, response_text="Svar.", acting_user=world.ahmed)
    )


def test_ahmed_cannot_draft_a_decision(world):
    ahmed_tries(
        lambda: case_services.decision_draft(
            case=world.cookie_case, kind=DecisionKind.BENEFIT_STOP, summary="Stop.", acting_user=world.ahmed
        )
    )


def test_ahmed_cannot_touch_mettes_draft(world):
    case, mette = world.cookie_case, world.mette
    assessment = medical_assessment(case, by=mette)
    decision = adverse_draft(case, by=mette)
    ahmed_tries(lambda: cite(decision, assessment, by=world.ahmed))
    cite(decision, assessment, by=mette)
    ahmed_tries(
        lambda: case_services.decision_uncite_evidence(
            decision=decision, evidence_item=assessment, acting_user=world.ahmed
        )
    )
    ahmed_tries(
        lambda: case_services.decision_update_reasons(
            decision=decision,
            summary="x",
            legal_basis="x",
            main_considerations="x",
            facts_relied_on="x",
            acting_user=world.ahmed,
        )
    )
    ahmed_tries(lambda: case_services.decision_issue(decision=decision, acting_user=world.ahmed))


def test_ahmed_cannot_flag_or_close_the_case(world):
    ahmed_tries(
        lambda: case_services.case_set_fraud_suspicion(
            case=world.cookie_case, fraud_suspected=True, reason="Mistanke.", acting_user=world.ahmed
        )
    )
    ahmed_tries(lambda: case_services.case_close(case=world.cookie_case, acting_user=world.ahmed))


def test_ahmed_cannot_register_a_citizen_or_open_a_case_in_aalborg(world):
    ahmed_tries(
        lambda: case_services.citizen_create(
            jobcentre=world.aalborg, cpr="0101651234", first_name="Karl", last_name="Hansen", acting_user=world.ahmed
        )
    )
    ahmed_tries(
        lambda: case_services.case_open(
            citizen=world.cookie_case.citizen,
            benefit_type="kontanthjaelp",
            team=world.sygedagpenge_team,
            acting_user=world.ahmed,
        )
    )


def test_lone_the_union_representative_cannot_write_on_the_case(world):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.journal_note_add(case=world.cookie_case, text="Fra 3F.", acting_user=world.lone)
    assert refused.value.codes == ["A1"]


def test_a_case_cannot_be_opened_on_another_jobcentres_team_or_caseworker(world):
    citizen = world.cookie_case.citizen
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.case_open(
            citizen=citizen,
            benefit_type="kontanthjaelp",
            team=world.aarhus_team,
            assigned_caseworker=world.ahmed,
            acting_user=world.mette,
        )
    assert sorted(refused.value.codes) == ["A1.caseworker", "A1.team"]


def test_the_lawful_path_ahmed_works_on_his_own_jobcentres_case(world):
    citizen = CitizenFactory(jobcentre=world.aarhus, acting_user=world.ahmed)
    case = CaseFactory(citizen=citizen, team=world.aarhus_team, acting_user=world.ahmed)
    note = case_services.journal_note_add(case=case, text="Første samtale.", acting_user=world.ahmed)
    assert note.case == case
    assert case.reference.startswith("751-")


def test_mette_works_on_the_cookie_case_from_note_to_decision(world):
    case, mette = world.cookie_case, world.mette
    case_services.journal_note_add(case=case, text="Samtale med Hanne.", acting_user=mette)
    finding = social_media_finding(case, by=mette)
    heard(case, [finding], by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    assert case_services.decision_issue(decision=decision, acting_user=mette).status == "issued"
