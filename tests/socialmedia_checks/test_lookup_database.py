"""The database holds L1 (and a few L8 shapes) on its own: rows written past the services, with
bulk_create, queryset.update or raw SQL, are refused by check constraints and composite foreign keys."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jobcenter.organisation.selectors import policy_current
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, FindingStatus, Lookup, LookupOutcome
from tests.factories import CaseFactory, suspicion_for, tip_for
from tests.socialmedia_checks.conftest import HANNE_PROFILE, record_lookup

pytestmark = pytest.mark.django_db


def raw_lookup(case, *, by, tip=None, suspicion=None, **overrides) -> Lookup:
    """A lookup as a row only, never seen by the rules."""
    fields = {
        "case": case,
        "tip": tip,
        "suspicion": suspicion,
        "policy": policy_current(jobcentre=case.citizen.jobcentre_id),
        "platform": "facebook",
        "profile_url": HANNE_PROFILE,
        "purpose": "Direkte indsat uden om reglerne.",
        "content_was_public": True,
        "no_contact_confirmed": True,
        "outcome": LookupOutcome.NOTHING_RELEVANT,
        "performed_by": by,
        "performed_at": timezone.now() - dt.timedelta(minutes=5),
        **overrides,
    }
    return Lookup(**fields)


def insert_now(lookup: Lookup) -> None:
    """Insert with the deferred composite foreign keys checked at once rather than at commit."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Lookup.objects.bulk_create([lookup])


def execute_immediately(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql, params)


def insert_deferred_then_check(lookup: Lookup) -> None:
    """Insert as the app would (constraint deferred), then ask for the check a COMMIT would make."""
    with transaction.atomic():
        Lookup.objects.bulk_create([lookup])
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS lookup_tip_on_same_case IMMEDIATE")


@pytest.fixture
def other_case(world):
    """Another citizen's case on Mette's team, with its own tip and suspicion."""
    case = CaseFactory(team=world.sygedagpenge_team, acting_user=world.jonas)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=world.jonas)
        suspicion = suspicion_for(case, by=world.jonas)
    return case, tip, suspicion


def test_db_accepts_a_lookup_with_one_basis_on_its_own_case(prepared):
    """The control: the shapes below fail because of the basis, not because of the rest of the row."""
    insert_now(raw_lookup(prepared.case, by=prepared.mette, tip=prepared.tip))
    insert_now(raw_lookup(prepared.case, by=prepared.mette, suspicion=prepared.suspicion))
    assert Lookup.objects.filter(case=prepared.case).count() == 2


def test_db_refuses_a_lookup_with_both_tip_and_suspicion(prepared):
    with pytest.raises(IntegrityError, match="lookup_exactly_one_basis"):
        insert_now(raw_lookup(prepared.case, by=prepared.mette, tip=prepared.tip, suspicion=prepared.suspicion))
    assert not Lookup.objects.exists()


def test_db_refuses_a_lookup_with_no_basis(prepared):
    with pytest.raises(IntegrityError, match="lookup_exactly_one_basis"):
        insert_now(raw_lookup(prepared.case, by=prepared.mette))
    assert not Lookup.objects.exists()


def test_db_refuses_a_lookup_on_a_tip_of_another_case(prepared, other_case):
    _case, others_tip, _suspicion = other_case
    with pytest.raises(IntegrityError, match="lookup_tip_on_same_case"):
        insert_now(raw_lookup(prepared.case, by=prepared.mette, tip=others_tip))
    assert not Lookup.objects.exists()


def test_db_refuses_a_lookup_on_a_suspicion_of_another_case(prepared, other_case):
    _case, _tip, others_suspicion = other_case
    with pytest.raises(IntegrityError, match="lookup_suspicion_on_same_case"):
        insert_now(raw_lookup(prepared.case, by=prepared.mette, suspicion=others_suspicion))
    assert not Lookup.objects.exists()


def test_db_refuses_moving_a_lookup_onto_another_cases_basis(prepared, other_case):
    lookup = record_lookup(prepared.case, prepared.tip, by=prepared.mette)
    _case, others_tip, _suspicion = other_case
    with pytest.raises(IntegrityError, match="lookup_tip_on_same_case"):
        execute_immediately(
            "UPDATE socialmedia_checks_lookup SET tip_id = %s WHERE id = %s", [others_tip.pk, lookup.pk]
        )
    lookup.refresh_from_db()
    assert lookup.tip_id == prepared.tip.pk


def test_db_composite_key_is_deferred_to_commit_and_still_refuses(prepared, other_case):
    """Initially deferred: the bad row is accepted by the INSERT but refused when constraints are checked."""
    _case, others_tip, _suspicion = other_case
    with pytest.raises(IntegrityError, match="lookup_tip_on_same_case"):
        insert_deferred_then_check(raw_lookup(prepared.case, by=prepared.mette, tip=others_tip))
    assert not Lookup.objects.exists()


def test_db_refuses_a_lookup_performed_after_it_was_recorded(prepared):
    future = raw_lookup(
        prepared.case, by=prepared.mette, tip=prepared.tip, performed_at=timezone.now() + dt.timedelta(hours=1)
    )
    with pytest.raises(IntegrityError, match="lookup_not_performed_in_future"):
        insert_now(future)


@pytest.fixture
def finding(prepared):
    lookup = record_lookup(prepared.case, prepared.tip, by=prepared.mette)
    return smc_services.finding_record(
        lookup=lookup,
        description="Offentligt billede af julesmåkager.",
        relevance="Kan vise, at borgeren kan stå op i længere tid.",
        url="https://www.facebook.com/photo/123",
        acting_user=prepared.mette,
    )


def test_db_refuses_a_purged_finding_that_keeps_its_content(finding):
    with pytest.raises(IntegrityError, match="finding_purge_leaves_metadata"), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.PURGED, purged_at=timezone.now())
    finding.refresh_from_db()
    assert finding.status == FindingStatus.RECORDED


def test_db_refuses_a_finding_marked_for_use_without_evidence_item(finding):
    with pytest.raises(IntegrityError, match="finding_evidence_iff_marked"), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(status=FindingStatus.MARKED_FOR_USE)


def test_db_refuses_a_sha256_that_is_not_64_hex_digits(finding):
    with pytest.raises(IntegrityError, match="finding_sha256_hex"), transaction.atomic():
        Finding.objects.filter(pk=finding.pk).update(attachment_sha256="not-a-hash")
