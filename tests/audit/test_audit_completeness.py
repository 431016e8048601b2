"""Every URL of the product leaves an audit event (A3), whether the user may use it or not.

Each URL name in the URLconf is visited by a user who may use it and by one who may not. The event is
found by the request id the audit middleware puts on the response, so it is the event of exactly that
request. A URL name missing from VISITS fails the test: a new screen must say how it is audited.

Not visited: the Django admin (the same middleware records its pages; its own test covers it), and
`set_language`, which only stores the user's language choice in a cookie."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases import services as case_services
from cases.models import DecisionKind
from jobcenter.audit.models import Action, AuditEvent, Outcome
from jobcenter.notifications.models import Channel, Notification
from jobcenter.reports.models import ReportJob, ReportJobStatus
from socialmedia_checks import services as smc_services
from tests.cases.support import REASONS, cite, heard, hearing_about, medical_assessment, social_media_finding
from tests.otp_plugin import totp_device, verified_login

pytestmark = pytest.mark.django_db

EXEMPT = {"set_language"}


@dataclass
class Visit:
    """Who may use the URL and who may not (None: nobody can be refused, as with logging out)."""

    permitted: str
    refused: str | None
    args: str = ""
    method: str = "get"
    data: dict[str, Any] | str = field(default_factory=dict)
    second_factor_done: bool = True


VISITS: dict[str, Visit] = {
    "home": Visit("mette", "lone"),
    "search": Visit("mette", "lone", method="post", data={"query": "Hanne"}),
    "citizen_create": Visit("mette", "lone"),
    "case_open": Visit("mette", "ahmed", args="citizen"),
    "case_detail": Visit("mette", "ahmed", args="case"),
    "case_journal": Visit("mette", "ahmed", args="case"),
    "journal_note_add": Visit("mette", "ahmed", args="case"),
    "tip_record": Visit("mette", "ahmed", args="case"),
    "suspicion_record": Visit("mette", "ahmed", args="case"),
    "evidence_add": Visit("mette", "ahmed", args="case"),
    "lookup_record": Visit("mette", "ahmed", args="case"),
    "finding_record": Visit("mette", "ahmed", args="lookup"),
    "finding_mark_for_use": Visit("mette", "ahmed", args="unused_finding"),
    "hearing_send": Visit("mette", "ahmed", args="case"),
    "hearing_detail": Visit("mette", "ahmed", args="open_hearing"),
    "hearing_record_response": Visit(
        "mette", "ahmed", args="open_hearing", method="post", data={"response_text": "Jeg sad ned og bagte."}
    ),
    "hearing_extend": Visit("mette", "ahmed", args="open_hearing", method="post", data="extension"),
    "hearing_letter_pdf": Visit("mette", "ahmed", args="open_hearing"),
    "decision_draft": Visit("mette", "ahmed", args="case"),
    "decision_detail": Visit("mette", "ahmed", args="draft"),
    "decision_checklist": Visit("mette", "ahmed", args="draft"),
    "decision_cite": Visit("mette", "ahmed", args="draft", method="post", data="cite"),
    "decision_uncite": Visit("mette", "ahmed", args="draft_citation", method="post"),
    "decision_update_reasons": Visit("mette", "ahmed", args="draft", method="post", data="reasons"),
    "decision_approve": Visit("susanne", "ahmed", args="draft", method="post"),
    "decision_issue": Visit("mette", "ahmed", args="issuable", method="post"),
    "decision_letter_pdf": Visit("mette", "ahmed", args="issued"),
    "supervision_home": Visit("susanne", "mette"),
    "audit_log": Visit("susanne", "mette"),
    "audit_log_export": Visit("susanne", "mette", method="post", data={"case": "", "action": "view"}),
    "citizen_log": Visit("susanne", "mette", method="post", data={"cpr": "120385-4321"}),
    "review_queue": Visit("susanne", "mette"),
    "lookup_review": Visit("susanne", "ahmed", args="lookup", method="post", data="review"),
    "supervision_flags": Visit("susanne", "mette"),
    "supervision_approvals": Visit("susanne", "mette"),
    "case_share": Visit("mette", "ahmed", args="case"),
    "case_unshare": Visit("mette", "ahmed", args="case", method="post", data="unshare"),
    "mandate_record": Visit("mette", "ahmed", args="case"),
    "mandate_revoke": Visit("mette", "ahmed", args="case_mandate", method="post"),
    "union_landing": Visit("lone", "mette"),
    "union_case_report": Visit("lone", "mette", args="case"),
    "union_case_report_pdf": Visit("lone", "mette", args="case"),
    # Every signed-in role has an inbox, so nobody can be refused it; a message is only its recipient's.
    "notifications_inbox": Visit("lone", None),
    "account": Visit("lone", None),
    "notification_read": Visit("lone", "mette", args="lone_notification", method="post"),
    "union_report_job_start": Visit("lone", "mette", args="case", method="post"),
    "union_report_job": Visit("lone", "mette", args="report_job"),
    "union_report_job_download": Visit("lone", "mette", args="report_job"),
    # Only a signed-in user who still owes the second factor sees these; everyone else is sent on.
    # Susanne has an authenticator app (see `scene`); Lone has yet to set one up.
    "second_factor_verify": Visit("susanne", None, second_factor_done=False),
    "second_factor_setup": Visit("lone", None, second_factor_done=False),
    "login": Visit("mette", "mette", method="login"),
    "logout": Visit("mette", None, method="post"),
}


@pytest.fixture
def scene(world) -> dict[str, Any]:
    case, mette = world.cookie_case, world.mette
    finding = social_media_finding(case, by=mette)
    assessment = medical_assessment(case, by=mette)
    heard(case, [finding], by=mette)
    totp_device(world.susanne)
    case_services.case_share(case=case, colleague=world.susanne, acting_user=mette)
    mandate = case_services.mandate_record(
        citizen=case.citizen,
        case=case,
        union=world.union_3f,
        representative=world.lone,
        kind="party_representative",
        valid_from=dt.date.today(),
        acting_user=mette,
    )
    lookup = finding.finding.lookup
    unused = smc_services.finding_record(
        lookup=lookup, description="Et andet billede.", relevance="Måske relevant.", acting_user=mette
    )
    open_hearing = hearing_about(case, [assessment], by=mette)
    draft = case_services.decision_draft(
        case=case, kind=DecisionKind.PRAKTIK_HOURS_INCREASE, summary="Flere timer", acting_user=mette, **REASONS
    )
    citation = cite(draft, finding, by=mette)
    issuable = case_services.decision_draft(
        case=case, kind=DecisionKind.PRAKTIK_HOURS_INCREASE, summary="Flere timer", acting_user=mette, **REASONS
    )
    cite(issuable, finding, by=mette)
    cite(issuable, assessment, by=mette)
    issued = case_services.decision_draft(
        case=case, kind=DecisionKind.BENEFIT_REDUCTION, summary="Nedsættelse", acting_user=mette, **REASONS
    )
    cite(issued, assessment, by=mette)
    case_services.decision_issue(decision=issued, acting_user=mette)
    report_job = ReportJob.objects.create(case=case, requested_by=world.lone, status=ReportJobStatus.DONE, progress=100)
    report_job.file.save(f"audit-{report_job.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    # Lone, party representative, got a copy of the open hearing: that message is hers alone.
    lone_notification = Notification.objects.filter(recipient=world.lone, channel=Channel.IN_APP).first()
    assert lone_notification is not None
    return {
        "lone_notification": [lone_notification.pk],
        "case": [case.pk],
        "citizen": [case.citizen_id],
        "case_mandate": [case.pk, mandate.pk],
        "report_job": [report_job.pk],
        "lookup": [lookup.pk],
        "unused_finding": [unused.pk],
        "open_hearing": [open_hearing.pk],
        "draft": [draft.pk],
        "draft_citation": [draft.pk, citation.evidence_item_id],
        "issued": [issued.pk],
        "issuable": [issuable.pk],
        "data": {
            "extension": {"new_deadline": (open_hearing.deadline + dt.timedelta(days=7)).isoformat(), "reason": "Syg."},
            "cite": {"evidence_item": assessment.pk, "weighing": "Afgørende."},
            "reasons": {"summary": "Flere timer i praktik", **REASONS},
            "unshare": {"colleague": world.susanne.pk},
            "review": {"action": "flag", "comment": "Grundlaget blev skrevet kort før opslaget."},
        },
    }


def _url_names(patterns: list, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                names |= _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_url_name_says_how_it_is_audited():
    assert _url_names(get_resolver().url_patterns) - EXEMPT == set(VISITS)


PASSWORD = "rigtig-adgangskode-1"


def _visit(client, world, scene, name: str, visit: Visit, who: str):
    url = reverse(name, args=scene[visit.args] if visit.args else [])
    user = getattr(world, who)
    if visit.method == "login":
        user.set_password(PASSWORD)
        user.save()
        password = PASSWORD if who == visit.permitted else "forkert"
        return client.post(url, {"username": user.get_username(), "password": password})
    if visit.second_factor_done:
        verified_login(client, user)
    else:
        client.force_login(user)
    data = scene["data"][visit.data] if isinstance(visit.data, str) else visit.data
    return client.post(url, data) if visit.method == "post" else client.get(url)


def _events_of(response) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(request_id=response["X-Request-ID"]))


@pytest.mark.parametrize("name", sorted(VISITS))
def test_a_permitted_visit_leaves_an_audit_event(client, world, scene, name):
    visit = VISITS[name]
    response = _visit(client, world, scene, name, visit, visit.permitted)
    assert response.status_code < 400, (name, response.status_code)
    recorded = _events_of(response)
    assert recorded, f"{name}: no audit event for a permitted visit"
    assert all(e.outcome != Outcome.DENIED for e in recorded)


@pytest.mark.parametrize("name", sorted(name for name, visit in VISITS.items() if visit.refused))
def test_a_refused_visit_leaves_an_audit_event(client, world, scene, name):
    visit = VISITS[name]
    if visit.method == "login":
        response = client.post(reverse(name), {"username": "mette", "password": "forkert"})
        assert [e.action for e in _events_of(response)] == [Action.LOGIN_FAILED]
        return
    response = _visit(client, world, scene, name, visit, visit.refused)
    assert response.status_code in (403, 404), (name, response.status_code)
    recorded = _events_of(response)
    assert [e.action for e in recorded] == [Action.ACCESS_DENIED], name
    assert recorded[0].actor_username == getattr(world, visit.refused).get_username()
