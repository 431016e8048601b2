"""The decision screens: drafting, the live checklist "Kan afgørelsen træffes?", citing with and
without htmx, approving and issuing. Every write is one service; a refusal answers 400 with its rule
codes on the page; a refused issue attempt is recorded (D6); Aarhus never reaches Aalborg (404)."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from cases import services as case_services
from cases.models import (
    AttemptOutcome,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    DecisionKind,
    DecisionStatus,
    EvidenceKind,
)
from tests.cases.support import (
    REASONS,
    adverse_draft,
    cite,
    heard,
    medical_assessment,
    other_case,
    social_media_finding,
    writes_nothing,
)
from tests.factories import CaseFactory, CitizenFactory
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
D2_MESSAGE = "Et fund fra sociale medier må aldrig stå alene"
D3_MESSAGE = "Borgeren er ikke partshørt om «Billede af julesmåkager»."


@pytest.fixture
def mette_client(client, world):
    client.force_login(world.mette)
    return client


@pytest.fixture
def finding(world):
    """A social-media finding on the cookie case that Hanne has not been heard about."""
    return social_media_finding(world.cookie_case, by=world.mette)


@pytest.fixture
def finding_only(world, finding):
    """The cookie decision as it should never issue: citing only an un-heard finding."""
    decision = adverse_draft(world.cookie_case, by=world.mette, kind=DecisionKind.PRAKTIK_HOURS_INCREASE)
    cite(decision, finding, by=world.mette)
    return decision


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def rule_state(response, rule: str) -> str:
    """The state the checklist shows for one rule line: passed, failed or not-applicable."""
    found = re.search(rf'data-rule="{re.escape(rule)}" data-state="([a-z-]+)"', response.content.decode())
    assert found, f"no checklist line for {rule}"
    return found.group(1)


def url(name: str, *args: int) -> str:
    return reverse(name, args=args)


# --- Drafting -------------------------------------------------------------------------------------------


def test_mette_drafts_a_decision_through_the_form(mette_client, world):
    form_page = mette_client.get(url("decision_draft", world.cookie_case.pk))
    assert form_page.status_code == 200
    assert 'name="summary"' in form_page.content.decode()

    response = mette_client.post(
        url("decision_draft", world.cookie_case.pk),
        {"kind": DecisionKind.BENEFIT_REDUCTION, "summary": "Sygedagpengene nedsættes med 25 %.", **REASONS},
    )

    decision = Decision.objects.get(case=world.cookie_case)
    assert response.status_code == 302
    assert response.url == url("decision_detail", decision.pk)
    assert decision.author == world.mette
    assert decision.status == DecisionStatus.DRAFT
    assert decision.legal_basis == REASONS["legal_basis"]
    page = mette_client.get(response.url)
    assert page.status_code == 200
    assert "Kan afgørelsen træffes?" in page_text(page)
    assert rule_state(page, "D1") == "failed"
    assert rule_state(page, "D4") == "passed"
    assert "Udkastet er oprettet" in page_text(page)


def test_a_draft_without_a_summary_answers_400_with_the_error_next_to_the_field(mette_client, world):
    with writes_nothing():
        response = mette_client.post(
            url("decision_draft", world.cookie_case.pk),
            {"kind": DecisionKind.BENEFIT_REDUCTION, "summary": "   ", **REASONS},
        )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_summary_error"' in content
    assert "Dette felt er påkrævet." in page_text(response)
    assert "Intet er gemt." in page_text(response)


# --- The checklist --------------------------------------------------------------------------------------


def test_the_checklist_shows_every_rule_with_its_code(mette_client, world, finding_only):
    response = mette_client.get(url("decision_detail", finding_only.pk))
    assert response.status_code == 200
    for rule in ("D1", "D2", "D3", "H5", "D4", "D5", "D7"):
        rule_state(response, rule)
    assert rule_state(response, "H5") == "not-applicable"  # no hearing yet
    assert rule_state(response, "D5") == "not-applicable"  # Aalborg does not require four eyes


def test_the_checklist_fails_d2_and_d3_for_an_unheard_finding_alone_then_passes(
    mette_client, world, finding_only, finding
):
    case, mette = world.cookie_case, world.mette
    before = mette_client.get(url("decision_detail", finding_only.pk))
    assert rule_state(before, "D2") == "failed"
    assert rule_state(before, "D3") == "failed"
    assert D2_MESSAGE in page_text(before)
    assert D3_MESSAGE in page_text(before)
    assert "Afgørelsen kan ikke udstedes endnu" in page_text(before)

    cite(finding_only, medical_assessment(case, by=mette), by=mette)
    heard(case, [finding], by=mette)

    after = mette_client.get(url("decision_detail", finding_only.pk))
    for rule in ("D1", "D2", "D3", "H5", "D4", "D7"):
        assert rule_state(after, rule) == "passed", rule
    assert D2_MESSAGE not in page_text(after)
    assert "Alle regler er opfyldt" in page_text(after)


def test_the_checklist_endpoint_returns_just_the_checklist(mette_client, world, finding_only):
    response = mette_client.get(url("decision_checklist", finding_only.pk), headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="decision-checklist"' in content
    assert rule_state(response, "D2") == "failed"


# --- Citing ---------------------------------------------------------------------------------------------


def test_citing_through_htmx_returns_the_evidence_and_the_updated_checklist(mette_client, world, finding_only):
    assessment = medical_assessment(world.cookie_case, by=world.mette)
    assert assessment.title in page_text(mette_client.get(url("decision_detail", finding_only.pk)))

    response = mette_client.post(
        url("decision_cite", finding_only.pk),
        {"evidence_item": assessment.pk, "weighing": "Afgørende: højst 10 timer om ugen."},
        headers=HTMX,
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="decision-basis"')
    assert rule_state(response, "D2") == "passed"
    assert rule_state(response, "D3") == "failed"
    assert f'id="citation-{assessment.pk}"' in content
    assert f'<option value="{assessment.pk}"' not in content  # cited now, no longer offered
    assert "Afgørende: højst 10 timer om ugen." in page_text(response)
    citation = DecisionEvidence.objects.get(decision=finding_only, evidence_item=assessment)
    assert citation.weighing == "Afgørende: højst 10 timer om ugen."


def test_citing_without_javascript_posts_the_form_and_redirects_back(mette_client, world, finding_only):
    assessment = medical_assessment(world.cookie_case, by=world.mette)
    response = mette_client.post(
        url("decision_cite", finding_only.pk), {"evidence_item": assessment.pk, "weighing": "Afgørende."}
    )
    assert response.status_code == 302
    assert response.url == url("decision_detail", finding_only.pk)
    assert finding_only.citations.filter(evidence_item=assessment).exists()
    page = mette_client.get(response.url)
    assert rule_state(page, "D2") == "passed"
    assert "Beviset er citeret i afgørelsen." in page_text(page)


def test_the_page_offers_only_uncited_evidence_of_the_case(mette_client, world, finding_only, finding):
    assessment = medical_assessment(world.cookie_case, by=world.mette)
    elsewhere = medical_assessment(other_case(world), by=world.mette)
    content = mette_client.get(url("decision_detail", finding_only.pk)).content.decode()
    assert f'<option value="{assessment.pk}"' in content
    assert f'<option value="{finding.pk}"' not in content
    assert f'<option value="{elsewhere.pk}"' not in content


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_forged_evidence_id_from_another_case_answers_400_and_writes_nothing(
    mette_client, world, finding_only, headers
):
    elsewhere = medical_assessment(other_case(world), by=world.mette)
    with writes_nothing():
        response = mette_client.post(
            url("decision_cite", finding_only.pk), {"evidence_item": elsewhere.pk, "weighing": "x"}, headers=headers
        )
    assert response.status_code == 400
    assert "Vælg et bevis fra sagen, som afgørelsen ikke allerede bygger på." in page_text(response)
    assert 'id="id_evidence_item_error"' in response.content.decode()
    assert not DecisionEvidence.objects.filter(evidence_item=elsewhere).exists()


def test_evidence_of_another_jobcentre_cannot_be_cited_either(mette_client, world, finding_only):
    aarhus_citizen = CitizenFactory(jobcentre=world.aarhus, acting_user=world.ahmed)
    aarhus_case = CaseFactory(citizen=aarhus_citizen, team=world.aarhus_team, acting_user=world.ahmed)
    aarhus_item = medical_assessment(aarhus_case, by=world.ahmed)
    for forged in (aarhus_item.pk, 999_999, "abc"):
        with writes_nothing():
            response = mette_client.post(url("decision_cite", finding_only.pk), {"evidence_item": forged})
        assert response.status_code == 400


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_fjern_uncites_the_evidence(mette_client, world, finding_only, finding, headers):
    response = mette_client.post(url("decision_uncite", finding_only.pk, finding.pk), headers=headers)
    assert not finding_only.citations.exists()
    if headers:
        assert response.status_code == 200
        assert "<html" not in response.content.decode()
        assert rule_state(response, "D1") == "failed"
        assert rule_state(response, "D2") == "not-applicable"
    else:
        assert response.status_code == 302
        assert response.url == url("decision_detail", finding_only.pk)


# --- Reasons --------------------------------------------------------------------------------------------


def test_the_reasons_form_saves_and_redirects(mette_client, world, finding_only):
    response = mette_client.post(
        url("decision_update_reasons", finding_only.pk),
        {
            "summary": "Praktik øges fra 10 til 15 timer om ugen.",
            "legal_basis": "LAB kapitel 11.",
            "main_considerations": "",
            "facts_relied_on": "Lægeattest.",
        },
    )
    assert response.status_code == 302
    assert response.url == url("decision_detail", finding_only.pk)
    finding_only.refresh_from_db()
    assert finding_only.summary == "Praktik øges fra 10 til 15 timer om ugen."
    page = mette_client.get(response.url)
    assert rule_state(page, "D4") == "failed"
    assert "Angiv de hovedhensyn, der har været bestemmende." in page_text(page)


def test_the_reasons_form_refuses_a_blank_summary(mette_client, world, finding_only):
    with writes_nothing():
        response = mette_client.post(url("decision_update_reasons", finding_only.pk), {"summary": "", **REASONS})
    assert response.status_code == 400
    assert 'id="id_summary_error"' in response.content.decode()


# --- Approving (D5) -------------------------------------------------------------------------------------


def test_only_a_supervisor_other_than_the_author_may_approve(client, world, finding_only):
    client.force_login(world.jonas)
    with writes_nothing():
        by_caseworker = client.post(url("decision_approve", finding_only.pk))
    assert by_caseworker.status_code == 400
    assert "D5.role" in page_text(by_caseworker)
    assert "Kun en leder kan godkende afgørelser." in page_text(by_caseworker)

    verified_login(client, world.susanne)
    own = adverse_draft(world.cookie_case, by=world.susanne)
    with writes_nothing():
        by_author = client.post(url("decision_approve", own.pk))
    assert by_author.status_code == 400
    assert "D5.self" in page_text(by_author)
    assert "Du kan ikke godkende din egen afgørelse." in page_text(by_author)
    assert 'id="approve-form"' not in by_author.content.decode()

    page = client.get(url("decision_detail", finding_only.pk))
    assert 'id="approve-form"' in page.content.decode()
    approved = client.post(url("decision_approve", finding_only.pk))
    assert approved.status_code == 302
    finding_only.refresh_from_db()
    assert finding_only.approved_by == world.susanne


def test_the_approve_button_is_not_shown_to_caseworkers(mette_client, world, finding_only):
    assert 'id="approve-form"' not in mette_client.get(url("decision_detail", finding_only.pk)).content.decode()


# --- Issuing (D6) ---------------------------------------------------------------------------------------


def test_issuing_a_failing_decision_answers_400_with_the_reasons_and_records_the_refusal(
    mette_client, world, finding_only
):
    response = mette_client.post(url("decision_issue", finding_only.pk))

    assert response.status_code == 400
    text = page_text(response)
    assert "Afgørelsen kan ikke udstedes." in text
    assert D2_MESSAGE in text
    assert D3_MESSAGE in text
    attempt = DecisionAttempt.objects.get(decision=finding_only)
    assert attempt.outcome == AttemptOutcome.REFUSED
    assert sorted(attempt.rule_codes) == ["D2", "D3"]
    assert attempt.attempted_by == world.mette
    attempts_table = response.content.decode().split('id="refused-attempts"')[1]
    assert "D2, D3" in attempts_table or "D3, D2" in attempts_table
    assert "Mette Madsen" in attempts_table
    finding_only.refresh_from_db()
    assert finding_only.status == DecisionStatus.DRAFT


def test_issuing_a_passing_decision_redirects_and_freezes_it(mette_client, world, finding_only, finding):
    cite(finding_only, medical_assessment(world.cookie_case, by=world.mette), by=world.mette)
    heard(world.cookie_case, [finding], by=world.mette)

    response = mette_client.post(url("decision_issue", finding_only.pk))

    assert response.status_code == 302
    assert response.url == url("decision_detail", finding_only.pk)
    finding_only.refresh_from_db()
    assert finding_only.status == DecisionStatus.ISSUED
    assert finding_only.issued_by == world.mette
    assert DecisionAttempt.objects.get(decision=finding_only).outcome == AttemptOutcome.ISSUED

    page = mette_client.get(response.url)
    assert page.status_code == 200
    content, text = page.content.decode(), page_text(page)
    assert "Afgørelsen er udstedt." in text
    assert "4 uger" in text
    assert "Mette Madsen" in text
    for form_id in ("issue-form", "reasons-form", "cite-form", "approve-form"):
        assert f'id="{form_id}"' not in content
    assert "Fjern" not in content
    try:
        pdf_url = url("decision_letter_pdf", finding_only.pk)
    except NoReverseMatch:  # built by another screen; the link appears once it exists
        pdf_url = None
    if pdf_url:
        assert f'href="{pdf_url}"' in content


def test_an_issued_decision_refuses_every_change_with_d7(mette_client, world, finding_only, finding):
    assessment = medical_assessment(world.cookie_case, by=world.mette)
    cite(finding_only, assessment, by=world.mette)
    heard(world.cookie_case, [finding], by=world.mette)
    case_services.decision_issue(decision=finding_only, acting_user=world.mette)
    extra = case_services.evidence_add(
        case=world.cookie_case,
        kind=EvidenceKind.EMPLOYER_STATEMENT,
        title="Arbejdsgiverens oplysninger",
        description="Borgeren har ikke været på arbejde.",
        acting_user=world.mette,
    )
    with writes_nothing():
        cited = mette_client.post(url("decision_cite", finding_only.pk), {"evidence_item": extra.pk})
        uncited = mette_client.post(url("decision_uncite", finding_only.pk, assessment.pk))
        reasons = mette_client.post(url("decision_update_reasons", finding_only.pk), {"summary": "Ny", **REASONS})
    for response in (cited, uncited, reasons):
        assert response.status_code == 400
        assert "D7" in page_text(response)
        assert "Afgørelsen er udstedt og kan ikke ændres." in page_text(response)


# --- Access (A1) ----------------------------------------------------------------------------------------


def test_ahmed_in_aarhus_gets_404_on_every_decision_url_of_aalborg(client, world, finding_only, finding):
    client.force_login(world.ahmed)
    pk = finding_only.pk
    with writes_nothing():
        assert client.get(url("decision_draft", world.cookie_case.pk)).status_code == 404
        assert client.post(url("decision_draft", world.cookie_case.pk), {"summary": "x"}).status_code == 404
        assert client.get(url("decision_detail", pk)).status_code == 404
        assert client.get(url("decision_checklist", pk)).status_code == 404
        assert client.post(url("decision_cite", pk), {"evidence_item": finding.pk}).status_code == 404
        assert client.post(url("decision_uncite", pk, finding.pk)).status_code == 404
        assert client.post(url("decision_update_reasons", pk), {"summary": "x"}).status_code == 404
        assert client.post(url("decision_approve", pk)).status_code == 404
        assert client.post(url("decision_issue", pk)).status_code == 404
        assert client.post(url("decision_cite", pk), {"evidence_item": finding.pk}, headers=HTMX).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, finding_only):
    response = client.get(url("decision_detail", finding_only.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_decision_page_costs_the_same_for_2_or_12_cited_items(mette_client, world, finding):
    case, mette = world.cookie_case, world.mette
    items = [
        case_services.evidence_add(
            case=case,
            kind=EvidenceKind.DOCUMENT,
            title=f"Dokument {n}",
            description="Et dokument på sagen.",
            acting_user=mette,
        )
        for n in range(11)
    ]
    heard(case, [finding], by=mette)
    small, large = adverse_draft(case, by=mette), adverse_draft(case, by=mette)
    for item in [finding, items[0]]:
        cite(small, item, by=mette)
    for item in [finding, *items]:
        cite(large, item, by=mette)
    assert large.citations.count() == 12

    def queries_for(decision: Decision) -> int:
        mette_client.get(url("decision_detail", decision.pk))  # warm up: session, content types
        with CaptureQueriesContext(connection) as captured:
            response = mette_client.get(url("decision_detail", decision.pk))
        assert response.status_code == 200
        return len(captured)

    assert queries_for(small) == queries_for(large)

    def htmx_cite_queries(decision: Decision, item_pk: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = mette_client.post(
                url("decision_cite", decision.pk), {"evidence_item": item_pk, "weighing": "x"}, headers=HTMX
            )
        assert response.status_code == 200
        return len(captured)

    extra = medical_assessment(case, by=mette)
    assert htmx_cite_queries(small, extra.pk) == htmx_cite_queries(large, extra.pk)
