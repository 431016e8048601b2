"""Scenarios that grow the test world, shared by the query-count tests."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from cases import services as case_services
from cases.models import DecisionKind, EvidenceKind
from jobcenter.core.violations import RuleViolationError
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import LookupOutcome
from tests.factories import suspicion_for, tip_for


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
