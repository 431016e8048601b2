"""The synthetic data generator on the tiny profile: counts, determinism, chains, rules and bench fixtures."""

import hashlib
import random

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases.models import Case, Decision, DecisionStatus, Hearing, Suspicion, Tip
from cases.rules import check_decision_issue
from cases.selectors import cases_visible_to, decision_facts
from jobcenter.audit.models import AuditEvent
from jobcenter.audit.services import audit_verify
from jobcenter.core import clock
from jobcenter.organisation.models import Jobcentre
from jobcenter.synthetic import fixtures
from jobcenter.synthetic.profiles import PROFILES
from socialmedia_checks.models import Lookup

TINY = PROFILES["tiny"]
# Like every transactional test here: the database is restored, not flushed, so the tests after it find
# what migrations made (content types, groups) exactly once.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DIGEST_TABLES = ("cases_citizen", "cases_case", "cases_decision", "socialmedia_checks_lookup", "audit_auditevent")


def generate() -> None:
    call_command("generate_synthetic", profile="tiny", seed=7)


def digest() -> str:
    sha = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in DIGEST_TABLES:
            cursor.execute(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t")
            sha.update(str(cursor.fetchone()[0]).encode())
    return sha.hexdigest()


def wipe() -> None:
    kept = {"auth_permission", "django_content_type", "django_migrations"}
    tables = [
        table
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False)
        if table not in kept
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def main_cases() -> object:
    return Case.objects.filter(citizen__jobcentre__municipality_code=fixtures.MAIN_MUNICIPALITY_CODE)


def test_counts_match_the_profile() -> None:
    generate()
    main = main_cases()
    assert main.count() == TINY.cases  # type: ignore[attr-defined]
    assert main.filter(status="open").count() == TINY.open_cases  # type: ignore[attr-defined]
    code = fixtures.MAIN_MUNICIPALITY_CODE
    assert (
        Tip.objects.filter(case__citizen__jobcentre__municipality_code=code).count()
        + Suspicion.objects.filter(case__citizen__jobcentre__municipality_code=code).count()
        == TINY.bases
    )
    assert Lookup.objects.filter(case__citizen__jobcentre__municipality_code=code).count() == TINY.lookups
    assert Hearing.objects.filter(case__citizen__jobcentre__municipality_code=code).count() == TINY.hearings
    assert Decision.objects.filter(case__citizen__jobcentre__municipality_code=code).count() == TINY.decisions
    assert AuditEvent.objects.count() >= TINY.audit_events_min
    assert Jobcentre.objects.count() == 1 + len(fixtures.DECOY_MUNICIPALITY_CODES)


def test_same_seed_gives_the_same_rows() -> None:
    generate()
    first = digest()
    wipe()
    generate()
    assert digest() == first


def test_audit_chains_verify() -> None:
    generate()
    results = audit_verify(raise_alert=False)
    assert {r.chain: r.broken for r in results} == {"change": None, "read": None}
    assert all(r.checked > 0 for r in results)


def test_every_lookup_rests_on_an_earlier_basis_of_its_own_case() -> None:
    generate()
    for lookup in Lookup.objects.select_related("tip", "suspicion"):
        basis = lookup.tip or lookup.suspicion
        assert basis is not None
        assert basis.case_id == lookup.case_id
        assert basis.recorded_at < lookup.performed_at


def test_issued_decisions_pass_the_decision_rules() -> None:
    generate()
    issued = list(Decision.objects.filter(status=DecisionStatus.ISSUED).select_related("case__citizen"))
    for decision in random.Random(1).sample(issued, 50):
        facts = decision_facts(decision)
        violations = [
            v
            for v in check_decision_issue(
                facts.__class__(**{**facts.__dict__, "is_issued": False}), today=clock.today()
            )
        ]
        assert violations == [], decision.pk


def test_bench_fixtures_exist_and_the_caseworker_sees_the_showcase() -> None:
    generate()
    caseworker = User.objects.get(username=fixtures.BENCH_CASEWORKER)
    assert User.objects.filter(username=fixtures.BENCH_SUPERVISOR).exists()
    assert User.objects.filter(username=fixtures.BENCH_UNION).exists()
    assert caseworker.check_password(fixtures.BENCH_PASSWORD)
    showcase = Case.objects.get(reference=fixtures.SHOWCASE_REFERENCE)
    assert showcase.citizen.cpr == fixtures.SHOWCASE_CPR
    assert cases_visible_to(caseworker).filter(pk=showcase.pk).exists()
    assert showcase.decisions.filter(status=DecisionStatus.DRAFT, citations__isnull=False).exists()
    assert showcase.mandates.filter(representative__username=fixtures.BENCH_UNION, revoked_at__isnull=True).exists()


def test_refuses_a_database_with_cases() -> None:
    generate()
    with pytest.raises(CommandError, match="not empty"):
        generate()
