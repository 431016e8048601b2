"""Mette's social-media screens: recording a lookup on a stated basis, its findings, and marking a finding for use.

Each screen calls one service; the rules (L1-L8) decide. Bad input answers 400 with a Danish error
next to the field and writes nothing; another jobcentre's cases, lookups and findings do not exist (404).
The case page is not followed here: redirects are checked by URL."""

import datetime as dt
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Case, EvidenceItem, EvidenceKind, JournalNote, Suspicion, Tip
from jobcenter.casework.forms import basis_choice_value
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import Finding, FindingStatus, Lookup, LookupOutcome
from tests.factories import CaseFactory, suspicion_for, tip_for

pytestmark = pytest.mark.django_db

HANNE_PROFILE = "https://www.facebook.com/hanne.jensen.85"
NO_BASIS_CHOSEN = "Vælg den anmeldelse eller mistanke, opslaget bygger på."
NOT_IN_LIST = "Vælg et grundlag fra listen."
L2_MESSAGE = "Grundlaget blev registreret efter opslaget."
L8_TYPE_MESSAGE = "Vedhæft et skærmbillede (PNG eller JPEG) eller en PDF."


def tiny_png() -> bytes:
    """A real 1x1 PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def field_errors(html: str, field: str) -> list[str]:
    """The error messages rendered next to one form field."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", match).split()).removeprefix("Fejl: ")
        for match in re.findall(rf'<span class="form-error-message" id="id_{field}_error">(.*?)</span>\s*(?=<|$)', html)
    ]


def local_minute(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@dataclass
class Scene:
    case: Case
    mette: User
    tip: Tip
    suspicion: Suspicion


@pytest.fixture
def scene(world: Any) -> Scene:
    """The cookie case an hour before Mette looks: her statement two hours ago (L4), a tip and a suspicion an hour ago."""
    case, mette = world.cookie_case, world.mette
    with time_machine.travel(timezone.now() - dt.timedelta(hours=2), tick=False):
        case_services.evidence_add(
            case=case,
            kind=EvidenceKind.CITIZEN_STATEMENT,
            title="Borgerens egen beskrivelse af sin funktionsevne",
            description="Borgeren oplyser, at hun ikke kan stå op i længere tid ad gangen.",
            acting_user=mette,
        )
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=mette, summary="Anonym anmeldelse: borgeren bager til julemarkedet hver weekend.")
        suspicion = suspicion_for(case, by=mette)
    return Scene(case=case, mette=mette, tip=tip, suspicion=suspicion)


@pytest.fixture
def mette_client(client, world):
    client.force_login(world.mette)
    return client


def lookup_post(basis: str | None, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platform": "facebook",
        "profile_url": HANNE_PROFILE,
        "purpose": "Sammenholde borgerens forklaring om funktionsevne med offentlige opslag.",
        "performed_at": local_minute(timezone.now() - dt.timedelta(minutes=5)),
        "content_was_public": "on",
        "no_contact_confirmed": "on",
        "outcome": LookupOutcome.FINDINGS,
    }
    if basis is not None:
        data["basis"] = basis
    data.update(overrides)
    return data


def a_lookup(scene: Scene) -> Lookup:
    return smc_services.lookup_record(
        case=scene.case,
        basis=scene.suspicion,
        platform="facebook",
        profile_url=HANNE_PROFILE,
        purpose="Sammenholde borgerens forklaring med offentlige opslag.",
        content_was_public=True,
        no_contact_confirmed=True,
        outcome=LookupOutcome.FINDINGS,
        performed_at=timezone.now() - dt.timedelta(minutes=5),
        acting_user=scene.mette,
    )


def a_finding(scene: Scene) -> Finding:
    return smc_services.finding_record(
        lookup=a_lookup(scene),
        description="Offentligt billede af julesmåkager med teksten 'Så er der bagt!'.",
        relevance="Kan vise, at borgeren kan stå op i længere tid.",
        acting_user=scene.mette,
    )


# --- Recording a lookup ---------------------------------------------------------------------------------


def test_the_lookup_form_lists_the_open_bases_and_explains_the_rules(mette_client, scene):
    response = mette_client.get(reverse("lookup_record", args=[scene.case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{basis_choice_value("tip", scene.tip.pk)}"' in html
    assert f'value="{basis_choice_value("suspicion", scene.suspicion.pk)}"' in html
    assert 'type="radio"' in html
    assert "Anmeldelse modtaget" in html
    assert "Mistanke: Funktionsevne under sygemelding (registreret" in html
    assert "Sociale medier må ikke være første kilde" in html
    assert "Send aldrig venneanmodninger" in html
    assert re.search(r'type="datetime-local" name="performed_at" value="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"', html)
    # Only the platforms Aalborg's policy allows.
    assert 'value="facebook"' in html
    assert 'value="instagram"' in html
    assert 'value="tiktok"' not in html
    assert 'id="l4-warning"' not in html


def test_a_lawful_lookup_through_the_form_rests_on_the_chosen_basis_and_leads_to_the_finding_form(mette_client, scene):
    response = mette_client.post(
        reverse("lookup_record", args=[scene.case.pk]),
        lookup_post(basis_choice_value("tip", scene.tip.pk)),
    )
    assert response.status_code == 302, response.content.decode()
    lookup = Lookup.objects.get()
    assert lookup.tip == scene.tip
    assert lookup.suspicion is None
    assert lookup.performed_by == scene.mette
    assert lookup.performed_at < timezone.now()
    assert response.url == reverse("finding_record", args=[lookup.pk])
    assert JournalNote.objects.filter(case=scene.case, text__startswith="Opslag på Facebook").exists()


def test_a_lookup_that_found_nothing_leads_back_to_the_case(mette_client, scene):
    response = mette_client.post(
        reverse("lookup_record", args=[scene.case.pk]),
        lookup_post(basis_choice_value("suspicion", scene.suspicion.pk), outcome=LookupOutcome.NOTHING_RELEVANT),
    )
    assert response.status_code == 302
    assert Lookup.objects.get().suspicion == scene.suspicion
    assert response.url == reverse("case_detail", args=[scene.case.pk])


def test_without_a_basis_the_form_answers_400_next_to_the_basis_field_and_records_nothing(mette_client, scene):
    response = mette_client.post(reverse("lookup_record", args=[scene.case.pk]), lookup_post(None))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "basis") == [NO_BASIS_CHOSEN]
    assert not Lookup.objects.exists()


def test_a_forged_basis_from_another_case_is_refused_and_records_nothing(mette_client, scene, world):
    other_case = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        other_tip = tip_for(other_case, by=world.mette)
    for forged in (basis_choice_value("tip", other_tip.pk), "tip:999999", "suspicion:abc", "nonsense"):
        response = mette_client.post(reverse("lookup_record", args=[scene.case.pk]), lookup_post(forged))
        assert response.status_code == 400, forged
        assert field_errors(response.content.decode(), "basis") == [NOT_IN_LIST], forged
    assert not Lookup.objects.exists()


def test_a_basis_recorded_after_the_lookup_is_refused_with_l2(mette_client, scene):
    fresh_tip = tip_for(scene.case, by=scene.mette, summary="Ny anmeldelse, skrevet efter opslaget.")
    response = mette_client.post(
        reverse("lookup_record", args=[scene.case.pk]),
        lookup_post(
            basis_choice_value("tip", fresh_tip.pk),
            performed_at=local_minute(timezone.now() - dt.timedelta(minutes=10)),
        ),
    )
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), "basis")
    assert len(errors) == 1
    assert errors[0].startswith(L2_MESSAGE)
    assert not Lookup.objects.exists()


def test_rule_refusals_land_next_to_their_fields(mette_client, scene):
    response = mette_client.post(
        reverse("lookup_record", args=[scene.case.pk]),
        lookup_post(
            basis_choice_value("tip", scene.tip.pk),
            content_was_public="",
            no_contact_confirmed="",
            performed_at=local_minute(timezone.now() + dt.timedelta(hours=2)),
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "no_contact_confirmed") == [
        "Bekræft, at der ikke er sendt venneanmodning eller taget kontakt til borgeren."
    ]
    assert field_errors(html, "content_was_public")
    assert field_errors(html, "performed_at") == ["Tidspunktet kan ikke ligge i fremtiden."]
    assert not Lookup.objects.exists()


def test_a_platform_outside_the_policy_is_not_a_choice(mette_client, scene):
    response = mette_client.post(
        reverse("lookup_record", args=[scene.case.pk]),
        lookup_post(basis_choice_value("tip", scene.tip.pk), platform="tiktok"),
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "platform")
    assert not Lookup.objects.exists()


def test_facebook_first_is_refused_with_l4_on_top_of_the_form(mette_client, world):
    case, mette = world.cookie_case, world.mette
    with time_machine.travel(timezone.now() - dt.timedelta(hours=1), tick=False):
        tip = tip_for(case, by=mette)
    page = mette_client.get(reverse("lookup_record", args=[case.pk]))
    assert 'id="l4-warning"' in page.content.decode()
    response = mette_client.post(
        reverse("lookup_record", args=[case.pk]), lookup_post(basis_choice_value("tip", tip.pk))
    )
    assert response.status_code == 400
    assert "Sociale medier må ikke være første kilde" in response.content.decode()
    assert not Lookup.objects.exists()


def test_without_an_open_basis_the_page_offers_a_tip_or_a_suspicion_instead(mette_client, world):
    case = world.cookie_case
    page = mette_client.get(reverse("lookup_record", args=[case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "ingen åben anmeldelse eller begrundet mistanke" in html
    assert reverse("tip_record", args=[case.pk]) in html
    assert reverse("suspicion_record", args=[case.pk]) in html
    assert '<form method="post" novalidate>' not in html
    refused = mette_client.post(reverse("lookup_record", args=[case.pk]), lookup_post("tip:1"))
    assert refused.status_code == 400
    assert NO_BASIS_CHOSEN in refused.content.decode()
    assert not Lookup.objects.exists()


def test_under_a_shared_profile_policy_the_profile_is_required(mette_client, scene, world):
    world.set_policy(world.aalborg, shared_profile_required=True)
    page = mette_client.get(reverse("lookup_record", args=[scene.case.pk]))
    assert "Jobcenteret kræver, at opslag sker fra den fælles profil." in page.content.decode()
    response = mette_client.post(
        reverse("lookup_record", args=[scene.case.pk]), lookup_post(basis_choice_value("tip", scene.tip.pk))
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "shared_profile") == [
        "Jobcenteret kræver, at opslag sker fra den fælles profil."
    ]
    assert not Lookup.objects.exists()


# --- Recording a finding ------------------------------------------------------------------------------


def test_the_finding_form_shows_the_lookup_and_its_findings(mette_client, scene):
    finding = a_finding(scene)
    response = mette_client.get(reverse("finding_record", args=[finding.lookup_id]))
    assert response.status_code == 200
    html = response.content.decode()
    assert HANNE_PROFILE in html
    assert "julesmåkager" in html
    assert reverse("finding_mark_for_use", args=[finding.pk]) in html
    assert 'accept="image/png,image/jpeg,application/pdf"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_finding_with_a_real_png_is_stored_with_its_hash(mette_client, scene):
    lookup = a_lookup(scene)
    png = tiny_png()
    response = mette_client.post(
        reverse("finding_record", args=[lookup.pk]),
        {
            "description": "Offentligt billede af julesmåkager.",
            "relevance": "Kan vise, at borgeren kan stå op i længere tid.",
            "url": "https://www.facebook.com/photo/123",
            "posted_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
            "attachment": SimpleUploadedFile("smaakager.png", png, content_type="image/png"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("finding_record", args=[lookup.pk])
    finding = Finding.objects.get()
    assert finding.lookup == lookup
    assert finding.attachment_content_type == "image/png"
    assert finding.attachment_size == len(png)
    assert len(finding.attachment_sha256) == 64
    with finding.attachment.open("rb") as stored:
        assert stored.read() == png


def test_a_text_file_claiming_to_be_a_png_is_refused_next_to_the_attachment(mette_client, scene):
    lookup = a_lookup(scene)
    response = mette_client.post(
        reverse("finding_record", args=[lookup.pk]),
        {
            "description": "Offentligt billede af julesmåkager.",
            "relevance": "Kan vise, at borgeren kan stå op i længere tid.",
            "attachment": SimpleUploadedFile("smaakager.png", b"just some text", content_type="image/png"),
        },
    )
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "attachment") == [L8_TYPE_MESSAGE]
    assert not Finding.objects.exists()


def test_a_finding_without_relevance_is_refused_next_to_the_field(mette_client, scene):
    lookup = a_lookup(scene)
    response = mette_client.post(
        reverse("finding_record", args=[lookup.pk]),
        {"description": "Et billede.", "relevance": "   ", "url": "ikke en adresse med mellemrum"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "relevance") == ["Skriv, hvorfor fundet er relevant for kontroltemaet."]
    assert field_errors(html, "url")
    assert not Finding.objects.exists()


# --- Marking a finding for use ------------------------------------------------------------------------


def test_marking_a_finding_for_use_explains_the_hearing_and_creates_the_evidence(mette_client, scene):
    finding = a_finding(scene)
    page = mette_client.get(reverse("finding_mark_for_use", args=[finding.pk]))
    assert page.status_code == 200
    assert "partshøres" in page.content.decode()
    assert "(H1)" in page.content.decode()
    response = mette_client.post(
        reverse("finding_mark_for_use", args=[finding.pk]), {"title": "Billede af julesmåkager"}
    )
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[scene.case.pk])
    finding.refresh_from_db()
    assert finding.status == FindingStatus.MARKED_FOR_USE
    item = EvidenceItem.objects.get(pk=finding.evidence_item_id)
    assert item.kind == EvidenceKind.SOCIAL_MEDIA_FINDING
    assert item.title == "Billede af julesmåkager"


def test_marking_twice_or_without_a_title_answers_400_and_writes_nothing(mette_client, scene):
    finding = a_finding(scene)
    blank = mette_client.post(reverse("finding_mark_for_use", args=[finding.pk]), {"title": "  "})
    assert blank.status_code == 400
    assert field_errors(blank.content.decode(), "title")
    smc_services.finding_mark_for_use(finding=finding, title="Første gang", acting_user=scene.mette)
    evidence_before = EvidenceItem.objects.count()
    again = mette_client.post(reverse("finding_mark_for_use", args=[finding.pk]), {"title": "Anden gang"})
    assert again.status_code == 400
    assert "allerede markeret til brug" in again.content.decode()
    assert EvidenceItem.objects.count() == evidence_before


# --- Walls ---------------------------------------------------------------------------------------------


def test_another_jobcentre_gets_404_on_every_lookup_screen(client, scene, world):
    finding = a_finding(scene)
    client.force_login(world.ahmed)
    urls = [
        reverse("lookup_record", args=[scene.case.pk]),
        reverse("finding_record", args=[finding.lookup_id]),
        reverse("finding_mark_for_use", args=[finding.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[0], lookup_post(basis_choice_value("tip", scene.tip.pk))).status_code == 404
    assert client.post(urls[1], {"description": "x", "relevance": "y"}).status_code == 404
    assert client.post(urls[2], {"title": "x"}).status_code == 404
    assert Lookup.objects.count() == 1
    assert Finding.objects.count() == 1
    assert Finding.objects.get().status == FindingStatus.RECORDED


def test_anonymous_visitors_are_sent_to_the_login_page(client, scene):
    response = client.get(reverse("lookup_record", args=[scene.case.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
