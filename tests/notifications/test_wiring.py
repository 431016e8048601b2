"""Each cause writes its messages into the outbox in its own transaction: undo the cause, and no message remains."""

import contextlib
import datetime as dt
from collections.abc import Callable

import pytest
from django.db import transaction

from cases import services as case_services
from cases.models import Decision
from jobcenter.core.violations import RuleViolationError
from jobcenter.notifications.models import Channel, Notification
from jobcenter.supervision import services as supervision_services
from tests.cases.support import adverse_draft, cite, heard, hearing_about, medical_assessment, social_media_finding

pytestmark = pytest.mark.django_db


class Undo(Exception):
    pass


def _written_then_undone(cause: Callable[[], object]) -> int:
    """Run the cause in a transaction, count the messages it wrote there, then roll everything back."""
    written = 0
    with contextlib.suppress(Undo), transaction.atomic():
        cause()
        written = Notification.objects.count()
        raise Undo
    return written


def _channels(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("channel", flat=True))


@pytest.fixture
def mandate(world):
    world.lone.email = "lone@3f.dk"
    world.lone.save()
    return case_services.mandate_record(
        citizen=world.cookie_case.citizen,
        case=world.cookie_case,
        union=world.union_3f,
        representative=world.lone,
        kind="party_representative",
        valid_from=dt.date.today(),
        acting_user=world.mette,
    )


@pytest.fixture
def issuable(world) -> Decision:
    decision = adverse_draft(world.cookie_case, by=world.mette)
    cite(decision, medical_assessment(world.cookie_case, by=world.mette), by=world.mette)
    return decision


def test_an_issued_decision_tells_the_representative_and_the_caseworker(world, mandate, issuable):
    world.mette.email = "mette@aalborg.dk"
    world.mette.save()
    Notification.objects.all().delete()
    case_services.decision_issue(decision=issuable, acting_user=world.jonas)
    assert _channels(world.lone) == [Channel.EMAIL, Channel.IN_APP]
    assert _channels(world.mette) == [Channel.EMAIL, Channel.IN_APP]
    assert _channels(world.jonas) == []
    rep = Notification.objects.get(recipient=world.lone, channel=Channel.IN_APP)
    assert rep.key == f"decision:{issuable.pk}:issued:representative:{world.lone.pk}:in_app"
    assert rep.url == f"/rapporter/sager/{world.cookie_case.pk}/"


def test_the_caseworker_is_not_told_of_her_own_decision(world, issuable):
    case_services.decision_issue(decision=issuable, acting_user=world.mette)
    assert _channels(world.mette) == []


def test_a_rolled_back_issue_leaves_no_message(world, mandate, issuable):
    Notification.objects.all().delete()
    # Lone: in-app and e-mail; Mette (no address): in-app.
    assert _written_then_undone(lambda: case_services.decision_issue(decision=issuable, acting_user=world.jonas)) == 3
    assert not Notification.objects.exists()


def test_a_hearing_copy_tells_the_representative(world, mandate):
    hearing = hearing_about(world.cookie_case, [medical_assessment(world.cookie_case, by=world.mette)], by=world.mette)
    assert hearing.representative == world.lone
    keys = set(Notification.objects.filter(recipient=world.lone).values_list("key", flat=True))
    assert keys == {f"hearing:{hearing.pk}:sent:representative:{world.lone.pk}:{c}" for c in ("in_app", "email")}


def test_a_rolled_back_hearing_leaves_no_message(world, mandate):
    assessment = medical_assessment(world.cookie_case, by=world.mette)
    assert _written_then_undone(lambda: hearing_about(world.cookie_case, [assessment], by=world.mette)) == 2
    assert not Notification.objects.exists()


def test_a_hearing_without_representative_tells_nobody(world):
    hearing_about(world.cookie_case, [medical_assessment(world.cookie_case, by=world.mette)], by=world.mette)
    assert not Notification.objects.exists()


@pytest.fixture
def four_eyes_decision(world) -> Decision:
    world.set_policy(world.aalborg, four_eyes_for_social_media_decisions=True)
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    heard(case, [finding], by=mette)
    decision = adverse_draft(case, by=mette)
    cite(decision, finding, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)
    return decision


def test_a_d5_refusal_tells_every_supervisor_in_app(world, four_eyes_decision):
    from jobcenter.organisation import services as org_services
    from jobcenter.organisation.roles import Role

    other_supervisor = org_services.staff_user_create(
        username="birgit", password="x", role=Role.SUPERVISOR, jobcentre=world.aalborg, acting_user=None
    )
    aarhus_supervisor = org_services.staff_user_create(
        username="karsten", password="x", role=Role.SUPERVISOR, jobcentre=world.aarhus, acting_user=None
    )
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=four_eyes_decision, acting_user=world.mette)
    assert _channels(world.susanne) == [Channel.IN_APP]
    assert _channels(other_supervisor) == [Channel.IN_APP]
    assert _channels(aarhus_supervisor) == []
    assert _channels(world.mette) == []


def test_a_refusal_without_d5_tells_no_supervisor(world):
    decision = adverse_draft(world.cookie_case, by=world.mette)  # cites nothing: D1
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=decision, acting_user=world.mette)
    assert not Notification.objects.exists()


def test_a_rolled_back_refusal_leaves_no_message(world, four_eyes_decision):
    def refused() -> None:
        with contextlib.suppress(RuleViolationError):
            case_services.decision_issue(decision=four_eyes_decision, acting_user=world.mette)

    assert _written_then_undone(refused) == 1  # Susanne, the one supervisor
    assert not Notification.objects.exists()


@pytest.fixture
def lookup(world):
    return social_media_finding(world.cookie_case, by=world.mette).finding.lookup


def test_a_flagged_lookup_tells_who_performed_it(world, lookup):
    supervision_services.lookup_review_flag(lookup=lookup, comment="Spørg Mette.", acting_user=world.susanne)
    notification = Notification.objects.get(recipient=world.mette)
    assert notification.channel == Channel.IN_APP
    assert "Spørg Mette." in notification.body
    assert notification.url == f"/sager/{world.cookie_case.pk}/"


def test_a_rolled_back_flag_leaves_no_message(world, lookup):
    assert (
        _written_then_undone(
            lambda: supervision_services.lookup_review_flag(
                lookup=lookup, comment="Spørg Mette.", acting_user=world.susanne
            )
        )
        == 1
    )
    assert not Notification.objects.exists()
