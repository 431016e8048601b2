"""No page of the caseworker's journeys costs more queries as the case's timeline grows.

The cookie case is built once with one of everything (tip, suspicion, lookup, finding, evidence,
hearing, decision with citations, a refused attempt), every page is measured, then the case grows by
many more of each and every page must cost exactly the same number of queries."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import DecisionKind, EvidenceKind
from jobcenter.core.violations import RuleViolationError
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import LookupOutcome
from tests.factories import suspicion_for, tip_for

pytestmark = pytest.mark.django_db


def grow(world, *, rounds: int) -> dict:
    """Add `rounds` of every kind of timeline entry to the cookie case; return the latest of each."""
    case, mette = world.cookie_case, world.mette
    made: dict = {}
    for number in range(rounds):
        with time_machine.travel(timezone.now() - dt.timedelta(hours=2), tick=True):
            made["evidence"] = case_services.evidence_add(
                case=case,
                kind=EvidenceKind.CITIZEN_STATEMENT,
                title=f"Hannes oplysninger {number}",
                description="Kan ikke stå op længe.",
                acting_user=mette,
            )
            tip_for(case, by=mette, summary=f"Anmeldelse {number}")
            suspicion = suspicion_for(case, by=mette)
        case_services.journal_note_add(case=case, text=f"Notat {number}", acting_user=mette)
        made["lookup"] = smc_services.lookup_record(
            case=case,
            basis=suspicion,
            platform="facebook",
            profile_url="https://www.facebook.com/hanne.jensen.85",
            purpose="Sammenholde forklaringen med offentlige opslag.",
            content_was_public=True,
            no_contact_confirmed=True,
            outcome=LookupOutcome.FINDINGS,
            performed_at=timezone.now() - dt.timedelta(minutes=1),
            acting_user=mette,
        )
        finding = smc_services.finding_record(
            lookup=made["lookup"],
            description=f"Billede {number}",
            relevance="Kan belyse funktionsevnen.",
            url="https://www.facebook.com/photo/1",
            posted_on=dt.date.today(),
            acting_user=mette,
        )
        made["finding"] = smc_services.finding_record(
            lookup=made["lookup"], description=f"Andet billede {number}", relevance="Måske.", acting_user=mette
        )
        finding = smc_services.finding_mark_for_use(finding=finding, title=f"Billede {number}", acting_user=mette)
        made["hearing"] = case_services.hearing_send(
            case=case, items=[(finding.evidence_item, "Vi læser billedet som bagning.")], acting_user=mette
        )
        made["decision"] = case_services.decision_draft(
            case=case, kind=DecisionKind.PRAKTIK_HOURS_INCREASE, summary=f"Udkast {number}", acting_user=mette
        )
        case_services.decision_cite_evidence(
            decision=made["decision"], evidence_item=finding.evidence_item, weighing="Vægtet.", acting_user=mette
        )
        case_services.decision_cite_evidence(
            decision=made["decision"], evidence_item=made["evidence"], weighing="Vægtet.", acting_user=mette
        )
        with pytest.raises(RuleViolationError):
            case_services.decision_issue(decision=made["decision"], acting_user=mette)
    return made


def journey_pages(world, made) -> dict[str, str]:
    case = world.cookie_case
    return {
        "home": reverse("home"),
        "search": reverse("search"),
        "case_detail": reverse("case_detail", args=[case.pk]),
        "journal_note_add": reverse("journal_note_add", args=[case.pk]),
        "tip_record": reverse("tip_record", args=[case.pk]),
        "suspicion_record": reverse("suspicion_record", args=[case.pk]),
        "evidence_add": reverse("evidence_add", args=[case.pk]),
        "lookup_record": reverse("lookup_record", args=[case.pk]),
        "finding_record": reverse("finding_record", args=[made["lookup"].pk]),
        "finding_mark_for_use": reverse("finding_mark_for_use", args=[made["finding"].pk]),
        "hearing_send": reverse("hearing_send", args=[case.pk]),
        "hearing_detail": reverse("hearing_detail", args=[made["hearing"].pk]),
        "decision_draft": reverse("decision_draft", args=[case.pk]),
        "decision_detail": reverse("decision_detail", args=[made["decision"].pk]),
        "decision_checklist": reverse("decision_checklist", args=[made["decision"].pk]),
    }


def measure(client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_every_journey_page_costs_the_same_queries_whatever_the_timeline_holds(client, world):
    client.force_login(world.mette)
    small = measure(client, journey_pages(world, grow(world, rounds=1)))
    large = measure(client, journey_pages(world, grow(world, rounds=8)))
    assert large == small
    assert max(small.values()) <= 30, small
