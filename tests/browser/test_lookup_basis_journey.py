"""Journey 2: a lookup cannot be recorded without a basis, and a basis written after the look is refused.

Mette has Hanne's own statement on the case but no tip or suspicion. The case page offers no lookup;
the lookup page sends her to record a basis first. She documents a suspicion, then tries to record a
look she says she made an hour ago, before the suspicion existed: refused under L2, nothing written.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases import services as case_services
from cases.models import EvidenceKind
from socialmedia_checks.models import Lookup

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_lookup_needs_a_basis_recorded_before_the_look(page: Page, live_server, world, login, shots, axe):
    case = world.cookie_case
    case_services.evidence_add(
        case=case,
        kind=EvidenceKind.CITIZEN_STATEMENT,
        title="Hannes beskrivelse af sin funktionsevne",
        description="Kan ikke stå op mere end en halv time ad gangen.",
        acting_user=world.mette,
    )
    login(world.mette)
    page.goto(f"{live_server.url}/sager/{case.pk}/")
    expect(page.get_by_text("Opslag på sociale medier kræver en åben anmeldelse")).to_be_visible()
    expect(page.get_by_role("link", name="Registrér opslag på sociale medier")).to_have_count(0)
    shots("case-without-basis")
    axe()

    page.goto(f"{live_server.url}/sager/{case.pk}/opslag/")
    expect(page.locator("#no-basis")).to_contain_text("ingen åben anmeldelse eller begrundet mistanke")
    shots("lookup-page-without-basis")
    axe()

    page.get_by_role("link", name="Dokumentér mistanke").click()
    page.get_by_label("Faglig og saglig begrundelse").fill(
        "Hannes forklaring om, at hun ikke kan stå op, stemmer ikke med praktikstedets iagttagelser."
    )
    page.get_by_label("Kontroltema").fill("Funktionsevne under sygemelding")
    shots("suspicion-form")
    axe()
    page.get_by_role("button", name="Registrér mistanke").click()
    expect(page.get_by_text("Mistanken er registreret.")).to_be_visible()

    page.get_by_role("link", name="Registrér opslag på sociale medier").click()
    page.get_by_label("Profilens adresse").fill("https://www.facebook.com/hanne.jensen.85")
    page.get_by_label("Formål").fill("Sammenholde Hannes forklaring med offentlige opslag.")
    page.get_by_label("Indholdet var offentligt tilgængeligt").check()
    page.get_by_label("Jeg bekræfter, at jeg ikke har sendt venneanmodning").check()
    page.get_by_role("button", name="Registrér opslag").click()
    expect(page.locator("#basis-group")).to_contain_text("Vælg den anmeldelse eller mistanke, opslaget bygger på.")
    shots("refused-without-basis")
    axe()

    an_hour_ago = timezone.localtime() - dt.timedelta(hours=1)
    page.get_by_label("Mistanke: Funktionsevne under sygemelding", exact=False).check()
    page.get_by_label("Tidspunkt for opslaget").fill(an_hour_ago.strftime("%Y-%m-%dT%H:%M:%S"))
    page.get_by_role("button", name="Registrér opslag").click()
    expect(page.locator("#basis-group")).to_contain_text("Grundlaget blev registreret efter opslaget")
    shots("refused-basis-after-lookup")
    axe()
    assert not Lookup.objects.exists()
