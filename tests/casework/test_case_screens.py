"""Mette's everyday screens: logging in, her desk, finding a citizen, opening a case and writing on it.

Each write is a form that calls one service; bad input answers 400 with a Danish error next to the
field and writes nothing; cases of another jobcentre do not exist (404)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, Citizen, JournalNote, Tip
from tests.factories import CaseFactory, CitizenFactory, tip_for
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def mette_client(client, world):
    client.force_login(world.mette)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("case_detail", args=[world.cookie_case.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_login_locks_out_after_five_wrong_passwords(client, world):
    for _attempt in range(5):
        client.post(reverse("login"), {"username": "mette", "password": "forkert"}, REMOTE_ADDR="10.0.0.7")
    world.mette.set_password("korrekt-hest-batteri")
    world.mette.save()
    locked = client.post(
        reverse("login"), {"username": "mette", "password": "korrekt-hest-batteri"}, REMOTE_ADDR="10.0.0.7"
    )
    assert locked.status_code == 429
    assert "midlertidigt spærret".encode() in locked.content


def test_login_with_the_right_password_opens_the_desk(client, world):
    world.mette.set_password("korrekt-hest-batteri")
    world.mette.save()
    response = client.post(reverse("login"), {"username": "mette", "password": "korrekt-hest-batteri"}, follow=True)
    assert response.status_code == 200
    assert "Mit skrivebord" in response.content.decode()
    assert world.cookie_case.reference in response.content.decode()


def test_a_union_representative_has_no_caseworker_screens(client, world):
    verified_login(client, world.lone)
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("search")).status_code == 403


def test_search_by_cpr_finds_only_mettes_own_jobcentres_citizen_and_masks_the_cpr(mette_client, world):
    twin = CitizenFactory(
        jobcentre=world.aarhus, cpr="1203854321", first_name="Anden", last_name="Hanne", acting_user=world.ahmed
    )
    CaseFactory(citizen=twin, team=world.aarhus_team, acting_user=world.ahmed)
    response = mette_client.post(reverse("search"), {"query": "120385-4321"})
    assert response.status_code == 200
    results = response.content.decode().split('id="search-results"')[1]
    assert world.cookie_case.reference in results
    assert "Anden" not in results
    assert "120385-XXXX" in results
    assert "1203854321" not in results


def test_search_is_a_post_so_the_cpr_never_enters_a_url(mette_client, world):
    response = mette_client.get(reverse("search"), {"query": "1203854321"})
    assert "1203854321" not in response.content.decode()
    assert "search-results" not in response.content.decode()


def test_search_by_name_and_reference_and_pagination(mette_client, world):
    for number in range(25):
        CaseFactory(
            citizen=CitizenFactory(jobcentre=world.aalborg, last_name=f"Bagersen{number}", acting_user=world.mette),
            team=world.sygedagpenge_team,
            acting_user=world.mette,
        )
    first = mette_client.post(reverse("search"), {"query": "bagersen"})
    assert "25 sager fundet" in first.content.decode()
    second = mette_client.post(reverse("search"), {"query": "bagersen", "page": 2})
    assert second.content.decode().count("Bagersen") == 5
    by_reference = mette_client.post(reverse("search"), {"query": world.cookie_case.reference})
    assert "Hanne" in by_reference.content.decode()


def test_empty_search_is_refused_next_to_the_field(mette_client):
    response = mette_client.post(reverse("search"), {"query": "   "})
    assert response.status_code == 400
    assert "Dette felt er påkrævet" in response.content.decode()


def test_creating_a_citizen_and_a_case(mette_client, world):
    response = mette_client.post(
        reverse("citizen_create"), {"cpr": "010190-2345", "first_name": "Sofie", "last_name": "Lund"}
    )
    citizen = Citizen.objects.get(last_name="Lund")
    assert response.url == reverse("case_open", args=[citizen.pk])
    response = mette_client.post(
        reverse("case_open", args=[citizen.pk]),
        {"benefit_type": "kontanthjaelp", "team": world.sygedagpenge_team.pk},
    )
    case = Case.objects.get(citizen=citizen)
    assert response.url == reverse("case_detail", args=[case.pk])
    assert case.assigned_caseworker == world.mette


def test_an_invalid_cpr_is_refused_in_danish_next_to_the_field(mette_client):
    response = mette_client.post(reverse("citizen_create"), {"cpr": "310285-1234", "first_name": "A", "last_name": "B"})
    assert response.status_code == 400
    assert "gyldig dato" in response.content.decode()
    assert not Citizen.objects.filter(last_name="B").exists()


def test_a_case_cannot_be_opened_on_another_jobcentres_team(mette_client, world):
    citizen = CitizenFactory(jobcentre=world.aalborg, acting_user=world.mette)
    response = mette_client.post(
        reverse("case_open", args=[citizen.pk]), {"benefit_type": "kontanthjaelp", "team": world.aarhus_team.pk}
    )
    assert response.status_code == 400
    assert not Case.objects.filter(citizen=citizen).exists()


def test_journal_note_tip_suspicion_and_evidence_through_their_forms(mette_client, world):
    case = world.cookie_case
    mette_client.post(reverse("journal_note_add", args=[case.pk]), {"text": "Telefonsamtale med Hanne."})
    mette_client.post(
        reverse("tip_record", args=[case.pk]),
        {"channel": "phone", "received_on": dt.date.today().isoformat(), "summary": "Opkald fra nabo."},
    )
    mette_client.post(
        reverse("suspicion_record", args=[case.pk]),
        {"grounds": "Forklaringen stemmer ikke med praktikstedets.", "control_theme": "Funktionsevne"},
    )
    response = mette_client.post(
        reverse("evidence_add", args=[case.pk]),
        {"kind": "medical_assessment", "title": "Lægeattest", "description": "Højst 10 timer om ugen."},
    )
    assert response.status_code == 302
    assert JournalNote.objects.filter(case=case, kind="manual", text="Telefonsamtale med Hanne.").exists()
    assert case.tips.count() == 1
    assert case.suspicions.count() == 1
    assert case.evidence_items.count() == 1


@pytest.mark.parametrize(
    ("url_name", "data", "field_error"),
    [
        ("journal_note_add", {"text": "   "}, "Dette felt er påkrævet."),
        ("journal_note_add", {"text": "... \u200b"}, "Feltet skal udfyldes."),
        ("tip_record", {"channel": "phone", "received_on": "2999-01-01", "summary": "x"}, "fremtiden"),
        ("suspicion_record", {"grounds": "...", "control_theme": "Funktionsevne"}, "faglige og saglige"),
        ("evidence_add", {"kind": "social_media_finding", "title": "x", "description": "y"}, "gyldig valgmulighed"),
    ],
)
def test_bad_input_answers_400_with_a_danish_error_and_writes_nothing(mette_client, world, url_name, data, field_error):
    notes_before = JournalNote.objects.count()
    response = mette_client.post(reverse(url_name, args=[world.cookie_case.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert field_error in body
    assert "Intet er gemt" in body
    assert JournalNote.objects.count() == notes_before


def test_ahmed_in_aarhus_gets_404_for_every_screen_of_aalborgs_case(client, world):
    client.force_login(world.ahmed)
    case = world.cookie_case
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    for name in ("journal_note_add", "tip_record", "suspicion_record", "evidence_add"):
        assert client.get(reverse(name, args=[case.pk])).status_code == 404, name
        assert client.post(reverse(name, args=[case.pk]), {"text": "x"}).status_code == 404, name
    assert not Tip.objects.exists()


def test_the_case_page_shows_the_timeline_newest_first_with_who_and_when(mette_client, world):
    case = world.cookie_case
    tip_for(case, by=world.mette, summary="Første anmeldelse")
    case_services.journal_note_add(case=case, text="Senere notat", acting_user=world.jonas)
    body = mette_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert body.index("Senere notat") < body.index("Første anmeldelse")
    assert "Jonas Nielsen" in body


def test_a_long_journal_shows_its_newest_notes_on_the_case_page_and_all_of_them_on_its_own_pages(mette_client, world):
    case = world.cookie_case
    for number in range(120):
        case_services.journal_note_add(case=case, text=f"Samtale nr. {number:03d}", acting_user=world.jonas)
    notes = JournalNote.objects.filter(case=case).count()

    page = mette_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Samtale nr. 119" in page
    assert page.count("<tr><td>") == 20, "the case page's journal shows the 20 newest notes"
    assert f"Hele journalen ({notes} notater)" in page
    assert reverse("case_journal", args=[case.pk]) in page

    first = mette_client.get(reverse("case_journal", args=[case.pk]))
    assert first.status_code == 200
    assert "Samtale nr. 119" in first.content.decode()
    assert "Samtale nr. 000" not in first.content.decode()
    last = mette_client.get(reverse("case_journal", args=[case.pk]), {"page": "2"}).content.decode()
    assert "Samtale nr. 000" in last
    assert "Side 2 af 2" in last
    assert mette_client.get(reverse("case_journal", args=[case.pk]), {"page": "x"}).status_code == 200


def _case_page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    return len(queries)


def test_the_case_page_costs_the_same_number_of_queries_as_the_timeline_grows(mette_client, world):
    case = world.cookie_case
    tip_for(case, by=world.mette)
    small = _case_page_queries(mette_client, case)
    for number in range(15):
        tip_for(case, by=world.mette, summary=f"Anmeldelse {number}")
        case_services.journal_note_add(case=case, text=f"Notat {number}", acting_user=world.jonas)
    assert _case_page_queries(mette_client, case) == small


def test_search_and_desk_cost_the_same_number_of_queries_for_many_cases(mette_client, world):
    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as search:
            mette_client.post(reverse("search"), {"query": "a"})
        with CaptureQueriesContext(connection) as desk:
            mette_client.get(reverse("home"))
        return len(search), len(desk)

    baseline = counts()
    for _number in range(12):
        CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
    assert counts() == baseline
