"""The audit trail: written with every change in the same transaction, refused UPDATE and DELETE by
PostgreSQL itself, hash-chained so that tampering with the triggers disabled is still found, never
forked by concurrent writers, and prunable for old reads without breaking verification."""

import datetime as dt
import random
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import DecisionKind
from jobcenter.audit.models import Action, AuditAlert, AuditCheckpoint, AuditEvent, Chain, Outcome
from jobcenter.audit.protection import HISTORY_TRIGGER_NAME, history_models
from jobcenter.audit.services import audit_prune_read_events, audit_record, audit_verify, audit_verify_chain
from jobcenter.audit.tasks import verify_audit_chains
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import social_media_finding
from tests.factories import tip_for
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db


def events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def all_chains_intact() -> bool:
    return all(result.broken is None for result in audit_verify(raise_alert=False))


# --- Written by the services, in the same transaction -------------------------------------------------


def test_mettes_tip_is_an_audit_event_with_who_where_and_what(world):
    before = AuditEvent.objects.count()
    tip = tip_for(world.cookie_case, by=world.mette)
    written = events(object_type="cases.Tip", object_id=str(tip.pk))
    assert len(written) == 1
    event = written[0]
    assert event.chain == Chain.CHANGE
    assert event.action == Action.CHANGE
    assert event.actor_id == world.mette.pk
    assert event.actor_username == "mette"
    assert "caseworker" in event.role
    assert event.jobcentre_id == world.aalborg.pk
    assert event.case_id == world.cookie_case.pk
    assert event.citizen_id == world.cookie_case.citizen_id
    assert event.details == {"service": "tip_record"}
    assert AuditEvent.objects.count() > before


def test_a_refused_write_leaves_no_audit_event_either(world):
    before = AuditEvent.objects.count()
    with pytest.raises(RuleViolationError):
        case_services.journal_note_add(case=world.cookie_case, text="   ", acting_user=world.mette)
    assert AuditEvent.objects.count() == before


def test_a_change_rolled_back_takes_its_audit_event_with_it(world):
    before = AuditEvent.objects.count()

    def tip_then_failure() -> None:
        with transaction.atomic():
            tip_for(world.cookie_case, by=world.mette)
            raise RuntimeError("the caller's transaction fails after the service")

    with pytest.raises(RuntimeError):
        tip_then_failure()
    assert AuditEvent.objects.count() == before


def test_the_refused_cookie_decision_is_an_audit_event_with_its_rule_codes(world):
    finding = social_media_finding(world.cookie_case, by=world.mette)
    decision = case_services.decision_draft(
        case=world.cookie_case, kind=DecisionKind.PRAKTIK_HOURS_INCREASE, summary="Flere timer", acting_user=world.mette
    )
    case_services.decision_cite_evidence(
        decision=decision, evidence_item=finding, weighing="x", acting_user=world.mette
    )
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=decision, acting_user=world.mette)
    refused = events(action=Action.DECISION_REFUSED)
    assert len(refused) == 1
    assert refused[0].outcome == Outcome.REFUSED
    assert "D2" in refused[0].reason
    assert "D3" in refused[0].reason
    assert refused[0].case_id == world.cookie_case.pk


# --- Refused by PostgreSQL ---------------------------------------------------------------------------


def test_update_and_delete_on_the_audit_table_fail_even_through_raw_sql(world):
    tip_for(world.cookie_case, by=world.mette)
    for sql in ("UPDATE audit_auditevent SET reason = 'rettet'", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert all_chains_intact()


def test_every_history_table_refuses_update_and_delete_even_through_raw_sql(world):
    tip_for(world.cookie_case, by=world.mette)
    tables = sorted(model._meta.db_table for model in history_models())
    assert "cases_historicalcase" in tables
    assert "cases_historicaljournalnote" in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s",
            [f"pgtrigger_{HISTORY_TRIGGER_NAME}%"],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= protected, set(tables) - protected
    for table in ("cases_historicalcase", "cases_historicaltip", "cases_historicaljournalnote"):
        for sql in (f"UPDATE {table} SET history_change_reason = 'x'", f"DELETE FROM {table}"):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql)


# --- Tamper-evident ----------------------------------------------------------------------------------


def _many_events(world, count: int) -> list[AuditEvent]:
    for number in range(count):
        audit_record(
            actor=random.choice([world.mette, world.jonas, world.susanne]),
            action=random.choice([Action.VIEW, Action.CHANGE, Action.SEARCH]),
            case_id=world.cookie_case.pk,
            details={"n": number},
        )
    return events()


def _as_superuser_without_triggers(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")


def test_random_tampering_with_the_triggers_disabled_is_always_named_exactly(world):
    written = _many_events(world, 120)
    assert all_chains_intact()
    rng = random.Random(20261125)
    for event in rng.sample(written, 25):
        field, forged = rng.choice([("reason", "intet at se her"), ("actor_username", "nogen"), ("case_id", 999_999)])
        original = getattr(event, field)
        _as_superuser_without_triggers(f"UPDATE audit_auditevent SET {field} = %s WHERE id = %s", [forged, event.pk])
        result = audit_verify_chain(event.chain)
        assert result.broken is not None
        assert result.broken.event_id == event.pk, (field, event.pk)
        _as_superuser_without_triggers(f"UPDATE audit_auditevent SET {field} = %s WHERE id = %s", [original, event.pk])
        assert audit_verify_chain(event.chain).broken is None


def test_a_deleted_event_is_named_by_the_event_that_lost_its_predecessor(world):
    written = [e for e in _many_events(world, 30) if e.chain == Chain.CHANGE]
    victim, successor = written[5], written[6]
    _as_superuser_without_triggers("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    result = audit_verify_chain(Chain.CHANGE)
    assert result.broken is not None
    assert result.broken.event_id == successor.pk


def test_a_rewritten_event_with_a_recomputed_hash_breaks_at_the_next_link(world):
    written = [e for e in _many_events(world, 30) if e.chain == Chain.READ]
    victim, successor = written[3], written[4]
    _as_superuser_without_triggers("UPDATE audit_auditevent SET hash = %s WHERE id = %s", ["f" * 64, victim.pk])
    broken = audit_verify_chain(Chain.READ).broken
    assert broken is not None
    assert broken.event_id in (victim.pk, successor.pk)


def test_the_nightly_task_raises_one_alert_that_supervisors_see_and_caseworkers_do_not(world, client):
    written = _many_events(world, 10)
    _as_superuser_without_triggers("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [written[4].pk])
    verify_audit_chains.apply()
    verify_audit_chains.apply()
    alert = AuditAlert.objects.get()
    assert str(written[4].pk) in alert.message
    verified_login(client, world.susanne)
    assert "Revisionssporet er brudt" in client.get(reverse("home")).content.decode()
    client.force_login(world.mette)
    assert "Revisionssporet er brudt" not in client.get(reverse("home")).content.decode()


def test_the_verify_command_names_the_broken_event_and_fails(world, capsys):
    written = _many_events(world, 10)
    call_command("audit_verify", "--no-alert")
    assert "intakt" in capsys.readouterr().out
    _as_superuser_without_triggers("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [written[7].pk])
    with pytest.raises(CommandError):
        call_command("audit_verify", "--no-alert")
    assert f"hændelse {written[7].pk}" in capsys.readouterr().out


# --- Concurrency -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_writers_leave_one_valid_chain(world):
    start = threading.Barrier(50)
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            start.wait()
            for step in range(4):
                with transaction.atomic():
                    audit_record(actor=None, action=Action.CHANGE, details={"writer": number, "step": step})
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    chain = events(chain=Chain.CHANGE, details__has_key="writer")
    assert len(chain) == 200
    links = list(AuditEvent.objects.filter(chain=Chain.CHANGE).values_list("prev_hash", flat=True))
    assert len(links) == len(set(links)), "two events claim the same predecessor: the chain forked"
    assert audit_verify_chain(Chain.CHANGE).broken is None


# --- Retention -----------------------------------------------------------------------------------------


def test_pruning_old_reads_keeps_changes_and_verification_passes_across_the_gap(world):
    long_ago = timezone.now() - dt.timedelta(days=200)
    with time_machine.travel(long_ago, tick=True):
        for number in range(20):
            audit_record(actor=world.mette, action=Action.VIEW, case_id=world.cookie_case.pk, details={"n": number})
            audit_record(actor=world.mette, action=Action.CHANGE, details={"n": number})
    for number in range(5):
        audit_record(actor=world.mette, action=Action.SEARCH, details={"criteria": f"navn {number}"})
    changes_before = AuditEvent.objects.filter(chain=Chain.CHANGE).count()

    pruned = audit_prune_read_events()

    assert pruned >= 20
    assert not AuditEvent.objects.filter(chain=Chain.READ, occurred_at__lt=timezone.now() - dt.timedelta(days=183))
    assert AuditEvent.objects.filter(chain=Chain.CHANGE).count() == changes_before + 1
    checkpoint = AuditCheckpoint.objects.get()
    assert AuditEvent.objects.filter(action=Action.PRUNE, details__last_pruned_id=checkpoint.last_pruned_id).exists()
    assert all_chains_intact()
    audit_record(actor=world.mette, action=Action.VIEW)
    assert all_chains_intact()
    assert audit_prune_read_events() == 0


def test_when_every_read_is_pruned_the_next_read_links_to_the_checkpoint(world):
    with time_machine.travel(timezone.now() - dt.timedelta(days=400), tick=True):
        audit_record(actor=world.mette, action=Action.VIEW)
    audit_prune_read_events()
    assert not AuditEvent.objects.filter(chain=Chain.READ).exists()
    event = audit_record(actor=world.mette, action=Action.VIEW)
    assert event.prev_hash == AuditCheckpoint.objects.get().last_pruned_hash
    assert all_chains_intact()


def test_a_forged_checkpoint_hiding_deleted_reads_is_detected(world):
    written = [e for e in _many_events(world, 20) if e.chain == Chain.READ]
    _as_superuser_without_triggers("DELETE FROM audit_auditevent WHERE id <= %s AND chain = 'read'", [written[2].pk])
    AuditCheckpoint.objects.create(
        chain=Chain.READ,
        last_pruned_id=written[2].pk,
        last_pruned_hash=written[2].hash,
        events_pruned=3,
        pruned_before=timezone.now(),
    )
    assert audit_verify_chain(Chain.READ).broken is not None
