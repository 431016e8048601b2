"""Journey 4: the Christmas-cookie case, start to finish, as Mette clicks through it.

Hanne Jensen is sick-listed and has told the jobcentre she cannot stand for long. Mette documents a
suspicion, looks at Hanne's public Facebook profile, records a photo of Christmas cookies with its
screenshot and marks it for use. A decision to add praktik hours resting on that photo alone is refused
under D2 and D3, and the refusal is on the case's timeline. Mette hears Hanne about the photo (letter as
PDF), records her answer, adds a medical assessment, cites it with Hanne's own statement, and the
decision issues with a letter that carries its legal basis and the complaint guidance.
"""

import io
import re
import struct
import zlib

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from cases import services as case_services
from cases.models import EvidenceKind

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LEGAL_BASIS = "Lov om en aktiv beskæftigelsesindsats kapitel 11."
FINDING_TITLE = "Billede af julesmåkager"
STATEMENT_TITLE = "Hannes beskrivelse af sin funktionsevne"
HANNES_ANSWER = "Jeg bagte småkagerne siddende ved køkkenbordet over tre dage."


def tiny_png() -> bytes:
    """A real 1x1 PNG: signature, IHDR, one IDAT row, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8 bits, truecolour
    pixels = zlib.compress(b"\x00\xc8\x8a\x3c")  # filter byte, one golden-brown pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def download_bytes(page: Page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    assert path is not None
    with open(path, "rb") as handle:
        return handle.read()


def cite(page: Page, label: str, weighing: str) -> None:
    """Cite one evidence item through the htmx form and wait for the swapped-in confirmation."""
    form = page.locator("#cite-form")
    form.get_by_label("Bevis", exact=True).select_option(label=label)
    form.get_by_label("Vægtning").fill(weighing)
    form.get_by_role("button", name="Citér bevis").click()
    expect(page.locator("#decision-basis")).to_contain_text("Beviset er citeret. Tjeklisten er opdateret.")
    expect(page.locator("#citations")).to_contain_text(weighing)


def test_cookie_decision_is_refused_until_heard_and_supported_then_issued(
    page: Page, live_server, world, login, shots, axe
):
    case, mette = world.cookie_case, world.mette
    case_services.evidence_add(
        case=case,
        kind=EvidenceKind.CITIZEN_STATEMENT,
        title=STATEMENT_TITLE,
        description="Hanne oplyser, at hun ikke kan stå op i længere tid.",
        acting_user=mette,
    )
    login(mette)

    # 1. The case page, and a documented suspicion.
    page.goto(f"{live_server.url}/sager/{case.pk}/")
    expect(page.get_by_role("heading", name=f"Sag {case.reference}")).to_be_visible()
    shots("case-page")
    axe()
    page.get_by_role("link", name="Dokumentér mistanke").click()
    page.get_by_label("Faglig og saglig begrundelse").fill(
        "En anmelder oplyser, at Hanne har bagt julesmåkager i store mængder, selv om hun har oplyst, "
        "at hun ikke kan stå op i længere tid."
    )
    page.get_by_label("Kontroltema").fill("Funktionsevne under sygemelding")
    shots("suspicion-form")
    axe()
    page.get_by_role("button", name="Registrér mistanke").click()
    expect(page.get_by_text("Mistanken er registreret.")).to_be_visible()

    # 2. The lookup on Facebook, with findings: the app goes on to the finding form.
    page.get_by_role("link", name="Registrér opslag på sociale medier").click()
    expect(page.get_by_role("heading", name="Registrér opslag på sociale medier")).to_be_visible()
    expect(page.locator("#l4-warning")).to_have_count(0)
    page.get_by_label("Mistanke: Funktionsevne under sygemelding", exact=False).check()
    page.get_by_label("Platform", exact=True).select_option(label="Facebook")
    page.get_by_label("Profilens adresse").fill("https://www.facebook.com/hanne.jensen.85")
    page.get_by_label("Formål").fill("Sammenholde Hannes forklaring om funktionsevne med offentlige opslag.")
    page.get_by_label("Indholdet var offentligt tilgængeligt").check()
    page.get_by_label("Jeg bekræfter, at jeg ikke har sendt venneanmodning").check()
    page.get_by_label("Resultat").select_option(label="Relevante oplysninger fundet")
    expect(page.get_by_label("Tidspunkt for opslaget")).not_to_have_value("")
    shots("lookup-form")
    axe()
    page.get_by_role("button", name="Registrér opslag").click()
    expect(page.get_by_text("Opslaget er registreret og journaliseret.")).to_be_visible()
    expect(page.get_by_role("heading", name="Registrér fund")).to_be_visible()
    expect(page.locator("#lookup-summary-heading + dl")).to_contain_text("Relevante oplysninger fundet")

    # 3. The finding, with its screenshot.
    page.get_by_label("Beskrivelse").fill("Billede af julesmåkager med teksten 'Så er der bagt!'.")
    page.get_by_label("Relevans for kontroltemaet").fill("Kan vise, at borgeren kan stå op i længere tid.")
    page.get_by_label("Opslagsdato").fill("2024-12-15")
    page.get_by_label("Adresse på opslaget").fill("https://www.facebook.com/photo/123")
    page.get_by_label("Skærmbillede").set_input_files(
        {"name": "julesmaakager.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    shots("finding-form")
    axe()
    page.get_by_role("button", name="Registrér fund").click()
    expect(page.get_by_text("Fundet er registreret og journaliseret.")).to_be_visible()
    findings = page.locator("#findings")
    expect(findings).to_contain_text("Billede af julesmåkager med teksten")
    expect(findings).to_contain_text("SHA-256")
    shots("finding-recorded")
    axe()

    # 4. Mark the finding for use: it becomes evidence on the case.
    findings.get_by_role("link", name="Markér til brug").click()
    expect(page.locator("#mark-for-use-explanation")).to_be_visible()
    page.get_by_label("Titel på beviset").fill(FINDING_TITLE)
    shots("mark-for-use-form")
    axe()
    page.get_by_role("button", name="Markér til brug").click()
    expect(page.get_by_text("Fundet er nu et bevis i sagen.")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text(f"Fund fra sociale medier: {FINDING_TITLE}")

    # 5. A draft decision.
    page.get_by_role("link", name="Ny afgørelse").click()
    page.get_by_label("Art").select_option(label="Flere timer i praktik eller arbejdsprøvning")
    page.get_by_label("Afgørelsen").fill("Praktik øges fra 10 til 20 timer om ugen")
    page.get_by_label("Retsgrundlag").fill(LEGAL_BASIS)
    page.get_by_label("Hovedhensyn").fill("Borgeren synes at kunne mere end oplyst.")
    page.get_by_label("Faktiske oplysninger lagt til grund").fill("Billede på Facebook.")
    shots("decision-draft-form")
    axe()
    page.get_by_role("button", name="Opret udkast").click()
    expect(page.get_by_role("heading", name="Afgørelse: Flere timer i praktik eller arbejdsprøvning")).to_be_visible()
    decision_url = page.url
    shots("decision-draft")
    axe()

    # 6. Cite the photo alone: the checklist says no under D2 and D3, and issuing is refused.
    cite(page, f"Fund fra sociale medier: {FINDING_TITLE}", "Billedet er tillagt vægt.")
    checklist = page.locator("#decision-checklist")
    expect(checklist.locator(".app-checklist-summary")).to_have_attribute("data-state", "failed")
    d2 = checklist.locator('[data-rule="D2"]')
    d3 = checklist.locator('[data-rule="D3"]')
    expect(d2).to_have_attribute("data-state", "failed")
    expect(d2).to_contain_text("D2")
    expect(d2).to_contain_text("Et fund fra sociale medier må aldrig stå alene")
    expect(d3).to_have_attribute("data-state", "failed")
    expect(d3).to_contain_text("D3")
    expect(d3).to_contain_text(f"Borgeren er ikke partshørt om «{FINDING_TITLE}».")
    shots("checklist-photo-alone")
    axe()

    page.get_by_role("button", name="Udsted afgørelse").click()
    errors = page.locator("#decision-errors")
    expect(errors).to_contain_text("Afgørelsen kan ikke udstedes.")
    expect(errors).to_contain_text("D2")
    expect(errors).to_contain_text("Et fund fra sociale medier må aldrig stå alene")
    expect(errors).to_contain_text("D3")
    expect(errors).to_contain_text(f"Borgeren er ikke partshørt om «{FINDING_TITLE}».")
    attempts = page.locator("#refused-attempts tbody tr")
    expect(attempts).to_have_count(1)
    expect(attempts.first).to_contain_text("D2, D3")
    expect(attempts.first).to_contain_text("Mette Madsen")
    shots("issue-refused")
    axe()

    page.get_by_role("link", name=f"Sag {case.reference}").click()
    refusal = page.locator("#timeline .app-timeline-refusal")
    expect(refusal).to_have_count(1)
    expect(refusal).to_contain_text("Udstedelse afvist: D2, D3")
    shots("timeline-with-refusal")
    axe()

    # 7. Hear Hanne about the photo: preview the letter, send it, download it as PDF.
    page.get_by_role("link", name="Send partshøring").click()
    item = page.locator(".app-hearing-item").filter(has=page.get_by_label(f"Hør borgeren om «{FINDING_TITLE}»"))
    item.get_by_label(f"Hør borgeren om «{FINDING_TITLE}»").check()
    item.get_by_label("Sådan forstår jobcenteret oplysningen").fill(
        "Vi forstår billedet sådan, at du kan stå op i længere tid."
    )
    shots("hearing-form")
    axe()
    page.get_by_role("button", name="Vis brev").click()
    preview = page.locator("#preview")
    expect(preview).to_be_visible()
    expect(preview.locator("#letter-text")).to_contain_text(FINDING_TITLE)
    expect(preview.locator("#letter-text")).to_contain_text("Vi forstår billedet sådan")
    expect(preview).to_contain_text("Brevet kan sendes.")
    shots("hearing-preview")
    axe()
    page.get_by_role("button", name="Send partshøring").click()
    expect(page.get_by_text("Partshøringen er sendt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Partshøring", exact=True)).to_be_visible()
    expect(page.locator("#hearing-status")).to_contain_text("Ikke gennemført")
    shots("hearing-sent")
    axe()
    hearing_pdf = download_bytes(page, "Hent brevet som PDF")
    assert hearing_pdf.startswith(b"%PDF")

    # 8. Hanne answers: the hearing is complete (H5).
    page.get_by_role("textbox", name="Borgerens svar").fill(HANNES_ANSWER)
    page.get_by_role("button", name="Registrér svar").click()
    expect(page.get_by_text("Borgerens svar er registreret. Høringen er gennemført.")).to_be_visible()
    expect(page.locator("#hearing-status")).to_contain_text("Gennemført")
    expect(page.locator("#response-text")).to_have_text(HANNES_ANSWER)
    shots("hearing-answered")
    axe()

    # 9. A medical assessment on the case.
    page.get_by_role("link", name=f"Sag {case.reference}").click()
    page.get_by_role("link", name="Tilføj bevis").click()
    page.get_by_label("Art").select_option(label="Lægelig vurdering eller vurdering af arbejdsevne")
    page.get_by_label("Titel").fill("Lægeattest")
    page.get_by_label("Beskrivelse").fill("Højst 10 timer om ugen")
    shots("evidence-form")
    axe()
    page.get_by_role("button", name="Tilføj bevis").click()
    expect(page.get_by_text("Beviset er tilføjet.")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Lægelig vurdering eller vurdering af arbejdsevne: Lægeattest")

    # 10. Cite the assessment and Hanne's statement: the checklist passes, and the decision issues.
    page.goto(decision_url)
    expect(page.locator('#decision-checklist [data-rule="D3"]')).to_have_attribute("data-state", "passed")
    cite(page, "Lægelig vurdering eller vurdering af arbejdsevne: Lægeattest", "Afgørende: højst 10 timer.")
    cite(page, f"Borgerens egne oplysninger: {STATEMENT_TITLE}", "Stemmer med lægen.")
    checklist = page.locator("#decision-checklist")
    expect(checklist.locator('[data-rule="D2"]')).to_have_attribute("data-state", "passed")
    expect(checklist.locator('[data-rule="D3"]')).to_have_attribute("data-state", "passed")
    expect(checklist.locator(".app-checklist-summary")).to_have_attribute("data-state", "passed")
    expect(checklist).to_contain_text("Alle regler er opfyldt. Afgørelsen kan udstedes.")
    shots("checklist-passed")
    axe()

    page.get_by_role("button", name="Udsted afgørelse").click()
    expect(page.get_by_text("Afgørelsen er udstedt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Udstedt", exact=True)).to_be_visible()
    expect(page.locator("#complaint-guidance")).to_be_visible()
    expect(page.locator("#refused-attempts tbody tr")).to_have_count(1)
    shots("decision-issued")
    axe()

    letter = download_bytes(page, "Hent afgørelsesbrevet (PDF)")
    assert letter.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(letter)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "Klagevejledning" in flat
    assert LEGAL_BASIS in flat
