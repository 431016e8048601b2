"""Journey 3: Mette searches by CPR number and sees only her own jobcentre's citizen.

Hanne Jensen has a namesake CPR number registered in Aarhus (the same person moved, or a typing
error there): Mette in Aalborg must find Aalborg's case and nothing from Aarhus."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import CaseFactory, CitizenFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_caseworker_searches_by_cpr_and_sees_only_her_own_jobcentre(page: Page, live_server, world, login, shots, axe):
    in_aarhus = CitizenFactory(
        jobcentre=world.aarhus, cpr="1203854321", first_name="Hanne", last_name="Aarhusiansen", acting_user=world.ahmed
    )
    CaseFactory(citizen=in_aarhus, team=world.aarhus_team, acting_user=world.ahmed)

    login(world.mette)
    shots("desk")
    axe()
    page.get_by_role("link", name="Søg").click()
    expect(page.get_by_role("heading", name="Søg efter sager")).to_be_visible()
    axe()
    page.get_by_label("CPR-nummer, navn eller sagsnummer").fill("120385-4321")
    shots("search-form-filled")
    page.get_by_role("button", name="Søg", exact=True).click()

    results = page.locator("#search-results")
    expect(results).to_contain_text(world.cookie_case.reference)
    expect(results).to_contain_text("120385-XXXX")
    expect(results).not_to_contain_text("Aarhusiansen")
    assert "1203854321" not in page.content()
    assert "120385" not in page.url
    shots("search-results")
    axe()
