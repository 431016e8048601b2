"""The hearing screens (H2-H5): preview the exact letter, send it, see whether it is complete, record the
answer and extend the deadline. Every refusal answers 400 with the rule's message next to its field, and
writes nothing. Another jobcentre's caseworker meets 404 everywhere."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import Hearing, HearingExtension
from tests.cases.support import READING, hearing_about, medical_assessment, social_media_finding, writes_nothing

pytestmark = pytest.mark.django_db

ITEMS_MESSAGE = "Vælg de oplysninger, borgeren skal høres om."
DEADLINE_MESSAGE = "Svarfristen skal være mindst"
EXTEND_MESSAGE = "Fristen kan kun forlænges"


def field_error(html: str, field: str) -> str:
    """The error text shown next to a field (`<span id="id_<field>_error">` in _field.html), or ''."""
    match = re.search(rf'id="id_{field}_error"><span class="sr-only">[^<]*</span>(.*?)</span>', html, re.S)
    return match.group(1).strip() if match else ""


def errors_next_to(response, field: str) -> list[str]:
    form = response.context["form"]
    return [str(e) for e in form.errors.get(field, [])]


@pytest.fixture
def mette_client(client, world):
    client.force_login(world.mette)
    return client


@pytest.fixture
def finding(world):
    return social_media_finding(world.cookie_case, by=world.mette)


def send_url(case) -> str:
    return reverse("hearing_send", args=[case.pk])


def default_deadline(case) -> dt.date:
    return case_services.hearing_default_deadline(case=case)


def hearing_post(item, *, reading: str = READING, deadline: dt.date, action: str, chosen: bool = True) -> dict:
    data = {f"reading_{item.pk}": reading, "deadline": deadline.isoformat(), "action": action}
    if chosen:
        data[f"item_{item.pk}"] = "on"
    return data


def test_send_page_lists_each_evidence_item_with_a_reading_and_the_default_deadline(mette_client, world, finding):
    case = world.cookie_case
    response = mette_client.get(send_url(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="item_{finding.pk}"' in html
    assert f'name="reading_{finding.pk}"' in html
    assert "Sådan forstår jobcenteret oplysningen" in html
    assert finding.title in html
    assert f'value="{default_deadline(case).isoformat()}"' in html
    assert "Vis brev" in html
    assert "Send partshøring" in html


def test_preview_shows_the_exact_letter_and_writes_nothing(mette_client, world, finding):
    case = world.cookie_case
    deadline = default_deadline(case)
    expected = case_services.hearing_compose(case=case, items=[(finding, READING)], deadline=deadline).letter
    with writes_nothing():
        response = mette_client.post(send_url(case), hearing_post(finding, deadline=deadline, action="preview"))
    assert response.status_code == 200
    assert response.context["draft"].letter == expected
    assert response.context["draft"].violations == []
    html = response.content.decode()
    assert 'id="letter-text"' in html
    assert finding.title in html
    assert deadline.strftime("%d.%m.%Y") in html
    assert "Brevet kan sendes." in html
    assert not Hearing.objects.exists()


def test_preview_with_violations_answers_400_with_the_checklist_and_writes_nothing(mette_client, world, finding):
    case = world.cookie_case
    short = dt.date.today() + dt.timedelta(days=3)
    with writes_nothing():
        response = mette_client.post(
            send_url(case), hearing_post(finding, reading="  ", deadline=short, action="preview")
        )
    assert response.status_code == 400
    codes = {v.code for v in response.context["draft"].violations}
    assert codes == {"H2.reading", "H2.deadline"}
    html = response.content.decode()
    assert 'id="checklist"' in html
    assert "Skriv, hvordan jobcenteret forstår «Billede af julesmåkager»." in html
    assert DEADLINE_MESSAGE in " ".join(errors_next_to(response, "deadline"))
    assert DEADLINE_MESSAGE in field_error(html, "deadline")


def test_preview_of_a_flagged_case_ticks_off_the_self_incrimination_notice(mette_client, world, finding):
    case = world.cookie_case
    case_services.case_set_fraud_suspicion(
        case=case, fraud_suspected=True, reason="Anmeldelse om sort arbejde.", acting_user=world.mette
    )
    response = mette_client.post(
        send_url(case), hearing_post(finding, deadline=default_deadline(case), action="preview")
    )
    assert response.status_code == 200
    assert "ikke har pligt til at give oplysninger" in response.context["draft"].letter
    assert "Brevet indeholder vejledningen." in response.content.decode()


def test_sending_through_the_form_creates_the_hearing_with_items_and_readings(mette_client, world, finding):
    case = world.cookie_case
    assessment = medical_assessment(case, by=world.mette)
    deadline = default_deadline(case) + dt.timedelta(days=7)
    data = {
        **hearing_post(finding, deadline=deadline, action="send"),
        f"item_{assessment.pk}": "on",
        f"reading_{assessment.pk}": "Lægen vurderer, at du kan arbejde 10 timer om ugen.",
    }
    response = mette_client.post(send_url(case), data)
    hearing = Hearing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hearing_detail", args=[hearing.pk])
    assert hearing.case == case
    assert hearing.deadline == hearing.original_deadline == deadline
    assert hearing.sent_by == world.mette
    readings = {i.evidence_item_id: i.authority_reading for i in hearing.items.all()}
    assert readings == {
        finding.pk: READING,
        assessment.pk: "Lægen vurderer, at du kan arbejde 10 timer om ugen.",
    }
    assert finding.title in hearing.letter_text


def test_unticked_items_are_not_heard_even_with_a_reading(mette_client, world, finding):
    case = world.cookie_case
    assessment = medical_assessment(case, by=world.mette)
    data = {
        **hearing_post(finding, deadline=default_deadline(case), action="send"),
        f"reading_{assessment.pk}": "Skrevet, men ikke valgt.",
    }
    assert mette_client.post(send_url(case), data).status_code == 302
    assert [i.evidence_item_id for i in Hearing.objects.get().items.all()] == [finding.pk]


def test_sending_without_items_answers_400_with_the_h2_items_message_and_writes_nothing(mette_client, world, finding):
    case = world.cookie_case
    with writes_nothing():
        response = mette_client.post(
            send_url(case), hearing_post(finding, deadline=default_deadline(case), action="send", chosen=False)
        )
    assert response.status_code == 400
    assert ITEMS_MESSAGE in response.content.decode()
    assert not Hearing.objects.exists()


def test_a_short_deadline_answers_400_with_the_h2_deadline_message_next_to_the_field(mette_client, world, finding):
    case = world.cookie_case
    short = dt.date.today() + dt.timedelta(days=5)
    with writes_nothing():
        response = mette_client.post(send_url(case), hearing_post(finding, deadline=short, action="send"))
    assert response.status_code == 400
    assert DEADLINE_MESSAGE in " ".join(errors_next_to(response, "deadline"))
    assert DEADLINE_MESSAGE in field_error(response.content.decode(), "deadline")
    assert not Hearing.objects.exists()


def test_a_missing_deadline_is_bad_input(mette_client, world, finding):
    data = hearing_post(finding, deadline=default_deadline(world.cookie_case), action="send")
    data["deadline"] = ""
    with writes_nothing():
        response = mette_client.post(send_url(world.cookie_case), data)
    assert response.status_code == 400
    assert errors_next_to(response, "deadline")


def test_another_cases_evidence_cannot_be_smuggled_in(mette_client, world, finding):
    """Field names come from this case's evidence only: a foreign pk is simply not a field."""
    from tests.cases.support import other_case

    elsewhere = medical_assessment(other_case(world), by=world.mette)
    data = {
        "deadline": default_deadline(world.cookie_case).isoformat(),
        "action": "send",
        f"item_{elsewhere.pk}": "on",
        f"reading_{elsewhere.pk}": READING,
    }
    response = mette_client.post(send_url(world.cookie_case), data)
    assert response.status_code == 400
    assert ITEMS_MESSAGE in response.content.decode()
    assert not Hearing.objects.exists()


# --- Detail, answer, extension --------------------------------------------------------------------------------


@pytest.fixture
def hearing(world, finding):
    return hearing_about(world.cookie_case, [finding], by=world.mette)


def test_detail_shows_letter_items_deadline_state_and_pdf_link(mette_client, world, hearing, finding):
    response = mette_client.get(reverse("hearing_detail", args=[hearing.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert finding.title in html
    assert READING in html
    assert hearing.deadline.strftime("%d.%m.%Y") in html
    assert response.context["complete"] is False
    assert "Ikke gennemført" in html
    assert reverse("hearing_letter_pdf", args=[hearing.pk]) in html
    assert 'action="{}"'.format(reverse("hearing_record_response", args=[hearing.pk])) in html
    assert 'action="{}"'.format(reverse("hearing_extend", args=[hearing.pk])) in html


def test_detail_computes_completeness_at_the_time_of_asking(client, world, hearing):
    """H5: once the deadline day is over the hearing is complete, with no job having run."""
    with time_machine.travel(dt.datetime.combine(hearing.deadline + dt.timedelta(days=1), dt.time(12), dt.UTC)):
        client.force_login(world.mette)  # a fresh session: the old one has expired by then
        response = client.get(reverse("hearing_detail", args=[hearing.pk]))
    assert response.context["complete"] is True
    assert "uden svar" in response.context["complete_reason"]


def test_recording_the_answer_through_the_form_completes_the_hearing(mette_client, hearing):
    url = reverse("hearing_record_response", args=[hearing.pk])
    response = mette_client.post(url, {"response_text": "Jeg bagte siddende.", "received_at": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("hearing_detail", args=[hearing.pk])
    hearing.refresh_from_db()
    assert hearing.response_text == "Jeg bagte siddende."
    assert hearing.response_received_at is not None
    detail = mette_client.get(response["Location"])
    assert detail.context["complete"] is True
    assert "Jeg bagte siddende." in detail.content.decode()


def test_recording_the_answer_with_the_time_it_was_received(client, world, hearing):
    received = timezone.localtime(hearing.sent_at) + dt.timedelta(minutes=30)
    with time_machine.travel(hearing.sent_at + dt.timedelta(hours=2)):
        client.force_login(world.mette)
        response = client.post(
            reverse("hearing_record_response", args=[hearing.pk]),
            {"response_text": "Svar.", "received_at": received.strftime("%Y-%m-%dT%H:%M")},
        )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.response_received_at == received.replace(second=0, microsecond=0)


def test_an_answer_received_in_the_future_is_refused_next_to_the_field(mette_client, hearing):
    tomorrow = timezone.localtime() + dt.timedelta(days=1)
    with writes_nothing():
        response = mette_client.post(
            reverse("hearing_record_response", args=[hearing.pk]),
            {"response_text": "Svar.", "received_at": tomorrow.strftime("%Y-%m-%dT%H:%M")},
        )
    assert response.status_code == 400
    assert errors_next_to(response, "received_at") == ["Tidspunktet kan ikke ligge i fremtiden."]
    assert "Tidspunktet kan ikke ligge i fremtiden." in field_error(response.content.decode(), "received_at")


def test_an_empty_answer_re_renders_the_detail_page_with_400(mette_client, hearing):
    with writes_nothing():
        response = mette_client.post(reverse("hearing_record_response", args=[hearing.pk]), {"response_text": ""})
    assert response.status_code == 400
    assert response.context["hearing"] == hearing
    assert errors_next_to(response, "response_text")
    assert field_error(response.content.decode(), "response_text")


def test_extending_through_the_form(mette_client, hearing):
    new_deadline = hearing.deadline + dt.timedelta(days=14)
    response = mette_client.post(
        reverse("hearing_extend", args=[hearing.pk]),
        {"new_deadline": new_deadline.isoformat(), "reason": "Borgeren er indlagt."},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("hearing_detail", args=[hearing.pk])
    original = hearing.deadline
    hearing.refresh_from_db()
    assert hearing.deadline == new_deadline
    assert hearing.original_deadline == original
    extension = HearingExtension.objects.get()
    assert (extension.previous_deadline, extension.reason) == (original, "Borgeren er indlagt.")
    html = mette_client.get(response["Location"]).content.decode()
    assert "Borgeren er indlagt." in html
    assert original.strftime("%d.%m.%Y") in html


def test_extending_to_an_earlier_date_answers_400_with_the_h2_extend_message(mette_client, hearing):
    earlier = hearing.deadline - dt.timedelta(days=1)
    with writes_nothing():
        response = mette_client.post(
            reverse("hearing_extend", args=[hearing.pk]),
            {"new_deadline": earlier.isoformat(), "reason": "Forkortes."},
        )
    assert response.status_code == 400
    assert EXTEND_MESSAGE in " ".join(errors_next_to(response, "new_deadline"))
    assert EXTEND_MESSAGE in field_error(response.content.decode(), "new_deadline")
    assert response.context["extend_form"] is response.context["form"]
    hearing.refresh_from_db()
    assert hearing.deadline == hearing.original_deadline


# --- Walls ----------------------------------------------------------------------------------------------------


def test_another_jobcentre_gets_404_on_every_hearing_url(client, world, hearing):
    client.force_login(world.ahmed)
    case = world.cookie_case
    future = (hearing.deadline + dt.timedelta(days=7)).isoformat()
    with writes_nothing():
        assert client.get(send_url(case)).status_code == 404
        assert client.post(send_url(case), {"deadline": future, "action": "preview"}).status_code == 404
        assert client.post(send_url(case), {"deadline": future, "action": "send"}).status_code == 404
        assert client.get(reverse("hearing_detail", args=[hearing.pk])).status_code == 404
        assert client.get(reverse("hearing_letter_pdf", args=[hearing.pk])).status_code == 404
        assert (
            client.post(reverse("hearing_record_response", args=[hearing.pk]), {"response_text": "x"}).status_code
            == 404
        )
        assert (
            client.post(
                reverse("hearing_extend", args=[hearing.pk]), {"new_deadline": future, "reason": "x"}
            ).status_code
            == 404
        )


def test_anonymous_users_go_to_the_login_page(client, hearing):
    response = client.get(reverse("hearing_detail", args=[hearing.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
