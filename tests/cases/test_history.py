"""History: every change names the person who made it; confidential fields never reach the history tables."""

import pytest

from cases import services as case_services
from cases.models import Citizen, Tip
from jobcenter.core import clock
from tests.cases.support import adverse_draft, cite, hearing_about, medical_assessment, social_media_finding
from tests.factories import tip_for

pytestmark = pytest.mark.django_db


def test_opening_the_cookie_case_is_recorded_as_mettes(world):
    opened = world.cookie_case.history.earliest("history_date")
    assert (opened.history_type, opened.history_user, opened.history_change_reason) == ("+", world.mette, "case_open")
    assert world.cookie_case.citizen.history.get().history_user == world.mette


def test_a_tip_and_its_journal_note_are_recorded_as_mettes(world):
    tip = tip_for(world.cookie_case, by=world.mette)
    assert tip.history.get().history_user == world.mette
    note = world.cookie_case.journal_notes.filter(text__startswith="Anmeldelse registreret").get()
    assert note.author == world.mette
    assert note.history.get().history_user == world.mette


def test_evidence_is_recorded_as_added_by_the_acting_user(world):
    item = medical_assessment(world.cookie_case, by=world.jonas)
    record = item.history.get()
    assert (record.history_user, record.history_change_reason) == (world.jonas, "evidence_add")
    assert item.recorded_by == world.jonas


def test_each_step_of_a_decision_names_who_took_it(world):
    case, mette, susanne = world.cookie_case, world.mette, world.susanne
    world.set_policy(world.aalborg, four_eyes_for_social_media_decisions=True)
    finding = social_media_finding(case, by=mette)
    hearing = hearing_about(case, [finding], by=mette)
    case_services.hearing_record_response(hearing=hearing, response_text="Mit svar.", acting_user=world.jonas)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    case_services.decision_approve(decision=decision, acting_user=susanne)
    case_services.decision_issue(decision=decision, acting_user=world.jonas)

    steps = [(h.history_change_reason, h.history_user) for h in decision.history.order_by("history_date", "history_id")]
    assert steps == [("decision_draft", mette), ("decision_approve", susanne), ("decision_issue", world.jonas)]
    assert decision.history.first().history_user == world.jonas
    assert [(h.history_change_reason, h.history_user) for h in hearing.history.order_by("history_date")] == [
        ("hearing_send", mette),
        ("hearing_record_response", world.jonas),
    ]
    assert decision.attempts.get().history.get().history_user == world.jonas


def test_a_flagged_case_records_who_flagged_it(world):
    case_services.case_set_fraud_suspicion(
        case=world.cookie_case, fraud_suspected=True, reason="Anmeldelse om sort arbejde.", acting_user=world.susanne
    )
    latest = world.cookie_case.history.first()
    assert (latest.fraud_suspected, latest.history_user) == (True, world.susanne)


def test_the_tippers_identity_is_not_in_the_tip_history(world):
    assert "tipper_identity" not in {f.name for f in Tip.history.model._meta.get_fields()}
    tip = case_services.tip_record(
        case=world.cookie_case,
        channel="phone",
        received_on=clock.today(),
        summary="Naboen ringede om sort arbejde.",
        tipper_identity="Jens Nabo, tlf. 12345678",
        acting_user=world.mette,
    )
    assert Tip.objects.get(pk=tip.pk).tipper_identity == "Jens Nabo, tlf. 12345678"
    assert "Jens Nabo" not in str(vars(tip.history.get()))
    assert not world.cookie_case.journal_notes.filter(text__contains="Jens Nabo").exists()


def test_the_cpr_is_not_in_the_citizen_history(world):
    assert "cpr" not in {f.name for f in Citizen.history.model._meta.get_fields()}
