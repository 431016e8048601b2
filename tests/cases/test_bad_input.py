"""Bad input is refused with its code and writes nothing: blank texts, dates that have not happened, wrong case."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import services as case_services
from cases.models import EvidenceKind, TipChannel
from jobcenter.core import clock
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import (
    adverse_draft,
    hearing_about,
    medical_assessment,
    other_case,
    social_media_finding,
    writes_nothing,
)

pytestmark = pytest.mark.django_db

WHITESPACE = st.text(alphabet=" \t\n\r\u00a0\u2003", max_size=20)
WITH_WORLD = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def refused_with(codes: list[str], action) -> None:
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        action()
    assert sorted(refused.value.codes) == sorted(codes)


def tomorrow() -> dt.date:
    return clock.today() + dt.timedelta(days=1)


def yesterday() -> dt.date:
    return clock.today() - dt.timedelta(days=1)


def record_tip(world, **overrides):
    fields = {
        "case": world.cookie_case,
        "channel": TipChannel.LETTER,
        "received_on": yesterday(),
        "summary": "Anonymt brev om sort arbejde.",
        "acting_user": world.mette,
        **overrides,
    }
    return case_services.tip_record(**fields)


def add_evidence(world, **overrides):
    fields = {
        "case": world.cookie_case,
        "kind": EvidenceKind.EMPLOYER_STATEMENT,
        "title": "Udtalelse fra praktikstedet",
        "description": "Borgeren har mødt 3 af 10 dage.",
        "occurred_on": yesterday(),
        "acting_user": world.mette,
        **overrides,
    }
    return case_services.evidence_add(**fields)


# --- Tips ------------------------------------------------------------------------------------------------


@WITH_WORLD
@given(summary=WHITESPACE)
def test_a_tip_summary_of_only_whitespace_is_refused(world, summary):
    refused_with(["INPUT.blank"], lambda: record_tip(world, summary=summary))


def test_a_tip_received_tomorrow_is_refused(world):
    refused_with(["INPUT.future"], lambda: record_tip(world, received_on=tomorrow()))


def test_a_blank_tip_received_tomorrow_is_refused_for_both(world):
    refused_with(["INPUT.blank", "INPUT.future"], lambda: record_tip(world, summary=" ", received_on=tomorrow()))


def test_a_tip_received_today_is_recorded_trimmed(world):
    tip = record_tip(world, received_on=clock.today(), summary="  Brev om sort arbejde.  ")
    assert (tip.received_on, tip.summary, tip.recorded_by) == (clock.today(), "Brev om sort arbejde.", world.mette)


# --- Evidence --------------------------------------------------------------------------------------------


@WITH_WORLD
@given(title=WHITESPACE)
def test_an_evidence_title_of_only_whitespace_is_refused(world, title):
    refused_with(["INPUT.blank"], lambda: add_evidence(world, title=title))


@WITH_WORLD
@given(description=WHITESPACE)
def test_an_evidence_description_of_only_whitespace_is_refused(world, description):
    refused_with(["INPUT.blank"], lambda: add_evidence(world, description=description))


@WITH_WORLD
@given(days_ahead=st.integers(min_value=1, max_value=3650))
def test_evidence_of_something_that_has_not_happened_yet_is_refused(world, days_ahead):
    occurred_on = clock.today() + dt.timedelta(days=days_ahead)
    refused_with(["INPUT.future"], lambda: add_evidence(world, occurred_on=occurred_on))


@WITH_WORLD
@given(title=st.text(min_size=1, max_size=200).filter(lambda s: any(c.isalnum() for c in s) and "\x00" not in s))
def test_any_title_with_something_in_it_is_accepted_trimmed(world, title):
    item = add_evidence(world, title=title)
    assert item.title == title.strip()


@WITH_WORLD
@given(title=st.text(alphabet=" \t\n\u200b\u200c\u2060.-–!?", min_size=1, max_size=50))
def test_a_title_of_only_invisible_characters_or_punctuation_is_refused(world, title):
    refused_with(["INPUT.blank"], lambda: add_evidence(world, title=title))


def test_a_text_longer_than_its_field_allows_is_refused_and_nothing_is_written(world):
    with writes_nothing():
        with pytest.raises(ValidationError) as refused:
            case_services.tip_record(
                case=world.cookie_case,
                channel="phone",
                received_on=clock.today(),
                summary="x" * 5_001,
                acting_user=world.mette,
            )
    assert "summary" in refused.value.message_dict


def test_a_social_media_finding_cannot_be_added_as_loose_evidence(world):
    refused_with(["L1.evidence"], lambda: add_evidence(world, kind=EvidenceKind.SOCIAL_MEDIA_FINDING))


# --- Hearing responses -----------------------------------------------------------------------------------


@pytest.fixture
def hearing(world):
    return hearing_about(world.cookie_case, [social_media_finding(world.cookie_case, by=world.mette)], by=world.mette)


@WITH_WORLD
@given(response=WHITESPACE)
def test_a_hearing_response_of_only_whitespace_is_refused(world, hearing, response):
    refused_with(
        ["INPUT.blank"],
        lambda: case_services.hearing_record_response(hearing=hearing, response_text=response, acting_user=world.mette),
    )


def test_a_hearing_response_received_in_the_future_is_refused(world, hearing):
    refused_with(
        ["INPUT.future"],
        lambda: case_services.hearing_record_response(
            hearing=hearing,
            response_text="Mit svar.",
            received_at=clock.now() + dt.timedelta(hours=1),
            acting_user=world.mette,
        ),
    )


def test_a_hearing_response_received_before_the_hearing_was_sent_is_refused(world, hearing):
    refused_with(
        ["INPUT.order"],
        lambda: case_services.hearing_record_response(
            hearing=hearing,
            response_text="Mit svar.",
            received_at=hearing.sent_at - dt.timedelta(minutes=1),
            acting_user=world.mette,
        ),
    )


def test_a_hearing_response_is_recorded_with_its_time(world, hearing):
    received = clock.now()
    assert received > hearing.sent_at
    answered = case_services.hearing_record_response(
        hearing=hearing, response_text="  Jeg bagte siddende.  ", received_at=received, acting_user=world.mette
    )
    answered.refresh_from_db()
    assert (answered.response_text, answered.response_received_at) == ("Jeg bagte siddende.", received)


def test_a_blank_extension_reason_is_refused(world, hearing):
    refused_with(
        ["INPUT.blank"],
        lambda: case_services.hearing_extend(
            hearing=hearing, new_deadline=hearing.deadline + dt.timedelta(days=7), reason="  ", acting_user=world.mette
        ),
    )


# --- Decisions -------------------------------------------------------------------------------------------


def test_evidence_from_another_case_cannot_be_cited(world):
    elsewhere = other_case(world)
    foreign_item = medical_assessment(elsewhere, by=world.mette)
    decision = adverse_draft(world.cookie_case, by=world.mette)
    refused_with(
        ["INPUT.case"],
        lambda: case_services.decision_cite_evidence(
            decision=decision, evidence_item=foreign_item, weighing="Vægtet.", acting_user=world.mette
        ),
    )


@WITH_WORLD
@given(summary=WHITESPACE)
def test_a_decision_without_a_summary_is_refused(world, summary):
    refused_with(["INPUT.blank"], lambda: adverse_draft(world.cookie_case, by=world.mette, summary=summary))


def test_a_draft_cannot_be_updated_to_a_blank_summary(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)
    refused_with(
        ["INPUT.blank"],
        lambda: case_services.decision_update_reasons(
            decision=decision,
            summary="\t",
            legal_basis="x",
            main_considerations="x",
            facts_relied_on="x",
            acting_user=world.mette,
        ),
    )


def test_a_fraud_flag_without_a_reason_is_refused(world):
    refused_with(
        ["INPUT.blank"],
        lambda: case_services.case_set_fraud_suspicion(
            case=world.cookie_case, fraud_suspected=True, reason=" ", acting_user=world.mette
        ),
    )


def test_a_closed_case_cannot_be_closed_again(world):
    case_services.case_close(case=world.cookie_case, acting_user=world.mette)
    refused_with(["INPUT.state"], lambda: case_services.case_close(case=world.cookie_case, acting_user=world.mette))
