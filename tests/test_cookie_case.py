"""The Christmas-cookie case, as it should have gone.

Hanne Jensen is sick-listed. Mette, her caseworker in Aalborg, sees a tip, documents a suspicion,
looks at Hanne's public Facebook profile and finds a photo of Christmas cookies. A draft decision to
add praktik hours resting on that photo alone is refused under D2 and D3. Only after Hanne has been
heard, the deadline has passed and a medical assessment is on the case can a decision issue.
"""

import datetime as dt

import pytest
import time_machine

from cases import services as case_services
from cases.models import AttemptOutcome, DecisionKind, DecisionStatus, JournalNote
from jobcenter.core.violations import RuleViolationError
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import LookupOutcome
from tests.factories import medical_assessment_for, suspicion_for

pytestmark = pytest.mark.django_db


def test_cookie_decision_is_refused_until_heard_and_supported_then_issued(world):
    case, mette = world.cookie_case, world.mette
    now = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(now - dt.timedelta(days=30), tick=True):
        statement = case_services.evidence_add(
            case=case,
            kind="citizen_statement",
            title="Hannes egen beskrivelse af sin funktionsevne",
            description="Hanne oplyser, at hun ikke kan stå op i længere tid.",
            acting_user=mette,
        )
        suspicion = suspicion_for(case, by=mette)
    with time_machine.travel(now - dt.timedelta(days=29), tick=True):
        lookup = smc_services.lookup_record(
            case=case,
            basis=suspicion,
            platform="facebook",
            profile_url="https://www.facebook.com/hanne.jensen.85",
            purpose="Sammenholde Hannes forklaring om funktionsevne med offentlige opslag.",
            content_was_public=True,
            no_contact_confirmed=True,
            outcome=LookupOutcome.FINDINGS,
            performed_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=5),
            acting_user=mette,
        )
        finding = smc_services.finding_record(
            lookup=lookup,
            description="Offentligt billede af julesmåkager med teksten 'Så er der bagt!'.",
            relevance="Kan vise, at borgeren kan stå op i længere tid.",
            url="https://www.facebook.com/photo/123",
            posted_on=dt.date.today() - dt.timedelta(days=31),
            acting_user=mette,
        )
        finding = smc_services.finding_mark_for_use(finding=finding, title="Billede af julesmåkager", acting_user=mette)
        decision = case_services.decision_draft(
            case=case,
            kind=DecisionKind.PRAKTIK_HOURS_INCREASE,
            summary="Praktik øges fra 10 til 20 timer om ugen.",
            legal_basis="Lov om en aktiv beskæftigelsesindsats kapitel 11.",
            main_considerations="Borgeren synes at kunne mere end oplyst.",
            facts_relied_on="Billede på Facebook.",
            acting_user=mette,
        )
        case_services.decision_cite_evidence(
            decision=decision, evidence_item=finding.evidence_item, weighing="Tillagt vægt.", acting_user=mette
        )
        with pytest.raises(RuleViolationError) as refused:
            case_services.decision_issue(decision=decision, acting_user=mette)
        assert sorted(refused.value.codes) == ["D2", "D3"]
        attempt = decision.attempts.get()
        assert attempt.outcome == AttemptOutcome.REFUSED
        assert sorted(attempt.rule_codes) == ["D2", "D3"]
        assert JournalNote.objects.filter(case=case, text__contains="afvist").exists()

        hearing = case_services.hearing_send(
            case=case,
            items=[(finding.evidence_item, "Vi forstår billedet sådan, at du kan stå op i længere tid.")],
            acting_user=mette,
        )
        assert "julesmåkager" in hearing.letter_text
    with time_machine.travel(now, tick=True):
        with pytest.raises(RuleViolationError) as still_refused:
            case_services.decision_issue(decision=decision, acting_user=mette)
        assert still_refused.value.codes == ["D2"]
        assessment = medical_assessment_for(case, by=mette)
        case_services.decision_cite_evidence(
            decision=decision, evidence_item=assessment, weighing="Afgørende: højst 10 timer.", acting_user=mette
        )
        case_services.decision_cite_evidence(
            decision=decision, evidence_item=statement, weighing="Stemmer med lægen.", acting_user=mette
        )
        issued = case_services.decision_issue(decision=decision, acting_user=mette)
    assert issued.status == DecisionStatus.ISSUED
    assert "4 uger" in issued.complaint_guidance
    assert [a.outcome for a in decision.attempts.order_by("attempted_at")] == ["refused", "refused", "issued"]
