"""Mette records Hanne's power of attorney to Lone from 3F on the cookie case, sees it on the case page
with its status, and revokes it. Bad input answers 400 with the error at its field and writes nothing;
another jobcentre's case does not exist (404)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases import services as case_services
from cases.models import MandateKind, MandateScope, PowerOfAttorney
from jobcenter.core import clock
from tests.factories import CaseFactory, days_from_today, mandate_for_lone
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def mette_client(client, world):
    client.force_login(world.mette)
    return client


def form_data(world, **overrides) -> dict:
    return {
        "representative": world.lone.pk,
        "kind": MandateKind.PARTY_REPRESENTATIVE,
        "scope": MandateScope.CASE,
        "valid_from": days_from_today(0).isoformat(),
        "valid_to": "",
        **overrides,
    }


def record_url(case) -> str:
    return reverse("mandate_record", args=[case.pk])


def revoke_url(case, mandate) -> str:
    return reverse("mandate_revoke", args=[case.pk, mandate.pk])


def mandate_row(html: str, mandate) -> str:
    return html.split(f'data-mandate="{mandate.pk}"')[1].split("</tr>")[0]


def test_mette_records_a_mandate_for_this_case_and_the_case_page_shows_it_active(mette_client, world):
    case = world.cookie_case
    form = mette_client.get(record_url(case))
    assert form.status_code == 200
    assert "Lone Holm (3F)" in form.content.decode()

    response = mette_client.post(record_url(case), form_data(world))
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.pk])
    mandate = PowerOfAttorney.objects.get()
    assert (mandate.case, mandate.citizen, mandate.union, mandate.representative) == (
        case,
        case.citizen,
        world.union_3f,
        world.lone,
    )
    assert mandate.recorded_by == world.mette

    page = mette_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    row = mandate_row(page, mandate)
    assert "Lone Holm" in row
    assert 'data-status="active"' in page
    assert "Aktiv" in row
    assert revoke_url(case, mandate) in row


def test_a_mandate_for_all_the_citizens_cases_has_no_case(mette_client, world):
    response = mette_client.post(record_url(world.cookie_case), form_data(world, scope=MandateScope.ALL_CASES))
    assert response.status_code == 302
    mandate = PowerOfAttorney.objects.get()
    assert mandate.scope == MandateScope.ALL_CASES
    assert mandate.case is None


def test_only_union_representatives_can_be_named(mette_client, world):
    form = mette_client.get(record_url(world.cookie_case)).content.decode()
    assert "Jonas Nielsen" not in form
    response = mette_client.post(record_url(world.cookie_case), form_data(world, representative=world.jonas.pk))
    assert response.status_code == 400
    assert 'id="id_representative_error"' in response.content.decode()
    assert not PowerOfAttorney.objects.exists()


def test_an_end_before_the_start_is_refused_at_the_field(mette_client, world):
    response = mette_client.post(
        record_url(world.cookie_case),
        form_data(world, valid_from=days_from_today(0).isoformat(), valid_to=days_from_today(-3).isoformat()),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_valid_to_error"' in html
    assert "Slutdatoen må ikke ligge før startdatoen." in html
    assert not PowerOfAttorney.objects.exists()


def test_mette_revokes_and_lone_loses_the_report_on_her_next_request(client, world):
    case = world.cookie_case
    mandate = mandate_for_lone(world, valid_from=days_from_today(-1), case=case)
    lone = verified_login(client.__class__(), world.lone)
    assert lone.get(reverse("union_case_report", args=[case.pk])).status_code == 200

    client.force_login(world.mette)
    confirm = client.get(revoke_url(case, mandate))
    assert confirm.status_code == 200
    assert "Lone Holm" in confirm.content.decode()
    response = client.post(revoke_url(case, mandate))
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.revoked_at is not None

    assert lone.get(reverse("union_case_report", args=[case.pk])).status_code == 404
    row = mandate_row(client.get(reverse("case_detail", args=[case.pk])).content.decode(), mandate)
    assert "Tilbagekaldt" in row
    assert revoke_url(case, mandate) not in row


def test_revoking_twice_answers_400_and_changes_nothing(mette_client, world):
    case = world.cookie_case
    mandate = mandate_for_lone(world, kind=MandateKind.SUPPORTER, valid_from=days_from_today(0))
    case_services.mandate_revoke(mandate=mandate, acting_user=world.mette)
    mandate.refresh_from_db()
    response = mette_client.post(revoke_url(case, mandate))
    assert response.status_code == 400
    assert "Fuldmagten er allerede tilbagekaldt." in response.content.decode()
    assert PowerOfAttorney.objects.get().revoked_at == mandate.revoked_at


def test_the_case_page_tells_expired_and_future_mandates_apart(mette_client, world):
    case = world.cookie_case
    expired = mandate_for_lone(world, valid_from=days_from_today(-30), valid_to=days_from_today(-1))
    future = mandate_for_lone(world, valid_from=days_from_today(5))
    page = mette_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Udløbet" in mandate_row(page, expired)
    assert "Ikke trådt i kraft" in mandate_row(page, future)
    with time_machine.travel(clock.now() + dt.timedelta(days=6), tick=True):
        mette_client.force_login(world.mette)
        page = mette_client.get(reverse("case_detail", args=[case.pk])).content.decode()
        assert "Aktiv" in mandate_row(page, future)


def test_a_mandate_of_another_case_is_not_listed_nor_revocable_from_this_case(mette_client, world):
    case = world.cookie_case
    other = CaseFactory(citizen=case.citizen, team=world.sygedagpenge_team, acting_user=world.mette)
    mandate = mandate_for_lone(world, valid_from=days_from_today(0), case=other)
    page = mette_client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert f'data-mandate="{mandate.pk}"' not in page
    assert mette_client.post(revoke_url(case, mandate)).status_code == 404
    mandate.refresh_from_db()
    assert mandate.revoked_at is None


def test_another_jobcentre_and_the_union_representative_cannot_reach_the_mandate_screens(client, world):
    case = world.cookie_case
    mandate = mandate_for_lone(world, valid_from=days_from_today(0))
    client.force_login(world.ahmed)
    assert client.get(record_url(case)).status_code == 404
    assert client.post(record_url(case), form_data(world)).status_code == 404
    assert client.post(revoke_url(case, mandate)).status_code == 404
    verified_login(client, world.lone)
    assert client.post(record_url(case), form_data(world)).status_code in (403, 404)
    assert client.post(revoke_url(case, mandate)).status_code in (403, 404)
    assert PowerOfAttorney.objects.count() == 1
    mandate.refresh_from_db()
    assert mandate.revoked_at is None
