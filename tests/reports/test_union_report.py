"""Lone from 3F reads the report of Hanne's cookie case, and only while Hanne's power of attorney is in
force (A2): revocation and expiry take effect on the very next request. The report shows the timeline,
lookups, findings, hearings, decisions with their reasons, the complaint deadline, every refused attempt
with its rule codes and a compliance summary, and never the tipper's identity. Every read is audited (A3)."""

import datetime as dt
import re
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cases import services as case_services
from cases.letters import complaint_deadline
from cases.models import DecisionKind, TipChannel
from cases.rules import CitedItemFacts, DecisionFacts, HearingItemFacts
from jobcenter.audit.models import Action, AuditEvent
from jobcenter.core import clock
from jobcenter.core.violations import RuleViolationError
from jobcenter.reports import compliance
from jobcenter.reports.compliance import Status
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import LookupOutcome
from socialmedia_checks.rules import BasisFacts, LookupFacts, LookupPolicyFacts
from tests.factories import CaseFactory, days_from_today, mandate_for_lone, medical_assessment_for
from tests.otp_plugin import verified_login
from tests.scenarios import grow

pytestmark = pytest.mark.django_db

TIPPER = "Gudrun Zebedæus-Kvistgaard"


def cookie_history(world) -> dict:
    """The cookie case as it went: a tip (with a named tipper), a lookup, a finding, a refused decision,
    a hearing that Hanne answered, then a medical assessment and the decision issued."""
    case, mette = world.cookie_case, world.mette
    now = clock.now()
    made: dict = {}
    with time_machine.travel(now - dt.timedelta(days=30), tick=True):
        statement = case_services.evidence_add(
            case=case,
            kind="citizen_statement",
            title="Hannes egen beskrivelse af sin funktionsevne",
            description="Hanne oplyser, at hun ikke kan stå op i længere tid.",
            acting_user=mette,
        )
        made["tip"] = case_services.tip_record(
            case=case,
            channel=TipChannel.PHONE,
            received_on=clock.today(),
            summary="Borgeren bager småkager til julemarkedet.",
            tipper_identity=TIPPER,
            acting_user=mette,
        )
    with time_machine.travel(now - dt.timedelta(days=29), tick=True):
        lookup = smc_services.lookup_record(
            case=case,
            basis=made["tip"],
            platform="facebook",
            profile_url="https://www.facebook.com/hanne.jensen.85",
            purpose="Sammenholde Hannes forklaring om funktionsevne med offentlige opslag.",
            content_was_public=True,
            no_contact_confirmed=True,
            outcome=LookupOutcome.FINDINGS,
            performed_at=clock.now() - dt.timedelta(minutes=5),
            acting_user=mette,
        )
        finding = smc_services.finding_record(
            lookup=lookup,
            description="Offentligt billede af julesmåkager med teksten 'Så er der bagt!'.",
            relevance="Kan vise, at borgeren kan stå op i længere tid.",
            url="https://www.facebook.com/photo/123",
            posted_on=clock.today() - dt.timedelta(days=2),
            acting_user=mette,
        )
        finding = smc_services.finding_mark_for_use(finding=finding, title="Billede af julesmåkager", acting_user=mette)
        decision = case_services.decision_draft(
            case=case,
            kind=DecisionKind.PRAKTIK_HOURS_INCREASE,
            summary="Praktik øges fra 10 til 20 timer om ugen.",
            legal_basis="Lov om en aktiv beskæftigelsesindsats kapitel 11.",
            main_considerations="Borgerens arbejdsevne er vurderet af egen læge.",
            facts_relied_on="Lægeattest og borgerens egne oplysninger.",
            acting_user=mette,
        )
        case_services.decision_cite_evidence(
            decision=decision, evidence_item=finding.evidence_item, weighing="Indgår som støtte.", acting_user=mette
        )
        with pytest.raises(RuleViolationError):
            case_services.decision_issue(decision=decision, acting_user=mette)
        made["hearing"] = case_services.hearing_send(
            case=case,
            items=[(finding.evidence_item, "Vi forstår billedet sådan, at du kan stå op i længere tid.")],
            acting_user=mette,
        )
    with time_machine.travel(now - dt.timedelta(days=25), tick=True):
        case_services.hearing_record_response(
            hearing=made["hearing"],
            response_text="Jeg bagte småkagerne siddende ved køkkenbordet.",
            acting_user=mette,
        )
    assessment = medical_assessment_for(case, by=mette)
    for item, weighing in ((assessment, "Afgørende: højst 20 timer."), (statement, "Stemmer med lægen.")):
        case_services.decision_cite_evidence(
            decision=decision, evidence_item=item, weighing=weighing, acting_user=mette
        )
    made["decision"] = case_services.decision_issue(decision=decision, acting_user=mette)
    made["finding"] = finding
    made["lookup"] = lookup
    return made


def report_url(case) -> str:
    return reverse("union_case_report", args=[case.pk])


def pdf_url(case) -> str:
    return reverse("union_case_report_pdf", args=[case.pk])


@pytest.fixture
def lone_client(client, world):
    return verified_login(client, world.lone)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def compliance_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-rule="([^"]+)" data-status="([^"]+)"', html)


# --- Who may read it ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["mette", "susanne", "ahmed"])
def test_every_other_role_is_refused_the_union_screens(client, world, persona):
    mandate_for_lone(world)
    verified_login(client, getattr(world, persona))
    for url in (reverse("union_landing"), report_url(world.cookie_case), pdf_url(world.cookie_case)):
        assert client.get(url).status_code == 403, url
    assert AuditEvent.objects.filter(actor=getattr(world, persona), action=Action.ACCESS_DENIED).count() == 3


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(report_url(world.cookie_case))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_without_a_mandate_the_case_does_not_exist_for_lone(lone_client, world):
    assert lone_client.get(report_url(world.cookie_case)).status_code == 404
    assert lone_client.get(pdf_url(world.cookie_case)).status_code == 404
    landing = lone_client.get(reverse("union_landing"))
    assert landing.status_code == 200
    assert world.cookie_case.reference not in landing.content.decode()
    assert AuditEvent.objects.filter(actor=world.lone, action=Action.ACCESS_DENIED).count() == 2


def test_a_mandate_for_another_case_of_the_citizen_does_not_open_this_one(lone_client, world):
    other = CaseFactory(citizen=world.cookie_case.citizen, team=world.sygedagpenge_team, acting_user=world.mette)
    mandate_for_lone(world, case=other)
    assert lone_client.get(report_url(other)).status_code == 200
    assert lone_client.get(report_url(world.cookie_case)).status_code == 404


def test_a_mandate_for_all_the_citizens_cases_opens_each_and_the_landing_lists_them(lone_client, world):
    other = CaseFactory(citizen=world.cookie_case.citizen, team=world.sygedagpenge_team, acting_user=world.mette)
    stranger = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
    mandate_for_lone(world)
    landing = lone_client.get(reverse("union_landing")).content.decode()
    assert world.cookie_case.reference in landing
    assert other.reference in landing
    assert stranger.reference not in landing
    assert lone_client.get(report_url(other)).status_code == 200
    assert lone_client.get(report_url(stranger)).status_code == 404


def test_a_mandate_that_has_not_started_opens_nothing(lone_client, world):
    mandate_for_lone(world, valid_from=days_from_today(1))
    assert lone_client.get(report_url(world.cookie_case)).status_code == 404
    assert world.cookie_case.reference not in lone_client.get(reverse("union_landing")).content.decode()


def test_revocation_takes_effect_on_the_very_next_request(lone_client, world):
    mandate = mandate_for_lone(world)
    assert lone_client.get(report_url(world.cookie_case)).status_code == 200
    assert world.cookie_case.reference in lone_client.get(reverse("union_landing")).content.decode()

    case_services.mandate_revoke(mandate=mandate, acting_user=world.mette)

    assert lone_client.get(report_url(world.cookie_case)).status_code == 404
    assert lone_client.get(pdf_url(world.cookie_case)).status_code == 404
    assert world.cookie_case.reference not in lone_client.get(reverse("union_landing")).content.decode()


def local_moment(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_expiry_takes_effect_on_the_very_next_request(client, world):
    last_day = days_from_today(2)
    mandate_for_lone(world, valid_to=last_day)
    with time_machine.travel(local_moment(last_day, 23, 58), tick=True):
        verified_login(client, world.lone)
        assert client.get(report_url(world.cookie_case)).status_code == 200  # the last day still counts
        assert world.cookie_case.reference in client.get(reverse("union_landing")).content.decode()
    with time_machine.travel(local_moment(last_day + dt.timedelta(days=1), 0, 1), tick=True):
        assert client.get(report_url(world.cookie_case)).status_code == 404
        assert client.get(pdf_url(world.cookie_case)).status_code == 404
        assert world.cookie_case.reference not in client.get(reverse("union_landing")).content.decode()


def test_a_representative_who_left_the_union_loses_its_mandates(lone_client, world):
    from jobcenter.organisation import services as org_services

    mandate_for_lone(world)
    other_union = org_services.union_create(name="HK", acting_user=None)
    world.lone.staff_profile.union = other_union
    world.lone.staff_profile.save()
    assert lone_client.get(report_url(world.cookie_case)).status_code == 404


def test_lone_sees_no_caseworker_navigation(lone_client, world):
    mandate_for_lone(world)
    page = lone_client.get(reverse("union_landing")).content.decode()
    assert reverse("union_landing") in page
    assert f'href="{reverse("search")}"' not in page
    assert f'href="{reverse("citizen_create")}"' not in page
    assert f'href="{reverse("home")}"' not in page


# --- What the report holds --------------------------------------------------------------------------------


def test_the_report_shows_the_whole_history_and_never_the_tipper(lone_client, world):
    made = cookie_history(world)
    mandate_for_lone(world)
    response = lone_client.get(report_url(world.cookie_case))
    assert response.status_code == 200
    html = response.content.decode()
    decision = made["decision"]
    assert world.cookie_case.reference in html
    assert TIPPER not in html
    assert "Borgeren bager småkager til julemarkedet." in html
    assert "Sammenholde Hannes forklaring om funktionsevne med offentlige opslag." in html
    assert "Ingen fælles profil angivet" in html
    assert "Offentligt billede af julesmåkager" in html
    assert "Jeg bagte småkagerne siddende ved køkkenbordet." in html
    assert made["hearing"].deadline.strftime("%d.%m.%Y") in html
    assert "Lov om en aktiv beskæftigelsesindsats kapitel 11." in html
    assert "Afgørende: højst 20 timer." in html
    deadline = complaint_deadline(issued_on=clock.localdate(decision.issued_at))
    assert f"Klagefrist {deadline:%d.%m.%Y}" in html
    refused = html.split('class="refused-attempt"')[1].split("</li>")[0]
    assert '<span class="badge badge-error">D2</span>' in refused
    assert '<span class="badge badge-error">D3</span>' in refused


def test_the_compliance_summary_shows_each_rule_passed_or_broken_and_since_when(lone_client, world):
    made = cookie_history(world)
    mandate_for_lone(world)
    html = lone_client.get(report_url(world.cookie_case)).content.decode()
    rows = compliance_rows(html)
    for rule in ("L1", "L2", "L4", "L5", "L8", "H2", "H5", "D1", "D2", "D3", "D4", "D6", "D7"):
        assert (rule, "passed") in rows, rule
    assert not [row for row in rows if row[1] == "broken"]
    hearing_line = html.split('data-rule="H5"')[1].split("</tr>")[0]
    made["hearing"].refresh_from_db()
    answered = clock.localtime(made["hearing"].response_received_at)
    assert answered.strftime("%d.%m.%Y %H:%M") in hearing_line
    refusal_line = html.split('data-rule="D6"')[1].split("</tr>")[0]
    assert "D2, D3" in refusal_line


def test_the_report_pdf_is_a_real_pdf_with_reference_codes_and_complaint_deadline(lone_client, world):
    made = cookie_history(world)
    mandate_for_lone(world)
    response = lone_client.get(pdf_url(world.cookie_case))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="sagsrapport-{world.cookie_case.reference}.pdf"'
    text = squeeze(pdf_text(response.content))
    assert squeeze(world.cookie_case.reference) in text
    assert "D2" in text
    assert "D3" in text
    deadline = complaint_deadline(issued_on=clock.localdate(made["decision"].issued_at))
    assert squeeze(f"Klagefrist {deadline:%d.%m.%Y}") in text
    assert squeeze(TIPPER) not in text


def test_every_view_and_download_is_an_audit_event(lone_client, world):
    mandate_for_lone(world)
    case = world.cookie_case
    assert lone_client.get(report_url(case)).status_code == 200
    assert lone_client.get(pdf_url(case)).status_code == 200
    view = AuditEvent.objects.get(actor=world.lone, action=Action.VIEW, case_id=case.pk)
    assert view.details["url_name"] == "union_case_report"
    export = AuditEvent.objects.get(actor=world.lone, action=Action.EXPORT)
    assert export.case_id == case.pk
    assert export.details["export"] == "union_report"


def test_the_report_costs_the_same_queries_however_much_the_case_holds(lone_client, world):
    mandate_for_lone(world)
    pages = [report_url(world.cookie_case), reverse("union_landing")]

    def measure() -> list[int]:
        counts = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert lone_client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    grow(world, rounds=1)
    small = measure()
    grow(world, rounds=6)
    other = CaseFactory(citizen=world.cookie_case.citizen, team=world.sygedagpenge_team, acting_user=world.mette)
    assert other.pk
    large = measure()
    assert large == small
    # Login, second factor, roles and the audit chain take about half; the report one query per kind of row.
    assert max(small) <= 35, small


# --- The compliance rules as pure functions ------------------------------------------------------------------

NOW = dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC)


def lookup_facts(**overrides) -> compliance.LookupComplianceFacts:
    base = {
        "case_id": 1,
        "case_jobcentre_id": 1,
        "bases": (
            BasisFacts(
                kind="tip",
                case_id=1,
                is_open=False,
                recorded_at=NOW - dt.timedelta(days=1),
                states_unjustified_benefit=False,
            ),
        ),
        "platform": "facebook",
        "profile_url": "https://www.facebook.com/hanne",
        "purpose": "Sammenholde forklaringen.",
        "content_was_public": True,
        "material_from_citizen": False,
        "no_contact_confirmed": True,
        "shared_profile": None,
        "performed_at": NOW,
        "earliest_other_information_at": NOW - dt.timedelta(days=2),
    }
    policy = LookupPolicyFacts(
        clear_presumption_required=False,
        shared_profile_required=False,
        social_media_not_first=True,
        allowed_platforms=("facebook",),
    )
    return compliance.LookupComplianceFacts(
        subject="Opslag", lookup=LookupFacts(**{**base, **overrides}), policy=policy, recorded_at=NOW
    )


def by_rule(lines) -> dict[str, compliance.ComplianceLine]:
    return {line.rule: line for line in lines}


def test_l2_is_broken_when_the_basis_was_recorded_after_the_lookup_and_dated_by_the_lookup():
    late = BasisFacts(kind="tip", case_id=1, is_open=True, recorded_at=NOW, states_unjustified_benefit=False)
    lines = by_rule(compliance.lookup_lines(lookup_facts(bases=(late,))))
    assert lines["L2"].status == Status.BROKEN
    assert lines["L2"].since == NOW
    assert lines["L1"].status == Status.PASSED  # a basis closed since is not held against the lookup
    assert "L3" not in lines
    assert "L6" not in lines


def test_l4_is_broken_when_social_media_was_the_first_source():
    lines = by_rule(compliance.lookup_lines(lookup_facts(earliest_other_information_at=None)))
    assert lines["L4"].status == Status.BROKEN
    assert lines["L5"].status == Status.PASSED


def hearing_facts(**overrides) -> compliance.HearingComplianceFacts:
    item = HearingItemFacts(
        evidence_id=1,
        case_id=1,
        is_social_media=True,
        title="Billede",
        description="Småkager",
        occurred_on=NOW.date(),
        source_url="https://www.facebook.com/photo/1",
        authority_reading="Kan stå op.",
    )
    base = {
        "subject": "Partshøring",
        "case_id": 1,
        "items": (item,),
        "sent_at": NOW,
        "sent_on": NOW.date(),
        "original_deadline": NOW.date() + dt.timedelta(days=14),
        "deadline": NOW.date() + dt.timedelta(days=14),
        "response_received_at": None,
        "policy_days": 14,
        "fraud_suspected_when_sent": False,
        "self_incrimination_notice": False,
        "party_representative_ids_when_sent": (),
        "copy_to_representative_id": None,
    }
    return compliance.HearingComplianceFacts(**{**base, **overrides})


def test_h5_waits_then_passes_from_the_day_after_the_deadline():
    facts = hearing_facts()
    waiting = by_rule(compliance.hearing_lines(facts, today=facts.deadline))
    assert waiting["H5"].status == Status.PENDING
    passed = by_rule(compliance.hearing_lines(facts, today=facts.deadline + dt.timedelta(days=1)))
    assert passed["H5"].status == Status.PASSED
    assert passed["H5"].since == facts.deadline + dt.timedelta(days=1)
    assert passed["H2"].status == Status.PASSED
    assert passed["H2"].since == NOW


def test_h2_h3_h4_are_broken_by_a_short_deadline_a_missing_notice_and_a_missing_copy():
    facts = hearing_facts(
        original_deadline=NOW.date() + dt.timedelta(days=7),
        fraud_suspected_when_sent=True,
        party_representative_ids_when_sent=(5,),
    )
    lines = by_rule(compliance.hearing_lines(facts, today=NOW.date()))
    assert lines["H2"].status == Status.BROKEN
    assert lines["H2"].codes == ("H2.deadline",)
    assert lines["H3"].status == Status.BROKEN
    assert lines["H4"].status == Status.BROKEN


def decision_facts(**overrides) -> DecisionFacts:
    base = {
        "is_adverse": True,
        "is_issued": True,
        "author_id": 1,
        "approved_by_id": None,
        "legal_basis": "§ 21",
        "main_considerations": "Hensyn",
        "facts_relied_on": "Fakta",
        "cited": (CitedItemFacts(evidence_id=1, title="Billede", is_social_media=True, weighing="Vægt", hearings=()),),
        "four_eyes_for_social_media": False,
    }
    return DecisionFacts(**{**base, **overrides})


def test_an_issued_decision_resting_on_a_finding_alone_is_shown_broken_since_it_was_issued():
    facts = compliance.DecisionComplianceFacts(
        subject="Afgørelse", facts=decision_facts(), issued_at=NOW, issued_on=NOW.date()
    )
    lines = by_rule(compliance.decision_lines(facts, today=NOW.date() + dt.timedelta(days=40)))
    assert lines["D2"].status == Status.BROKEN
    assert lines["D2"].since == NOW
    assert lines["D3"].status == Status.BROKEN
    assert lines["D1"].status == Status.PASSED
    assert lines["D7"].status == Status.PASSED
    assert "H5" not in lines


def test_a_draft_decision_is_pending_not_broken():
    facts = compliance.DecisionComplianceFacts(subject="Kladde", facts=decision_facts(), issued_at=None, issued_on=None)
    lines = by_rule(compliance.decision_lines(facts, today=NOW.date()))
    assert lines["D2"].status == Status.PENDING
    assert lines["D2"].since is None
    assert "D7" not in lines


def test_a_refused_attempt_is_a_d6_line_with_its_codes_and_the_summary_sorts_by_rule_then_time():
    attempt = compliance.refused_attempt_line(
        compliance.RefusedAttemptFacts(subject="Afgørelse", attempted_at=NOW, rule_codes=("D2", "D3"), messages=())
    )
    assert attempt.rule == "D6"
    assert attempt.codes == ("D2", "D3")
    assert attempt.since == NOW
    later = compliance.lookup_lines(lookup_facts(performed_at=NOW + dt.timedelta(hours=1)))
    earlier = compliance.lookup_lines(lookup_facts())
    summary = compliance.compliance_summary([attempt, *later, *earlier])
    assert summary.rules[0] == "L1"
    assert summary.rules[-1] == "D6"
    l1 = [line for line in summary.lines if line.rule == "L1"]
    assert [line.since for line in l1] == [NOW, NOW + dt.timedelta(hours=1)]
