"""Faults with a real broker and a real worker: a worker killed mid-task, Redis down while a decision
issues, and beat firing the hearing deadline scan twice. Each ends with every effect exactly once."""

import datetime as dt
import os
import signal
import time
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cases import services as case_services
from cases.models import DecisionKind, DecisionStatus, HearingDeadlineNotice, JournalNote, MandateKind
from cases.tasks import scan_hearing_deadlines
from jobcenter.core import clock
from jobcenter.notifications.models import Channel, Notification
from jobcenter.notifications.services import notification_enqueue, notifications_dispatch_pending
from jobcenter.notifications.tasks import deliver_notification, dispatch_pending_notifications
from tests.cases.support import hearing_about, other_information
from tests.integration.conftest import mail_files, wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def with_email(user):
    user.email = f"{user.username}@example.dk"
    user.save(update_fields=["email"])
    return user


def pending() -> int:
    return Notification.objects.filter(delivered_at__isnull=True).count()


def enqueue_mail(world, key: str) -> Notification:
    with transaction.atomic():  # committed; delivery is enqueued on commit
        return notification_enqueue(
            recipient=with_email(world.lone),
            channel=Channel.EMAIL,
            subject="Afgørelse i sagen",
            body="Der er truffet en afgørelse.",
            key=key,
        )


def marker_pid(marker: Path) -> int:
    return int(wait_until(lambda: marker.exists() and marker.read_text(), timeout=30, what="the slow send to start"))


def test_pool_child_sigkilled_mid_send_is_rerun_and_mails_once(world, broker, celery_worker, mail_dir, tmp_path):
    """The pool process is SIGKILLed while it holds the row lock and is handing the mail over. What re-runs
    it is the broker: `deliver_notification` is acks_late + reject_on_worker_lost, so the worker's main
    process sees WorkerLostError and rejects the message with requeue; Redis hands it straight back and a
    fresh pool process delivers it (the killed one's transaction, and its lock, died with its connection)."""
    marker = tmp_path / "slow-send-started"
    worker = celery_worker(SLOW_MAIL_MARKER=str(marker))
    notification = enqueue_mail(world, "integration:sigkill-child")

    child_pid = marker_pid(marker)
    assert child_pid in [p.pid for p in worker.pool_children()]
    os.kill(child_pid, signal.SIGKILL)

    wait_until(lambda: pending() == 0, timeout=60, what="the redelivered task to deliver")
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert notification.attempts == 1
    assert len(mail_files(mail_dir)) == 1
    assert "WorkerLostError" in worker.log() or "SIGKILL" in worker.log()

    # Once more through the broker (a stale duplicate) and once in-process (the sweep): nothing changes.
    rerun = deliver_notification.apply_async(args=(notification.pk,))
    wait_until(lambda: worker.succeeded(rerun.id), timeout=30, what="the duplicate delivery task")
    assert notifications_dispatch_pending() == 0
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert len(mail_files(mail_dir)) == 1


def test_whole_worker_sigkilled_mid_send_is_swept_and_mails_once(world, broker, celery_worker, mail_dir, tmp_path):
    """Worker and pool are SIGKILLed together (a crashed machine): nobody rejects the message, and Redis
    would only redeliver it after the visibility timeout (2 hours). What re-runs it is the outbox: the row
    is still pending, so the beat sweep `dispatch_pending_notifications`, run by a new worker, delivers
    it. The stale message, redelivered later, finds the row delivered and does nothing."""
    marker = tmp_path / "slow-send-started"
    first = celery_worker(SLOW_MAIL_MARKER=str(marker))
    notification = enqueue_mail(world, "integration:sigkill-worker")
    marker_pid(marker)
    first.kill_all()
    assert pending() == 1
    assert mail_files(mail_dir) == []

    second = celery_worker(SLOW_MAIL_MARKER=str(marker))
    sweep = dispatch_pending_notifications.apply_async()
    wait_until(lambda: second.succeeded(sweep.id), timeout=60, what="the sweep")
    notification.refresh_from_db()
    assert notification.delivered_at is not None
    assert len(mail_files(mail_dir)) == 1

    stale = deliver_notification.apply_async(args=(notification.pk,))
    again = dispatch_pending_notifications.apply_async()
    wait_until(lambda: second.succeeded(stale.id) and second.succeeded(again.id), timeout=30, what="re-runs")
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert len(mail_files(mail_dir)) == 1


def issue_favourable_decision(case, by):
    decision = case_services.decision_draft(
        case=case, kind=DecisionKind.BENEFIT_GRANTED, summary="Sygedagpenge bevilges.", acting_user=by
    )
    return case_services.decision_issue(decision=decision, acting_user=by)


def test_decision_issues_with_redis_down_and_its_notifications_arrive_once_after(
    world, broker, redis_server, celery_worker, mail_dir
):
    case, mette, lone = world.cookie_case, world.mette, with_email(world.lone)
    case_services.mandate_record(
        citizen=case.citizen,
        union=world.union_3f,
        representative=lone,
        kind=MandateKind.PARTY_REPRESENTATIVE,
        valid_from=clock.today(),
        case=case,
        acting_user=mette,
    )
    worker = celery_worker()
    redis_server.stop()

    started = time.monotonic()
    decision = issue_favourable_decision(case, mette)
    elapsed = time.monotonic() - started
    assert decision.status == DecisionStatus.ISSUED
    print(f"\ndecision issued with Redis down in {elapsed * 1000:.0f} ms")
    assert elapsed < 2, f"issuing took {elapsed:.2f}s with the broker down"

    rows = Notification.objects.filter(recipient=lone)
    assert sorted(rows.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.IN_APP]
    assert pending() == rows.count()
    time.sleep(1)  # nothing can deliver them meanwhile
    assert pending() == rows.count()
    assert mail_files(mail_dir) == []

    redis_server.start()
    # Beat's next firing; the stale connection from before the outage may need one reconnect.
    sweep = dispatch_pending_notifications.apply_async(retry=True, retry_policy={"max_retries": 5})
    wait_until(lambda: pending() == 0, timeout=90, interval=0.5, what="the sweep after Redis came back")
    wait_until(lambda: worker.succeeded(sweep.id), timeout=30, what="the sweep task to finish")
    emails = Notification.objects.filter(channel=Channel.EMAIL).count()
    assert len(mail_files(mail_dir)) == emails == 1
    assert all(n.attempts == 1 for n in Notification.objects.all())

    again = dispatch_pending_notifications.apply_async()
    wait_until(lambda: worker.succeeded(again.id), timeout=30, what="the second sweep")
    assert len(mail_files(mail_dir)) == emails
    assert all(n.attempts == 1 for n in Notification.objects.all())


def test_hearing_deadline_passing_is_noted_and_notified_once_when_beat_fires_twice(
    world, broker, celery_worker, mail_dir
):
    case, mette = world.cookie_case, with_email(world.mette)
    with time_machine.travel(dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=40), tick=True):
        hearing = hearing_about(case, [other_information(case, by=mette)], by=mette)
    assert hearing.deadline < clock.today()
    notes_before = set(JournalNote.objects.filter(case=case).values_list("pk", flat=True))
    notifications_before = set(Notification.objects.values_list("pk", flat=True))

    worker = celery_worker()
    firings = [scan_hearing_deadlines.apply_async(), scan_hearing_deadlines.apply_async()]
    wait_until(lambda: all(worker.succeeded(f.id) for f in firings), timeout=60, what="both scans")
    sweep = dispatch_pending_notifications.apply_async()
    wait_until(lambda: worker.succeeded(sweep.id) and pending() == 0, timeout=60, what="delivery")

    notices = HearingDeadlineNotice.objects.filter(hearing=hearing)
    assert [(n.kind, n.deadline) for n in notices] == [("expired", hearing.deadline)]
    new_notes = JournalNote.objects.filter(case=case).exclude(pk__in=notes_before)
    assert new_notes.count() == 1
    note = new_notes.get()

    new = Notification.objects.exclude(pk__in=notifications_before)
    assert new.exists()
    per_recipient_channel = {}
    for n in new:
        per_recipient_channel[(n.recipient_id, n.channel)] = (
            per_recipient_channel.get((n.recipient_id, n.channel), 0) + 1
        )
    assert set(per_recipient_channel.values()) == {1}
    assert (mette.pk, Channel.IN_APP) in per_recipient_channel
    assert len(mail_files(mail_dir)) == new.filter(channel=Channel.EMAIL).count()

    client = Client()
    client.force_login(mette)
    page = client.get(reverse("case_detail", args=[case.pk]))
    assert page.status_code == 200
    assert escape(note.text) in page.content.decode()
