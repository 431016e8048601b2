"""The hearing deadline duty and the outbox: idempotent scans, one delivery per message, backoff."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings

from cases import rules
from cases import services as case_services
from cases.models import HearingDeadlineNotice, JournalNote
from cases.tasks import scan_hearing_deadlines
from jobcenter.core import clock
from jobcenter.notifications import services as notification_services
from jobcenter.notifications.models import Channel, Notification
from jobcenter.notifications.services import notifications_dispatch_pending
from tests.cases.support import hearing_about, medical_assessment

pytestmark = pytest.mark.django_db

EXPIRED_NOTE = "Svarfristen for partshøringen udløb"
REMINDER_NOTE = "Påmindelse: svarfristen"


def _noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture
def hearing(world):
    world.mette.email = "mette@aalborg.dk"
    world.mette.save()
    return hearing_about(world.cookie_case, [medical_assessment(world.cookie_case, by=world.mette)], by=world.mette)


def _notes(case, text: str) -> int:
    return JournalNote.objects.filter(case=case, text__startswith=text).count()


def _mine(user, kind: str) -> list[str]:
    return sorted(
        Notification.objects.filter(recipient=user, key__contains=f":{kind}:").values_list("channel", flat=True)
    )


def test_the_rule_decides_which_notices_are_due():
    deadline = dt.date(2025, 3, 14)
    open_hearing = rules.HearingFacts(deadline=deadline, response_received_at=None)
    due = rules.hearing_deadline_notices_due
    assert due(open_hearing, today=deadline - dt.timedelta(days=3), reminder_days=2) == []
    assert due(open_hearing, today=deadline - dt.timedelta(days=2), reminder_days=2) == ["reminder"]
    assert due(open_hearing, today=deadline, reminder_days=2) == ["reminder"]
    assert due(open_hearing, today=deadline + dt.timedelta(days=1), reminder_days=2) == ["expired"]
    answered = rules.HearingFacts(deadline=deadline, response_received_at=_noon(deadline))
    assert due(answered, today=deadline + dt.timedelta(days=1), reminder_days=2) == []


@override_settings(HEARING_REMINDER_DAYS_BEFORE=3)
def test_a_reminder_comes_once_n_days_before_the_deadline(world, hearing):
    with time_machine.travel(_noon(hearing.deadline - dt.timedelta(days=4)), tick=False):
        assert case_services.hearing_deadlines_scan() == 0
    with time_machine.travel(_noon(hearing.deadline - dt.timedelta(days=3)), tick=False):
        assert scan_hearing_deadlines.delay().get() == 1
        assert case_services.hearing_deadlines_scan() == 0  # beat fired twice
    with time_machine.travel(_noon(hearing.deadline), tick=False):
        assert case_services.hearing_deadlines_scan() == 0
    assert HearingDeadlineNotice.objects.filter(hearing=hearing, kind="reminder").count() == 1
    assert _notes(world.cookie_case, REMINDER_NOTE) == 1
    assert _mine(world.mette, "reminder") == [Channel.EMAIL, Channel.IN_APP]
    key = f"hearing:{hearing.pk}:reminder:{hearing.deadline.isoformat()}:in_app"
    assert Notification.objects.get(key=key).url == f"/partshoeringer/{hearing.pk}/"


def test_the_expiry_is_noted_once_after_the_deadline(world, hearing):
    with time_machine.travel(_noon(hearing.deadline), tick=False):
        case_services.hearing_deadlines_scan()
        assert _notes(world.cookie_case, EXPIRED_NOTE) == 0
    with time_machine.travel(_noon(hearing.deadline + dt.timedelta(days=1)), tick=False):
        assert case_services.hearing_deadlines_scan() == 1
        assert case_services.hearing_deadlines_scan() == 0
    with time_machine.travel(_noon(hearing.deadline + dt.timedelta(days=5)), tick=False):
        assert case_services.hearing_deadlines_scan() == 0
    assert HearingDeadlineNotice.objects.filter(hearing=hearing, kind="expired").count() == 1
    note = JournalNote.objects.get(case=world.cookie_case, text__startswith=EXPIRED_NOTE)
    assert note.text == f"Svarfristen for partshøringen udløb {hearing.deadline:%d.%m.%Y} uden svar."
    assert note.author is None
    assert _mine(world.mette, "expired") == [Channel.EMAIL, Channel.IN_APP]


def test_an_answered_hearing_gets_nothing(world, hearing):
    case_services.hearing_record_response(hearing=hearing, response_text="Mit svar.", acting_user=world.mette)
    for day in (hearing.deadline, hearing.deadline + dt.timedelta(days=1)):
        with time_machine.travel(_noon(day), tick=False):
            assert case_services.hearing_deadlines_scan() == 0
    assert not HearingDeadlineNotice.objects.exists()
    assert not Notification.objects.filter(key__startswith=f"hearing:{hearing.pk}:reminder").exists()


def test_an_extended_deadline_gets_its_own_reminder(world, hearing):
    with time_machine.travel(_noon(hearing.deadline), tick=False):
        assert case_services.hearing_deadlines_scan() == 1
        extended = case_services.hearing_extend(
            hearing=hearing,
            new_deadline=hearing.deadline + dt.timedelta(days=7),
            reason="Syg.",
            acting_user=world.mette,
        )
        assert case_services.hearing_deadlines_scan() == 0  # not yet in the new window
    with time_machine.travel(_noon(extended.deadline - dt.timedelta(days=1)), tick=False):
        assert case_services.hearing_deadlines_scan() == 1
    deadlines = set(HearingDeadlineNotice.objects.filter(kind="reminder").values_list("deadline", flat=True))
    assert deadlines == {hearing.deadline, extended.deadline}
    assert len(_mine(world.mette, "reminder")) == 4
    assert not HearingDeadlineNotice.objects.filter(kind="expired").exists()


def test_completeness_does_not_wait_for_the_duty(world, hearing):
    """H5 stays computed: past the deadline the hearing is complete though no scan has run."""
    facts = rules.HearingFacts(deadline=hearing.deadline, response_received_at=None)
    assert rules.hearing_is_complete(facts, today=hearing.deadline + dt.timedelta(days=1))
    assert not HearingDeadlineNotice.objects.exists()


def test_the_sweep_delivers_each_message_once(world, hearing, mailoutbox):
    with time_machine.travel(_noon(hearing.deadline + dt.timedelta(days=1)), tick=False):
        case_services.hearing_deadlines_scan()
        assert notifications_dispatch_pending() == 2
        assert notifications_dispatch_pending() == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["mette@aalborg.dk"]
    assert mailoutbox[0].subject == f"Svarfristen er udløbet i sag {world.cookie_case.reference}"
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}


def test_a_failed_delivery_backs_off_and_is_delivered_later(world, hearing, mailoutbox, monkeypatch):
    start = _noon(hearing.deadline + dt.timedelta(days=1))
    with time_machine.travel(start, tick=False):
        case_services.hearing_deadlines_scan()

        def refuse(*args, **kwargs):
            raise ConnectionRefusedError("SMTP nede")

        monkeypatch.setattr(notification_services, "send_mail", refuse)
        assert notifications_dispatch_pending() == 1  # the in-app message
        email = Notification.objects.get(channel=Channel.EMAIL)
        assert email.delivered_at is None
        assert email.attempts == 1
        assert "SMTP nede" in email.last_error
        assert email.next_attempt_at == start + dt.timedelta(minutes=1)
        assert notifications_dispatch_pending() == 0  # not due yet
        monkeypatch.undo()
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        assert notifications_dispatch_pending() == 0
    with time_machine.travel(start + dt.timedelta(minutes=1), tick=False):
        assert notifications_dispatch_pending() == 1
        assert notifications_dispatch_pending() == 0
    email.refresh_from_db()
    assert email.delivered_at == start + dt.timedelta(minutes=1)
    assert email.attempts == 2
    assert len(mailoutbox) == 1


def test_the_message_is_enqueued_for_delivery_after_commit(world, hearing, django_capture_on_commit_callbacks):
    with time_machine.travel(_noon(hearing.deadline + dt.timedelta(days=1)), tick=False):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            case_services.hearing_deadlines_scan()
    assert len(callbacks) >= 2
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()
    assert len(mail.outbox) == 1


def test_a_failing_hearing_leaves_nothing_half_written(world, hearing, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(case_services, "notification_enqueue", broken)
    with time_machine.travel(_noon(hearing.deadline + dt.timedelta(days=1)), tick=False):
        with pytest.raises(RuntimeError), transaction.atomic():
            case_services.hearing_deadlines_scan()
    assert not HearingDeadlineNotice.objects.exists()
    assert _notes(world.cookie_case, EXPIRED_NOTE) == 0
    assert clock.today()  # the clock is back
