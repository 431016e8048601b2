"""The supervisor's audit log, its CSV export and the citizen's log (DESIGN.md A3, issue 5).

Susanne (Aalborg supervisor) reads the log of her own jobcentre only; caseworkers and the 3F
representative never reach it; pages are cut by keyset without counting the table; every export is
itself an audit event; the citizen's log names the jobcentre and the purpose, never the employee."""

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from cases.models import DecisionKind
from jobcenter.audit.models import Action, AuditEvent, Outcome
from jobcenter.audit.services import audit_record
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import social_media_finding
from tests.factories import CaseFactory, CitizenFactory, tip_for
from tests.otp_plugin import verified_login

pytestmark = pytest.mark.django_db

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
EVENT_ID = re.compile(r'id="audit-event-(\d+)"')
NEXT_CURSOR = re.compile(r'name="before" value="(\d+)"')


def shown_ids(response) -> list[int]:
    return [int(found) for found in EVENT_ID.findall(response.content.decode())]


def next_cursor(response) -> int | None:
    found = NEXT_CURSOR.search(response.content.decode())
    return int(found.group(1)) if found else None


def client_for(user) -> Client:
    return verified_login(Client(), user)


def filter_log(client, **filters):
    return client.post(reverse("audit_log"), filters)


def csv_rows(response) -> list[list[str]]:
    assert response.streaming is True
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def refused_cookie_decision(world) -> None:
    finding = social_media_finding(world.cookie_case, by=world.mette)
    decision = case_services.decision_draft(
        case=world.cookie_case, kind=DecisionKind.PRAKTIK_HOURS_INCREASE, summary="Flere timer", acting_user=world.mette
    )
    case_services.decision_cite_evidence(
        decision=decision, evidence_item=finding, weighing="Bagning viser arbejdsevne.", acting_user=world.mette
    )
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=decision, acting_user=world.mette)


@pytest.fixture
def aarhus_case(world):
    return CaseFactory(team=world.aarhus_team, acting_user=world.ahmed)


@pytest.fixture
def susanne(client, world):
    verified_login(client, world.susanne)
    return client


# --- Who may read it -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["mette", "lone"])
def test_caseworkers_and_the_union_representative_are_refused_every_screen(client, world, persona):
    verified_login(client, getattr(world, persona))
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.post(reverse("audit_log"), {"action": Action.VIEW}).status_code == 403
    assert client.post(reverse("audit_log_export")).status_code == 403
    assert client.get(reverse("citizen_log")).status_code == 403
    assert client.post(reverse("citizen_log"), {"cpr": "120385-4321"}).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert AuditEvent.objects.filter(actor=getattr(world, persona), action=Action.ACCESS_DENIED).count() == 5


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_susanne_sees_aalborg_events_but_never_an_aarhus_event(world, susanne, aarhus_case):
    tip = tip_for(world.cookie_case, by=world.mette)
    assert client_for(world.ahmed).get(reverse("case_detail", args=[aarhus_case.pk])).status_code == 200
    aarhus_ids = set(AuditEvent.objects.filter(jobcentre_id=world.aarhus.pk).values_list("id", flat=True)) | set(
        AuditEvent.objects.filter(case_id=aarhus_case.pk).values_list("id", flat=True)
    )
    assert aarhus_ids
    tip_event = AuditEvent.objects.get(object_type="cases.Tip", object_id=str(tip.pk))

    response = susanne.get(reverse("audit_log"))
    assert response.status_code == 200
    shown = set(shown_ids(response))
    assert tip_event.id in shown
    assert not shown & aarhus_ids

    exported = csv_rows(susanne.post(reverse("audit_log_export")))
    exported_ids = {int(row[0]) for row in exported[1:]}
    assert tip_event.id in exported_ids
    assert not exported_ids & aarhus_ids


def test_the_union_representatives_reading_of_a_case_belongs_to_the_cases_jobcentre(world, susanne):
    # Lone has no jobcentre; her read of an Aalborg case report is still Aalborg's to supervise.
    event = audit_record(actor=world.lone, action=Action.VIEW, case_id=world.cookie_case.pk)
    assert event.jobcentre_id is None
    assert event.id in shown_ids(susanne.get(reverse("audit_log")))


# --- Filters -------------------------------------------------------------------------------------------


def test_filter_by_case_shows_the_refused_cookie_decision_with_d2_and_d3(world, susanne):
    refused_cookie_decision(world)
    elsewhere = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
    refused = AuditEvent.objects.get(action=Action.DECISION_REFUSED)
    unrelated = AuditEvent.objects.filter(case_id=elsewhere.pk).values_list("id", flat=True)

    response = filter_log(susanne, case=world.cookie_case.reference)
    assert response.status_code == 200
    shown = shown_ids(response)
    assert refused.id in shown
    assert not set(shown) & set(unrelated)
    row = response.content.decode().split(f'id="audit-event-{refused.id}"')[1].split("</tr>")[0]
    assert '<span class="badge badge-error">D2</span>' in row
    assert '<span class="badge badge-error">D3</span>' in row
    assert "Afvist af reglerne" in row
    assert world.cookie_case.reference in row


def test_filter_by_outcome_finds_only_the_refused_attempts(world, susanne):
    refused_cookie_decision(world)
    response = filter_log(susanne, outcome=Outcome.REFUSED)
    assert shown_ids(response) == list(
        AuditEvent.objects.filter(outcome=Outcome.REFUSED).order_by("-id").values_list("id", flat=True)
    )


def test_filter_by_actor_and_by_action(world, susanne):
    mettes = tip_for(world.cookie_case, by=world.mette)
    jonas_view = audit_record(actor=world.jonas, action=Action.VIEW, case_id=world.cookie_case.pk)
    jonas_change = audit_record(actor=world.jonas, action=Action.CHANGE, case_id=world.cookie_case.pk)

    by_jonas = shown_ids(filter_log(susanne, actor="jonas"))
    assert by_jonas == [jonas_change.id, jonas_view.id]
    assert AuditEvent.objects.get(object_id=str(mettes.pk), object_type="cases.Tip").id not in by_jonas

    jonas_views = shown_ids(filter_log(susanne, actor="jonas", action=Action.VIEW))
    assert jonas_views == [jonas_view.id]
    assert all(
        event.action == Action.VIEW
        for event in AuditEvent.objects.filter(id__in=shown_ids(filter_log(susanne, action=Action.VIEW)))
    )


def test_filter_by_time_range_uses_local_days(world, susanne):
    def event_at(moment: dt.datetime) -> AuditEvent:
        with time_machine.travel(moment, tick=False):
            return audit_record(actor=world.mette, action=Action.VIEW, case_id=world.cookie_case.pk)

    before = event_at(dt.datetime(2025, 3, 3, 23, 30, tzinfo=COPENHAGEN))
    first = event_at(dt.datetime(2025, 3, 4, 0, 15, tzinfo=COPENHAGEN))
    last = event_at(dt.datetime(2025, 3, 5, 23, 45, tzinfo=COPENHAGEN))
    after = event_at(dt.datetime(2025, 3, 6, 0, 5, tzinfo=COPENHAGEN))

    response = filter_log(susanne, date_from="2025-03-04", date_to="2025-03-05")
    assert shown_ids(response) == [last.id, first.id]
    assert "06.03.2025" not in response.content.decode()
    from_the_sixth = shown_ids(filter_log(susanne, date_from="2025-03-06"))
    assert after.id in from_the_sixth
    assert not {before.id, first.id, last.id} & set(from_the_sixth)
    assert shown_ids(filter_log(susanne, date_to="2025-03-03")) == [before.id]


def test_filter_by_citizen_takes_the_cpr_by_post_and_records_the_search_on_the_citizen(world, susanne):
    tip_for(world.cookie_case, by=world.mette)
    hanne = world.cookie_case.citizen
    response = filter_log(susanne, citizen="120385-4321")
    assert response.status_code == 200
    shown = AuditEvent.objects.filter(id__in=shown_ids(response))
    assert shown.exists()
    assert all(event.citizen_id == hanne.pk or event.case_id == world.cookie_case.pk for event in shown)
    search = AuditEvent.objects.filter(action=Action.SEARCH, actor=world.susanne).get()
    assert search.citizen_id == hanne.pk
    assert search.details["criteria"] == {"citizen_id": hanne.pk}
    assert "1203854321" not in str(search.details)
    assert "120385" not in search.details["path"]


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"citizen": "12038"}, "citizen", "CPR-nummeret skal have formen DDMMÅÅ-XXXX."),
        ({"citizen": "010101-0000"}, "citizen", "Borgeren findes ikke i jobcenteret."),
        ({"case": "FINDES-IKKE"}, "case", "Sagen findes ikke i jobcenteret."),
        ({"date_from": "2025-03-05", "date_to": "2025-03-04"}, "date_to", "Til-datoen ligger før fra-datoen."),
        ({"action": "hack"}, "action", "Marker en gyldig valgmulighed."),
    ],
)
def test_bad_filters_answer_400_with_a_danish_error_next_to_the_field(world, susanne, filters, field, message):
    for url in ("audit_log", "audit_log_export"):
        response = susanne.post(reverse(url), filters)
        assert response.status_code == 400
        assert message in response.context["form"].errors[field][0]
        assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=[Action.SEARCH, Action.EXPORT]).exists()


def test_a_case_or_citizen_of_another_jobcentre_is_not_found(world, susanne, aarhus_case):
    assert filter_log(susanne, case=aarhus_case.reference).status_code == 400
    ahmeds_citizen = aarhus_case.citizen
    cpr = f"{ahmeds_citizen.cpr[:6]}-{ahmeds_citizen.cpr[6:]}"
    assert filter_log(susanne, citizen=cpr).status_code == 400


# --- Keyset pagination -----------------------------------------------------------------------------------


def test_keyset_pages_walk_every_event_once_without_counting_at_constant_cost(world, susanne):
    for number in range(130):
        audit_record(actor=world.mette, action=Action.VIEW, case_id=world.cookie_case.pk, details={"n": number})
    expected = list(
        AuditEvent.objects.filter(actor=world.mette, action=Action.VIEW).order_by("-id").values_list("id", flat=True)
    )

    pages, query_counts, cursor = [], [], None
    while True:
        data = {"actor": "mette", "action": Action.VIEW, **({"before": cursor} if cursor else {})}
        with CaptureQueriesContext(connection) as queries:
            response = filter_log(susanne, **data)
        assert response.status_code == 200
        assert not [
            query["sql"] for query in queries if "COUNT(" in query["sql"].upper() and "audit_auditevent" in query["sql"]
        ]
        query_counts.append(len(queries))
        pages.append(shown_ids(response))
        cursor = next_cursor(response)
        if cursor is None:
            break
        assert "Ældre hændelser" in response.content.decode()

    assert [len(page) for page in pages] == [50, 50, len(expected) - 100]
    assert [event_id for page in pages for event_id in page] == expected
    assert len(set(query_counts)) == 1, query_counts


def test_the_first_page_does_not_count_either(world, susanne):
    for _number in range(60):
        audit_record(actor=world.mette, action=Action.VIEW, case_id=world.cookie_case.pk)
    with CaptureQueriesContext(connection) as queries:
        response = susanne.get(reverse("audit_log"))
    assert len(shown_ids(response)) == 50
    assert next_cursor(response) is not None
    assert not [
        query["sql"] for query in queries if "COUNT(" in query["sql"].upper() and "audit_auditevent" in query["sql"]
    ]


def test_the_older_events_form_carries_the_filters_with_the_cursor(world, susanne):
    for _number in range(55):
        audit_record(actor=world.jonas, action=Action.VIEW, case_id=world.cookie_case.pk)
    body = filter_log(susanne, actor="jonas").content.decode()
    older_form = body.split('id="audit-log-older"')[1].split("</form>")[0]
    assert 'name="actor" value="jonas"' in older_form
    assert 'name="before"' in older_form


# --- CSV export ------------------------------------------------------------------------------------------


def test_the_export_streams_the_filtered_rows_and_is_itself_an_export_event(world, susanne):
    refused_cookie_decision(world)
    refused = AuditEvent.objects.get(action=Action.DECISION_REFUSED)
    with CaptureQueriesContext(connection) as queries:
        response = susanne.post(reverse("audit_log_export"), {"case": world.cookie_case.reference})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        rows = csv_rows(response)
    assert not [
        query["sql"] for query in queries if "COUNT(" in query["sql"].upper() and "audit_auditevent" in query["sql"]
    ]

    header, *body = rows
    assert header[:5] == ["Hændelse", "Tidspunkt", "Brugernavn", "Rolle", "Handling"]
    by_id = {int(row[0]): row for row in body}
    assert {"D2", "D3"} <= set(by_id[refused.id][header.index("Begrundelse")].split(", "))
    assert by_id[refused.id][header.index("Udfald")] == "Afvist af reglerne"
    assert by_id[refused.id][header.index("Sag")] == world.cookie_case.reference
    assert by_id[refused.id][header.index("Brugernavn")] == "mette"
    expected = set(AuditEvent.objects.filter(case_id=world.cookie_case.pk).values_list("id", flat=True))
    assert set(by_id) <= expected
    assert refused.id in by_id

    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor_id == world.susanne.pk
    assert export.jobcentre_id == world.aalborg.pk
    assert export.details["export"] == "audit_log"
    assert export.details["filters"] == {"case_id": world.cookie_case.pk}
    assert export.case_id == world.cookie_case.pk
    assert export.request_id


def test_the_export_is_post_only(world, susanne):
    assert susanne.get(reverse("audit_log_export")).status_code == 405


def test_the_export_neutralises_spreadsheet_formulas(world, susanne):
    audit_record(actor=world.mette, action=Action.CHANGE, case_id=world.cookie_case.pk, reason="=HYPERLINK(1)")
    rows = csv_rows(susanne.post(reverse("audit_log_export"), {"action": Action.CHANGE}))
    assert "'=HYPERLINK(1)" in [row[rows[0].index("Begrundelse")] for row in rows[1:]]


# --- The citizen's log -----------------------------------------------------------------------------------


def test_the_citizen_log_has_jobcentre_and_purpose_but_no_employee(world, susanne):
    mette = client_for(world.mette)
    assert mette.get(reverse("case_detail", args=[world.cookie_case.pk])).status_code == 200
    assert mette.post(reverse("search"), {"query": "Hanne"}).status_code == 200
    tip_for(world.cookie_case, by=world.mette)
    refused_cookie_decision(world)

    response = susanne.post(reverse("citizen_log"), {"cpr": "120385-4321"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert "1203854321" not in response["Content-Disposition"]
    rows = csv_rows(response)
    text = "\n".join(";".join(row) for row in rows)
    for employee in ("mette", "Mette Madsen", "Madsen", "susanne", "Susanne Berg", "Sagsbehandler", "Leder"):
        assert employee not in text

    header, *body = rows
    assert header == ["Dato og tid", "Jobcenter", "Handling", "Formål", "Udfald"]
    assert ["Visning", "sag · case_detail"] in [row[2:4] for row in body]
    assert all(row[1] == world.aalborg.name for row in body)
    assert "Afgørelse afvist" in [row[2] for row in body]
    assert any(row[3].startswith("anmeldelse · tip_record") for row in body)
    # Mette's search did not name a subject, so it is not an event about Hanne.
    assert "søgning" not in [row[3] for row in body]


def test_the_citizen_log_export_is_audited_and_appears_in_the_audit_log(world, susanne):
    hanne = world.cookie_case.citizen
    response = susanne.post(reverse("citizen_log"), {"cpr": "1203854321"})
    csv_rows(response)
    export = AuditEvent.objects.get(action=Action.EXPORT)
    assert export.actor_id == world.susanne.pk
    assert export.details["export"] == "citizen_log"
    assert export.details["citizen_id"] == hanne.pk
    assert export.citizen_id == hanne.pk
    assert "1203854321" not in str(export.details)

    assert export.id in shown_ids(filter_log(susanne, action=Action.EXPORT))
    again = csv_rows(susanne.post(reverse("citizen_log"), {"cpr": "1203854321"}))
    assert ["Eksport", "indsigt i borgerens log"] in [row[2:4] for row in again[1:]]


@pytest.mark.parametrize(
    ("cpr", "message"),
    [
        ("12345", "CPR-nummeret skal have formen DDMMÅÅ-XXXX."),
        ("320185-4321", "CPR-nummeret indeholder ikke en gyldig dato."),
        ("", "Dette felt er påkrævet."),
        ("010101-0000", "Borgeren findes ikke i jobcenteret."),
    ],
)
def test_bad_or_unknown_cpr_answers_400_with_a_danish_message_and_no_export(world, susanne, cpr, message):
    response = susanne.post(reverse("citizen_log"), {"cpr": cpr})
    assert response.status_code == 400
    assert message in response.context["form"].errors["cpr"][0]
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_citizen_of_another_jobcentre_is_not_found(world, susanne):
    aarhus_citizen = CitizenFactory(jobcentre=world.aarhus, acting_user=world.ahmed)
    response = susanne.post(reverse("citizen_log"), {"cpr": aarhus_citizen.cpr})
    assert response.status_code == 400
    assert "Borgeren findes ikke i jobcenteret." in response.content.decode()


def test_the_citizen_log_form_is_shown(world, susanne):
    response = susanne.get(reverse("citizen_log"))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
