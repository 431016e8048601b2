"""Hearings (partshøring, FVL § 19): H1-H5, tried through the services the way Mette works."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cases import services as case_services
from cases.letters import SELF_INCRIMINATION_NOTICE
from cases.models import DecisionStatus, Hearing, HearingExtension, HearingItem
from cases.rules import HearingFacts, HearingItemFacts, check_hearing_send, hearing_is_complete
from jobcenter.core.violations import RuleViolationError
from jobcenter.organisation.models import Policy
from tests.cases.support import (
    READING,
    adverse_draft,
    changed_rows,
    cite,
    hearing_about,
    medical_assessment,
    other_case,
    row_counts,
    social_media_finding,
    writes_nothing,
)
from tests.factories import days_from_today

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12, 0), tzinfo=COPENHAGEN)


# --- H1 / D3: a finding is used only after a complete hearing ------------------------------------------


def test_h1_a_finding_under_an_open_hearing_cannot_be_used_until_hanne_answers(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    assessment = medical_assessment(case, by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, assessment, by=mette)
    hearing = hearing_about(case, [finding], by=mette)

    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=mette)
    assert refused.value.codes == ["D3"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT

    case_services.hearing_record_response(
        hearing=hearing, response_text="Jeg bagte siddende ved køkkenbordet.", acting_user=mette
    )
    issued = case_services.decision_issue(decision=decision, acting_user=mette)
    assert issued.status == DecisionStatus.ISSUED


def test_h1_a_finding_never_heard_about_cannot_be_used(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)

    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=mette)
    assert refused.value.codes == ["D3"]


def test_h1_a_hearing_about_another_item_does_not_cover_the_finding(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    assessment = medical_assessment(case, by=mette)
    hearing = hearing_about(case, [assessment], by=mette)
    case_services.hearing_record_response(hearing=hearing, response_text="Lægen har ret.", acting_user=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, assessment, by=mette)

    with pytest.raises(RuleViolationError) as refused:
        case_services.decision_issue(decision=decision, acting_user=mette)
    assert refused.value.codes == ["D3"]


# --- H2: the letter, its items and its deadline --------------------------------------------------------


def test_h2_a_hearing_about_nothing_is_refused(world):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.hearing_send(case=world.cookie_case, items=[], acting_user=world.mette)
    assert refused.value.codes == ["H2.items"]


@pytest.mark.parametrize("reading", ["", "   ", "\n\t"])
def test_h2_every_item_says_how_the_jobcentre_reads_it(world, reading):
    finding = social_media_finding(world.cookie_case, by=world.mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.hearing_send(case=world.cookie_case, items=[(finding, reading)], acting_user=world.mette)
    assert refused.value.codes == ["H2.reading"]


def test_h2_the_deadline_is_at_least_the_policy_14_days(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        hearing_about(case, [finding], by=mette, deadline=days_from_today(13))
    assert refused.value.codes == ["H2.deadline"]

    hearing = hearing_about(case, [finding], by=mette, deadline=days_from_today(14))
    assert hearing.deadline == hearing.original_deadline == days_from_today(14)


def test_h2_without_a_deadline_the_policy_days_are_given(world):
    hearing = hearing_about(
        world.cookie_case, [social_media_finding(world.cookie_case, by=world.mette)], by=world.mette
    )
    assert hearing.deadline == days_from_today(14)


def test_h2_an_item_from_another_case_is_refused(world):
    elsewhere = other_case(world)
    foreign_item = medical_assessment(elsewhere, by=world.mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        hearing_about(world.cookie_case, [foreign_item], by=world.mette)
    assert refused.value.codes == ["H2.case"]


def test_h2_a_finding_without_its_address_cannot_be_heard_about(world):
    finding = social_media_finding(world.cookie_case, by=world.mette, url="")
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        hearing_about(world.cookie_case, [finding], by=world.mette)
    assert refused.value.codes == ["H2.finding"]


def test_h2_a_seven_day_policy_allows_seven_days_and_no_fewer(world):
    world.set_policy(world.aalborg, hearing_days=7)
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        hearing_about(case, [finding], by=mette, deadline=days_from_today(6))
    assert refused.value.codes == ["H2.deadline"]

    hearing = hearing_about(case, [finding], by=mette, deadline=days_from_today(7))
    assert hearing.deadline == days_from_today(7)


def test_h2_a_policy_under_seven_days_is_refused_by_validation(world):
    policy = Policy(jobcentre=world.aalborg, version=99, hearing_days=6)
    with pytest.raises(ValidationError) as refused:
        policy.full_clean()
    assert "hearing_days" in refused.value.message_dict
    with pytest.raises(ValidationError):
        world.set_policy(world.aalborg, hearing_days=6)


def test_h2_a_policy_under_seven_days_is_refused_by_the_database(world):
    current = Policy.objects.filter(jobcentre=world.aalborg).latest()
    columns = [f.column for f in Policy._meta.concrete_fields if f.column != "id"]
    values = {
        f.column: f.get_db_prep_save(getattr(current, f.attname), connection) for f in Policy._meta.concrete_fields
    }
    values["version"] = current.version + 1
    values["hearing_days"] = 6
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {Policy._meta.db_table} ({', '.join(columns)}) VALUES ({placeholders})"
    with pytest.raises(IntegrityError, match="policy_hearing_days_at_least_seven"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [values[c] for c in columns])
    # The same row with 7 days is accepted: the refusal was about the days.
    values["hearing_days"] = 7
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[c] for c in columns])
    assert Policy.objects.filter(jobcentre=world.aalborg).latest().hearing_days == 7


def test_h2_the_letter_lists_each_finding_and_says_a_decision_may_follow(world):
    case, mette = world.cookie_case, world.mette
    cookies = social_media_finding(
        case,
        by=mette,
        title="Billede af julesmåkager",
        description="Offentligt billede af julesmåkager.",
        url="https://www.facebook.com/photo/123",
        posted_on=dt.date(2024, 12, 20),
    )
    dancing = social_media_finding(
        case,
        by=mette,
        title="Video fra julefrokost",
        description="Offentlig video, hvor borgeren danser.",
        url="https://www.facebook.com/video/456",
        posted_on=dt.date(2024, 12, 14),
    )
    deadline = days_from_today(21)
    hearing = case_services.hearing_send(
        case=case,
        items=[(cookies, "Du kan stå op i længere tid."), (dancing, "Du kan bevæge dig frit.")],
        deadline=deadline,
        acting_user=mette,
    )
    letter = hearing.letter_text
    for expected in (
        "Hanne Jensen",
        case.reference,
        "1. Billede af julesmåkager",
        "Offentligt billede af julesmåkager.",
        "20.12.2024",
        "https://www.facebook.com/photo/123",
        "Du kan stå op i længere tid.",
        "2. Video fra julefrokost",
        "Offentlig video, hvor borgeren danser.",
        "14.12.2024",
        "https://www.facebook.com/video/456",
        "Du kan bevæge dig frit.",
        deadline.strftime("%d.%m.%Y"),
        "Når fristen er udløbet, kan vi træffe afgørelse",
    ):
        assert expected in letter
    assert {(i.evidence_item_id, i.authority_reading) for i in hearing.items.all()} == {
        (cookies.pk, "Du kan stå op i længere tid."),
        (dancing.pk, "Du kan bevæge dig frit."),
    }


def test_h2_extending_to_an_earlier_or_the_same_date_is_refused(world):
    case, mette = world.cookie_case, world.mette
    hearing = hearing_about(case, [social_media_finding(case, by=mette)], by=mette)
    for new_deadline in (hearing.deadline - dt.timedelta(days=1), hearing.deadline):
        with writes_nothing(), pytest.raises(RuleViolationError) as refused:
            case_services.hearing_extend(
                hearing=hearing, new_deadline=new_deadline, reason="Borgeren er på hospitalet.", acting_user=mette
            )
        assert refused.value.codes == ["H2.extend"]
    hearing.refresh_from_db()
    assert hearing.deadline == hearing.original_deadline


def test_h2_extending_to_a_later_date_keeps_the_original_deadline(world):
    case, mette = world.cookie_case, world.mette
    hearing = hearing_about(case, [social_media_finding(case, by=mette)], by=mette)
    original = hearing.deadline
    later = original + dt.timedelta(days=10)
    extended = case_services.hearing_extend(
        hearing=hearing, new_deadline=later, reason="Borgeren er på hospitalet.", acting_user=mette
    )
    extended.refresh_from_db()
    assert extended.deadline == later
    assert extended.original_deadline == original
    extension = HearingExtension.objects.get(hearing=hearing)
    assert (extension.previous_deadline, extension.new_deadline, extension.granted_by) == (original, later, mette)


def test_h2_the_database_refuses_a_deadline_before_the_original(world):
    case, mette = world.cookie_case, world.mette
    hearing = hearing_about(case, [social_media_finding(case, by=mette)], by=mette)
    with pytest.raises(IntegrityError, match="hearing_deadline_never_shortened"), transaction.atomic():
        Hearing.objects.filter(pk=hearing.pk).update(deadline=hearing.original_deadline - dt.timedelta(days=1))
    hearing.refresh_from_db()
    assert hearing.deadline == hearing.original_deadline


# --- H3: the self-incrimination notice -----------------------------------------------------------------


def test_h3_a_case_flagged_for_fraud_gets_the_self_incrimination_notice(world):
    case, mette = world.cookie_case, world.mette
    case_services.case_set_fraud_suspicion(
        case=case, fraud_suspected=True, reason="Anmeldelse om sort arbejde.", acting_user=mette
    )
    hearing = hearing_about(case, [social_media_finding(case, by=mette)], by=mette)
    assert str(SELF_INCRIMINATION_NOTICE) in hearing.letter_text
    assert hearing.self_incrimination_notice is True


def test_h3_an_unflagged_case_gets_no_self_incrimination_notice(world):
    case, mette = world.cookie_case, world.mette
    hearing = hearing_about(case, [social_media_finding(case, by=mette)], by=mette)
    assert str(SELF_INCRIMINATION_NOTICE) not in hearing.letter_text
    assert hearing.self_incrimination_notice is False


def test_h3_a_letter_that_lost_the_notice_is_not_sent(world, monkeypatch):
    case, mette = world.cookie_case, world.mette
    case_services.case_set_fraud_suspicion(
        case=case, fraud_suspected=True, reason="Anmeldelse om sort arbejde.", acting_user=mette
    )
    finding = social_media_finding(case, by=mette)
    real_letter = case_services.hearing_letter_text

    def letter_without_notice(**kwargs):
        return real_letter(**kwargs).replace(str(SELF_INCRIMINATION_NOTICE), "")

    monkeypatch.setattr(case_services, "hearing_letter_text", letter_without_notice)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        hearing_about(case, [finding], by=mette)
    assert refused.value.codes == ["H3"]


# --- H5: complete = answered, or the deadline day is over ----------------------------------------------


def _facts(deadline: dt.date, answered: bool = False) -> HearingFacts:
    return HearingFacts(deadline=deadline, response_received_at=noon(deadline) if answered else None)


def test_h5_complete_when_answered_or_the_deadline_has_passed():
    today = dt.date(2025, 1, 15)
    assert hearing_is_complete(_facts(today + dt.timedelta(days=14), answered=True), today=today)
    assert not hearing_is_complete(_facts(today + dt.timedelta(days=1)), today=today)
    assert not hearing_is_complete(_facts(today), today=today)
    assert hearing_is_complete(_facts(today - dt.timedelta(days=1)), today=today)


def test_h5_on_the_deadline_day_the_finding_waits_and_the_day_after_it_can_be_used(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    hearing = hearing_about(case, [finding], by=mette)

    with time_machine.travel(noon(hearing.deadline), tick=False):
        with pytest.raises(RuleViolationError) as refused:
            case_services.decision_issue(decision=decision, acting_user=mette)
        assert refused.value.codes == ["D3"]
    with time_machine.travel(
        dt.datetime.combine(hearing.deadline + dt.timedelta(days=1), dt.time(0, 1), tzinfo=COPENHAGEN), tick=False
    ):
        issued = case_services.decision_issue(decision=decision, acting_user=mette)
    assert issued.status == DecisionStatus.ISSUED
    hearing.refresh_from_db()
    assert hearing.response_received_at is None  # nothing and no one marked it complete


def test_h5_an_extended_deadline_is_the_one_that_counts(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    hearing = hearing_about(case, [finding], by=mette)
    original = hearing.deadline
    case_services.hearing_extend(
        hearing=hearing, new_deadline=original + dt.timedelta(days=7), reason="Ferie.", acting_user=mette
    )
    with time_machine.travel(noon(original + dt.timedelta(days=1)), tick=False):
        with pytest.raises(RuleViolationError) as refused:
            case_services.decision_issue(decision=decision, acting_user=mette)
        assert refused.value.codes == ["D3"]
    with time_machine.travel(noon(original + dt.timedelta(days=8)), tick=False):
        assert case_services.decision_issue(decision=decision, acting_user=mette).status == DecisionStatus.ISSUED


def test_h5_an_answer_cannot_be_recorded_twice(world):
    case, mette = world.cookie_case, world.mette
    hearing = hearing_about(case, [social_media_finding(case, by=mette)], by=mette)
    case_services.hearing_record_response(hearing=hearing, response_text="Mit svar.", acting_user=mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.hearing_record_response(hearing=hearing, response_text="Et andet svar.", acting_user=mette)
    assert refused.value.codes == ["H5.answered"]


# --- H4 as a pure rule (the service path is in test_mandates.py) ---------------------------------------


def _item() -> HearingItemFacts:
    return HearingItemFacts(
        evidence_id=1,
        case_id=1,
        is_social_media=True,
        title="Billede af julesmåkager",
        description="Offentligt billede.",
        occurred_on=dt.date(2024, 12, 20),
        source_url="https://www.facebook.com/photo/123",
        authority_reading=READING,
    )


def _check(**overrides):
    arguments = {
        "case_id": 1,
        "items": [_item()],
        "deadline": dt.date(2025, 1, 29),
        "today": dt.date(2025, 1, 15),
        "policy_days": 14,
        "fraud_suspected": False,
        "letter_has_self_incrimination_notice": False,
        "party_representative_ids": [],
        "copy_to_representative_id": None,
        **overrides,
    }
    return [v.code for v in check_hearing_send(**arguments)]


def test_h4_a_party_representative_left_without_a_copy_is_refused():
    assert _check() == []
    assert _check(party_representative_ids=[5], copy_to_representative_id=None) == ["H4"]
    assert _check(party_representative_ids=[5], copy_to_representative_id=6) == ["H4"]
    assert _check(party_representative_ids=[5], copy_to_representative_id=5) == []


def test_h2_rule_never_allows_fewer_than_seven_days_whatever_the_policy_says():
    assert _check(policy_days=3, deadline=dt.date(2025, 1, 21)) == ["H2.deadline"]
    assert _check(policy_days=3, deadline=dt.date(2025, 1, 22)) == []


def test_h2_rule_a_finding_needs_what_when_and_where():
    incomplete = HearingItemFacts(**{**vars(_item()), "occurred_on": None})
    assert _check(items=[incomplete]) == ["H2.finding"]


def test_hearing_send_writes_the_hearing_its_items_and_a_journal_note(world):
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    before = row_counts()
    hearing = hearing_about(case, [finding], by=mette)
    changes = changed_rows(before)
    assert changes["cases.Hearing"] == 1
    assert changes["cases.HearingItem"] == 1
    assert changes["cases.JournalNote"] == 1
    assert HearingItem.objects.get(hearing=hearing).authority_reading == READING
    assert hearing.sent_by == mette
