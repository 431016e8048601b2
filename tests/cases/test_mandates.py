"""H4: with an active party-representative mandate, Lone from 3F gets the hearing letter too."""

import datetime as dt

import pytest
import time_machine

from cases import services as case_services
from cases.models import MandateKind, PowerOfAttorney
from cases.rules import MandateFacts, mandate_is_active
from jobcenter.core import clock
from jobcenter.core.violations import RuleViolationError
from jobcenter.organisation import services as org_services
from tests.cases.support import hearing_about, other_case, social_media_finding, writes_nothing
from tests.factories import mandate_for_lone

pytestmark = pytest.mark.django_db

COPY_SENT = "Kopi er sendt til din partsrepræsentant"


def days_ago(days: int) -> dt.date:
    return clock.today() - dt.timedelta(days=days)


def send_hearing(world):
    return hearing_about(world.cookie_case, [social_media_finding(world.cookie_case, by=world.mette)], by=world.mette)


def test_h4_lone_gets_a_copy_under_an_active_party_representative_mandate(world):
    mandate_for_lone(world)
    hearing = send_hearing(world)
    assert hearing.representative == world.lone
    assert f"{COPY_SENT}, Lone Holm." in hearing.letter_text


def test_h4_a_mandate_for_this_case_only_also_gives_a_copy(world):
    mandate_for_lone(world, case=world.cookie_case)
    assert send_hearing(world).representative == world.lone


def test_h4_a_mandate_for_another_case_gives_no_copy(world):
    elsewhere = other_case(world)
    mandate_for_lone(world, citizen=elsewhere.citizen, case=elsewhere)
    hearing = send_hearing(world)
    assert hearing.representative is None
    assert COPY_SENT not in hearing.letter_text


def test_h4_without_a_mandate_there_is_no_copy(world):
    hearing = send_hearing(world)
    assert hearing.representative is None
    assert COPY_SENT not in hearing.letter_text


def test_h4_a_revoked_mandate_gives_no_copy(world):
    mandate = mandate_for_lone(world)
    case_services.mandate_revoke(mandate=mandate, acting_user=world.mette)
    hearing = send_hearing(world)
    assert hearing.representative is None
    assert COPY_SENT not in hearing.letter_text


def test_h4_a_mandate_with_a_revocation_time_gives_no_copy(world):
    """The H4 reading of revocation on its own, without mandate_revoke (see the test above)."""
    mandate = mandate_for_lone(world)
    PowerOfAttorney.objects.filter(pk=mandate.pk).update(revoked_at=clock.now())
    hearing = send_hearing(world)
    assert hearing.representative is None
    assert COPY_SENT not in hearing.letter_text


def test_h4_an_expired_mandate_gives_no_copy(world):
    mandate_for_lone(world, valid_from=days_ago(60), valid_to=days_ago(1))
    hearing = send_hearing(world)
    assert hearing.representative is None
    assert COPY_SENT not in hearing.letter_text


def test_h4_a_mandate_ending_today_still_gives_a_copy(world):
    mandate_for_lone(world, valid_from=days_ago(60), valid_to=clock.today())
    assert send_hearing(world).representative == world.lone


def test_h4_a_mandate_that_has_not_started_gives_no_copy(world):
    mandate_for_lone(world, valid_from=clock.today() + dt.timedelta(days=1))
    assert send_hearing(world).representative is None


def test_h4_a_supporter_mandate_gives_no_copy(world):
    mandate_for_lone(world, kind=MandateKind.SUPPORTER)
    hearing = send_hearing(world)
    assert hearing.representative is None
    assert COPY_SENT not in hearing.letter_text


def test_h4_a_mandate_that_expires_later_stops_giving_copies_on_the_next_hearing(world):
    mandate_for_lone(world, valid_to=clock.today() + dt.timedelta(days=5))
    assert send_hearing(world).representative == world.lone
    with time_machine.travel(clock.now() + dt.timedelta(days=6), tick=False):
        assert send_hearing(world).representative is None


def test_mandate_rules_refuse_a_representative_of_another_union_and_a_backwards_period(world):
    other_union = org_services.union_create(name="HK", acting_user=None)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        mandate_for_lone(world, union=other_union, valid_from=days_ago(1), valid_to=days_ago(5))
    assert sorted(refused.value.codes) == ["A2.union", "INPUT.order"]


def test_mandate_revoked_twice_is_refused(world):
    mandate = mandate_for_lone(world)
    case_services.mandate_revoke(mandate=mandate, acting_user=world.mette)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.mandate_revoke(mandate=mandate, acting_user=world.mette)
    assert refused.value.codes == ["INPUT.state"]


def test_ahmed_cannot_record_a_mandate_in_aalborg(world):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        mandate_for_lone(world, acting_user=world.ahmed)
    assert refused.value.codes == ["A1"]


def test_ahmed_cannot_revoke_a_mandate_in_aalborg(world):
    mandate = mandate_for_lone(world)
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.mandate_revoke(mandate=mandate, acting_user=world.ahmed)
    assert refused.value.codes == ["A1"]


def test_mandate_is_active_from_first_to_last_day_unless_revoked():
    now = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)
    today = now.date()

    def facts(**overrides) -> MandateFacts:
        base = {
            "representative_id": 5,
            "is_party_representative": True,
            "covers_case": True,
            "valid_from": today,
            "valid_to": today,
            "revoked_at": None,
        }
        return MandateFacts(**{**base, **overrides})

    assert mandate_is_active(facts(), today=today, now=now)
    assert not mandate_is_active(facts(valid_from=today + dt.timedelta(days=1), valid_to=None), today=today, now=now)
    assert not mandate_is_active(facts(valid_to=today - dt.timedelta(days=1)), today=today, now=now)
    assert not mandate_is_active(facts(revoked_at=now), today=today, now=now)
    assert mandate_is_active(facts(revoked_at=now + dt.timedelta(minutes=1)), today=today, now=now)
