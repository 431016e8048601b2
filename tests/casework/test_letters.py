"""Letters as PDF: the hearing letter carries what the citizen was told (H2-H4), the decision letter its
reasons (D4) and complaint guidance. Only issued decisions have a letter; other jobcentres get 404."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from cases import services as case_services
from cases.models import EvidenceKind
from jobcenter.casework.pdf import render_pdf
from tests.cases.support import REASONS, adverse_draft, cite, hearing_about, social_media_finding, writes_nothing
from tests.factories import medical_assessment_for

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def squeeze(text: str) -> str:
    """Without whitespace, so a phrase wrapped over two lines of the letter still matches."""
    return re.sub(r"\s+", "", text)


def contains(text: str, phrase: str) -> bool:
    return squeeze(phrase) in squeeze(text)


def test_the_text_reader_reads_danish_letters():
    pdf = render_pdf("letters/base.html", {"jobcentre": {"name": "Jobcenter Ærø"}, "citizen": "Søren Ålund"})
    text = pdf_text(pdf)
    assert "Jobcenter Ærø" in text
    assert "Søren Ålund" in text


# --- The hearing letter ----------------------------------------------------------------------------------------


@pytest.fixture
def mette_client(client, world):
    client.force_login(world.mette)
    return client


def test_the_hearing_letter_is_a_pdf_with_the_finding_and_the_deadline(mette_client, world):
    case = world.cookie_case
    finding = social_media_finding(case, by=world.mette)
    hearing = hearing_about(case, [finding], by=world.mette)
    with writes_nothing():
        response = mette_client.get(reverse("hearing_letter_pdf", args=[hearing.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="partshoering-{case.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert contains(text, "Partshøring")
    assert contains(text, world.aalborg.name)
    assert contains(text, "Hanne Jensen")
    assert contains(text, case.reference)
    assert contains(text, finding.title)
    assert contains(text, "Offentligt billede af julesmåkager")
    assert contains(text, finding.source_url)
    assert contains(text, "Sådan forstår jobcenteret oplysningen")
    assert contains(text, f"senest {hearing.deadline:%d.%m.%Y}")
    assert contains(text, "kan vi træffe afgørelse")
    assert not contains(text, "ikke har pligt til at give oplysninger")


def test_the_hearing_letter_of_a_flagged_case_carries_the_self_incrimination_notice(mette_client, world):
    case = world.cookie_case
    case_services.case_set_fraud_suspicion(
        case=case, fraud_suspected=True, reason="Anmeldelse om sort arbejde.", acting_user=world.mette
    )
    case.refresh_from_db()
    hearing = hearing_about(case, [social_media_finding(case, by=world.mette)], by=world.mette)
    response = mette_client.get(reverse("hearing_letter_pdf", args=[hearing.pk]))
    text = pdf_text(response.content)
    assert contains(text, "du ikke har pligt til at give oplysninger, der kan have betydning for bedømmelsen")
    assert contains(text, "tvangsindgrebsloven § 10")


# --- The decision letter ---------------------------------------------------------------------------------------


@pytest.fixture
def issued_decision(world):
    case, mette = world.cookie_case, world.mette
    assessment = medical_assessment_for(case, by=mette)
    statement = case_services.evidence_add(
        case=case,
        kind=EvidenceKind.CITIZEN_STATEMENT,
        title="Hannes egen beskrivelse af sin funktionsevne",
        description="Hanne oplyser, at hun ikke kan stå op i længere tid.",
        acting_user=mette,
    )
    decision = adverse_draft(case, by=mette)
    cite(decision, assessment, by=mette, weighing="Afgørende: højst 10 timer om ugen.")
    cite(decision, statement, by=mette, weighing="Stemmer med lægens vurdering.")
    return case_services.decision_issue(decision=decision, acting_user=mette)


def test_the_decision_letter_carries_reasons_weighings_and_complaint_guidance(mette_client, world, issued_decision):
    case = world.cookie_case
    with writes_nothing():
        response = mette_client.get(reverse("decision_letter_pdf", args=[issued_decision.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="afgoerelse-{case.reference}.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for phrase in (
        world.aalborg.name,
        "Hanne Jensen",
        case.reference,
        "Sygedagpengene nedsættes med 25 %.",
        "Begrundelse",
        "Retsgrundlag",
        REASONS["legal_basis"],
        REASONS["main_considerations"],
        REASONS["facts_relied_on"],
        "Lægeattest fra egen læge",
        "Afgørende: højst 10 timer om ugen.",
        "Hannes egen beskrivelse af sin funktionsevne",
        "Stemmer med lægens vurdering.",
        "Klagevejledning",
        "4 uger",
        "Ankestyrelsen",
    ):
        assert contains(text, phrase), phrase


def test_a_draft_decision_has_no_letter(mette_client, world):
    draft = adverse_draft(world.cookie_case, by=world.mette)
    assert mette_client.get(reverse("decision_letter_pdf", args=[draft.pk])).status_code == 404


def test_another_jobcentre_gets_404_on_the_letters(client, world, issued_decision):
    assessment = issued_decision.citations.first().evidence_item
    hearing = hearing_about(world.cookie_case, [assessment], by=world.mette)
    client.force_login(world.ahmed)
    assert client.get(reverse("decision_letter_pdf", args=[issued_decision.pk])).status_code == 404
    assert client.get(reverse("hearing_letter_pdf", args=[hearing.pk])).status_code == 404
