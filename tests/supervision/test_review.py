"""The supervisor's desk: the review queue of every lookup, the flags and the approvals inbox.

Susanne, supervisor in Aalborg, reviews every lookup of her jobcentre after the fact and nothing of
Aarhus'; caseworkers and the 3F representative never reach the desk. Each flag rule fires on a case
built to trip it and stays quiet on the lawful twin.
"""

import datetime as dt
import html

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, DecisionKind, EvidenceKind, JournalNote, JournalNoteKind
from jobcenter.audit.models import AuditEvent
from jobcenter.core.violations import RuleViolationError
from jobcenter.organisation import services as org_services
from jobcenter.organisation.roles import Role
from jobcenter.supervision import rules, services
from jobcenter.supervision.models import LookupReview, ReviewOutcome
from jobcenter.supervision.selectors.review import approvals_inbox, supervision_flags
from socialmedia_checks.models import Lookup
from tests.cases.support import (
    REASONS,
    adverse_draft,
    cite,
    heard,
    hearing_about,
    medical_assessment,
    other_information,
    social_media_finding,
)
from tests.factories import CaseFactory, suspicion_for
from tests.otp_plugin import verified_login
from tests.socialmedia_checks.conftest import record_lookup

pytestmark = pytest.mark.django_db

DESK_URLS = ["supervision_home", "review_queue", "supervision_flags", "supervision_approvals"]
FLAG_COMMENT_MISSING = "Skriv en bemærkning, når du markerer et opslag."


# --- Scenes -----------------------------------------------------------------------------------------


def lookup_with_lead(case, *, by, lead: dt.timedelta, basis_by=None) -> Lookup:
    """A lawful lookup by `by`, one minute ago, resting on a suspicion recorded `lead` before it."""
    performed_at = timezone.now() - dt.timedelta(minutes=1)
    with time_machine.travel(performed_at - lead - dt.timedelta(hours=1), tick=False):
        if not case.evidence_items.exclude(kind=EvidenceKind.SOCIAL_MEDIA_FINDING).exists():
            other_information(case, by=basis_by or by)
    with time_machine.travel(performed_at - lead, tick=False):
        suspicion = suspicion_for(case, by=basis_by or by)
    return record_lookup(case, suspicion, by=by, performed_at=performed_at)


def lawful_lookup(world, case=None) -> Lookup:
    return lookup_with_lead(case or world.cookie_case, by=world.mette, lead=dt.timedelta(hours=2))


@pytest.fixture
def kirsten(world):
    """A caseworker in Aalborg on team Kontanthjælp: not on the cookie case's team."""
    return org_services.staff_user_create(
        username="kirsten",
        password="x",
        role=Role.CASEWORKER,
        first_name="Kirsten",
        last_name="Lund",
        jobcentre=world.aalborg,
        teams=[world.kontanthjaelp_team],
        acting_user=None,
    )


@pytest.fixture
def aarhus_lookup(world):
    world.set_policy(world.aarhus, shared_profile_required=False)
    case = CaseFactory(team=world.aarhus_team, acting_user=world.ahmed)
    return lookup_with_lead(case, by=world.ahmed, lead=dt.timedelta(hours=2))


@pytest.fixture
def susanne_client(client, world):
    return verified_login(client, world.susanne)


def flagged_lookup_ids(flags, section: str) -> set[int]:
    return {row.lookup.pk for row in getattr(flags, section).items}


def flags_now(world):
    return supervision_flags(jobcentre_id=world.aalborg.pk, today=timezone.localdate())


# --- Access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["mette", "jonas", "ahmed", "lone"])
@pytest.mark.parametrize("url_name", DESK_URLS)
def test_only_supervisors_reach_the_desk(client, world, persona, url_name):
    verified_login(client, getattr(world, persona))
    assert client.get(reverse(url_name)).status_code == 403


@pytest.mark.parametrize("persona", ["mette", "lone"])
def test_nobody_but_a_supervisor_reviews_a_lookup(client, world, persona):
    lookup = lawful_lookup(world)
    verified_login(client, getattr(world, persona))
    url = reverse("lookup_review", args=[lookup.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "mark"}).status_code == 403
    assert not LookupReview.objects.exists()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("review_queue"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_services_refuse_anyone_but_a_supervisor_of_the_jobcentre(world, aarhus_lookup):
    lookup = lawful_lookup(world)
    for user in (world.mette, world.ahmed):
        with pytest.raises(RuleViolationError) as refused:
            services.lookup_review_mark(lookup=lookup, acting_user=user)
        assert refused.value.codes == ["A1.review"]
    with pytest.raises(RuleViolationError) as refused:
        services.lookup_review_flag(lookup=aarhus_lookup, comment="Hvorfor?", acting_user=world.susanne)
    assert refused.value.codes == ["A1.review"]
    assert not LookupReview.objects.exists()


# --- The review queue ---------------------------------------------------------------------------------


def test_susanne_sees_aalborg_lookups_only(susanne_client, world, aarhus_lookup):
    lookup = lawful_lookup(world)
    for status in ("unreviewed", "all", "flagged"):
        page = susanne_client.get(reverse("review_queue"), {"status": status}).content.decode()
        assert f'data-lookup="{aarhus_lookup.pk}"' not in page
        assert aarhus_lookup.case.reference not in page
    page = susanne_client.get(reverse("review_queue")).content.decode()
    assert f'data-lookup="{lookup.pk}"' in page
    assert world.cookie_case.reference in page
    assert "Hanne Jensen" in page
    assert "Mette Madsen" in page
    assert html.escape(lookup.purpose) in page
    assert "Begrundet mistanke" in page
    assert "2 timer før opslaget" in page.replace("\xa0", " ")


def test_another_jobcentres_lookup_does_not_exist_on_the_desk(susanne_client, aarhus_lookup):
    url = reverse("lookup_review", args=[aarhus_lookup.pk])
    assert susanne_client.get(url).status_code == 404
    assert susanne_client.post(url, {"action": "flag", "comment": "Hvorfor?"}).status_code == 404
    assert not LookupReview.objects.exists()


def test_marking_a_lookup_reviewed_through_the_form(susanne_client, world):
    lookup = lawful_lookup(world)
    notes_before = JournalNote.objects.count()
    response = susanne_client.post(
        reverse("lookup_review", args=[lookup.pk]), {"action": "mark", "status": "unreviewed", "page": "1"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("review_queue"))
    review = LookupReview.objects.get(lookup=lookup)
    assert review.outcome == ReviewOutcome.REVIEWED
    assert review.reviewer == world.susanne
    assert review.history.latest().history_user == world.susanne
    assert AuditEvent.objects.filter(
        actor=world.susanne, object_type="supervision.LookupReview", object_id=str(review.pk), case_id=lookup.case_id
    ).exists()
    assert JournalNote.objects.count() == notes_before

    unreviewed = susanne_client.get(reverse("review_queue")).content.decode()
    assert f'data-lookup="{lookup.pk}"' not in unreviewed
    everything = susanne_client.get(reverse("review_queue"), {"status": "all"}).content.decode()
    assert f'data-lookup="{lookup.pk}"' in everything
    assert "Gennemgået" in everything


def test_flagging_a_lookup_with_a_comment_through_the_form(susanne_client, world):
    lookup = lawful_lookup(world)
    comment = "Formålet er for bredt. Tal med Mette om kontroltemaet."
    response = susanne_client.post(reverse("lookup_review", args=[lookup.pk]), {"action": "flag", "comment": comment})
    assert response.status_code == 302
    review = LookupReview.objects.get(lookup=lookup)
    assert (review.outcome, review.comment, review.reviewer) == (ReviewOutcome.FLAGGED, comment, world.susanne)
    assert review.history.latest().history_user == world.susanne
    assert AuditEvent.objects.filter(actor=world.susanne, object_type="supervision.LookupReview").exists()
    note = JournalNote.objects.filter(case=world.cookie_case, kind=JournalNoteKind.SYSTEM).first()
    assert note is not None
    assert comment in note.text
    assert note.author == world.susanne

    flagged = susanne_client.get(reverse("review_queue"), {"status": "flagged"}).content.decode()
    assert f'data-lookup="{lookup.pk}"' in flagged
    assert html.escape(comment) in flagged


def test_a_flag_without_a_comment_answers_400_in_danish_and_writes_nothing(susanne_client, world):
    lookup = lawful_lookup(world)
    notes_before, changes_before = JournalNote.objects.count(), AuditEvent.objects.filter(chain="change").count()
    response = susanne_client.post(reverse("lookup_review", args=[lookup.pk]), {"action": "flag", "comment": "  ... "})
    assert response.status_code == 400
    page = response.content.decode()
    assert FLAG_COMMENT_MISSING in page
    assert 'id="id_comment_error"' in page
    assert not LookupReview.objects.exists()
    assert JournalNote.objects.count() == notes_before
    assert AuditEvent.objects.filter(chain="change").count() == changes_before


def test_the_service_also_refuses_a_blank_comment(world):
    lookup = lawful_lookup(world)
    with pytest.raises(RuleViolationError) as refused:
        services.lookup_review_flag(lookup=lookup, comment=" \n ", acting_user=world.susanne)
    assert refused.value.codes == ["REVIEW.comment"]
    assert not LookupReview.objects.exists()


def test_a_later_review_replaces_the_outcome_and_history_keeps_the_flag(world):
    lookup = lawful_lookup(world)
    services.lookup_review_flag(lookup=lookup, comment="Spørg Mette.", acting_user=world.susanne)
    review = services.lookup_review_mark(lookup=lookup, acting_user=world.susanne)
    assert LookupReview.objects.get() == review
    assert review.outcome == ReviewOutcome.REVIEWED
    assert [h.outcome for h in review.history.order_by("history_id")] == ["flagged", "reviewed"]


def test_an_unknown_filter_answers_400(susanne_client):
    assert susanne_client.get(reverse("review_queue"), {"status": "secret"}).status_code == 400


def test_the_review_queue_costs_the_same_for_3_and_15_lookups(susanne_client, world, kirsten):
    def measure() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = susanne_client.get(reverse("review_queue"), {"status": "all"})
        assert response.status_code == 200
        return len(queries)

    def add(count: int) -> None:
        for number in range(count):
            case = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
            by = kirsten if number % 3 == 0 else world.jonas
            lookup = lookup_with_lead(case, by=by, lead=dt.timedelta(minutes=5 + 60 * number), basis_by=world.mette)
            if number % 2:
                services.lookup_review_flag(lookup=lookup, comment=f"Bemærkning {number}", acting_user=world.susanne)

    add(3)
    small = measure()
    add(12)
    assert Lookup.objects.count() == 15
    assert measure() == small


# --- Flags ---------------------------------------------------------------------------------------------


def test_a_basis_recorded_10_minutes_before_is_flagged_and_2_hours_before_is_not(susanne_client, world):
    hasty = lookup_with_lead(world.cookie_case, by=world.mette, lead=dt.timedelta(minutes=10))
    careful = lookup_with_lead(
        CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette), by=world.mette, lead=dt.timedelta(hours=2)
    )
    assert flagged_lookup_ids(flags_now(world), "recent_basis") == {hasty.pk}
    page = susanne_client.get(reverse("supervision_flags")).content.decode()
    section = page.split('id="flag-recent-basis"')[1].split("</section>")[0]
    assert f'data-lookup="{hasty.pk}"' in section
    assert f'data-lookup="{careful.pk}"' not in section
    queue = susanne_client.get(reverse("review_queue")).content.decode()
    assert queue.count(f'data-flag="{rules.FLAG_RECENT_BASIS}"') == 1


def test_a_lookup_by_someone_off_the_case_team_is_flagged_and_by_a_team_member_not(world, kirsten):
    by_jonas = lookup_with_lead(world.cookie_case, by=world.jonas, lead=dt.timedelta(hours=2), basis_by=world.mette)
    by_kirsten = lookup_with_lead(world.cookie_case, by=kirsten, lead=dt.timedelta(hours=3), basis_by=world.mette)
    flags = flags_now(world)
    assert flagged_lookup_ids(flags, "outside_team") == {by_kirsten.pk}
    assert by_jonas.pk not in flagged_lookup_ids(flags, "recent_basis")


def test_a_hearing_expired_31_days_without_a_decision_is_flagged_and_29_days_is_not(susanne_client, world):
    def hearing_expired(days: int):
        case = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
        with time_machine.travel(timezone.now() - dt.timedelta(days=days + 14), tick=False):
            item = other_information(case, by=world.mette)
            return hearing_about(case, [item], by=world.mette, deadline=timezone.localdate() + dt.timedelta(days=14))

    old, recent = hearing_expired(31), hearing_expired(29)
    flags = flags_now(world)
    assert [item.hearing.pk for item in flags.hearings.items] == [old.pk]
    assert flags.hearings.items[0].days_past_deadline == 31
    page = susanne_client.get(reverse("supervision_flags")).content.decode()
    assert f'data-hearing="{old.pk}"' in page
    assert f'data-hearing="{recent.pk}"' not in page
    assert reverse("case_detail", args=[old.case_id]) in page


def test_a_decision_issued_after_the_hearing_or_a_closed_case_clears_the_flag(world):
    decided = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
    closed = CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
    with time_machine.travel(timezone.now() - dt.timedelta(days=60), tick=False):
        for case in (decided, closed):
            hearing_about(case, [other_information(case, by=world.mette)], by=world.mette)
    with time_machine.travel(timezone.now() - dt.timedelta(days=10), tick=False):
        decision = case_services.decision_draft(
            case=decided,
            kind=DecisionKind.BENEFIT_GRANTED,
            summary="Sygedagpengene fortsætter uændret.",
            acting_user=world.mette,
            **REASONS,
        )
        case_services.decision_issue(decision=decision, acting_user=world.mette)
    case_services.case_close(case=closed, acting_user=world.mette)
    assert closed.__class__.objects.get(pk=closed.pk).status == CaseStatus.CLOSED
    assert flags_now(world).hearings.items == []


def test_decisions_citing_a_finding_are_listed_and_others_not(susanne_client, world):
    finding = social_media_finding(world.cookie_case, by=world.mette)
    citing = adverse_draft(world.cookie_case, by=world.mette)
    cite(citing, finding, by=world.mette)
    other = adverse_draft(world.cookie_case, by=world.mette)
    cite(other, medical_assessment(world.cookie_case, by=world.mette), by=world.mette)
    flags = flags_now(world)
    assert [item.decision.pk for item in flags.social_media_decisions.items] == [citing.pk]
    assert flags.social_media_decisions.items[0].social_media_titles == ("Billede af julesmåkager",)
    page = susanne_client.get(reverse("supervision_flags")).content.decode()
    assert reverse("decision_detail", args=[citing.pk]) in page
    assert f'data-decision="{other.pk}"' not in page


def test_refused_attempts_are_listed_with_their_rule_codes(susanne_client, world):
    finding = social_media_finding(world.cookie_case, by=world.mette)
    decision = adverse_draft(world.cookie_case, by=world.mette, kind=DecisionKind.PRAKTIK_HOURS_INCREASE)
    cite(decision, finding, by=world.mette)
    with pytest.raises(RuleViolationError):
        case_services.decision_issue(decision=decision, acting_user=world.mette)
    attempt = decision.attempts.get()
    flags = flags_now(world)
    assert [a.pk for a in flags.refused_attempts.items] == [attempt.pk]
    page = susanne_client.get(reverse("supervision_flags")).content.decode()
    row = page.split(f'data-attempt="{attempt.pk}"')[1].split("</tr>")[0]
    assert "D2, D3" in row
    assert reverse("decision_detail", args=[decision.pk]) in row


# --- The rules themselves ---------------------------------------------------------------------------------

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)


def lookup_facts(*, lead: dt.timedelta, case_team: int = 1, teams: frozenset[int] = frozenset({1})):
    return rules.LookupReviewFacts(
        performed_at=NOW, basis_recorded_at=NOW - lead, case_team_id=case_team, performer_team_ids=teams
    )


@pytest.mark.parametrize(
    ("lead", "flagged"),
    [(dt.timedelta(minutes=0), True), (dt.timedelta(minutes=14, seconds=59), True), (dt.timedelta(minutes=15), False)],
)
def test_rule_recent_basis_boundary(lead, flagged):
    assert rules.basis_recorded_shortly_before(lookup_facts(lead=lead)) is flagged


def test_rule_outside_team():
    assert rules.performed_outside_case_team(lookup_facts(lead=dt.timedelta(hours=1), teams=frozenset({2, 3})))
    assert not rules.performed_outside_case_team(lookup_facts(lead=dt.timedelta(hours=1), teams=frozenset({1, 2})))
    assert [f.code for f in rules.lookup_flags(lookup_facts(lead=dt.timedelta(minutes=3), teams=frozenset()))] == [
        rules.FLAG_RECENT_BASIS,
        rules.FLAG_OUTSIDE_TEAM,
    ]


@pytest.mark.parametrize(
    ("days", "open_case", "decided_after", "flagged"),
    [
        (30, True, None, True),
        (29, True, None, False),
        (45, False, None, False),
        (45, True, dt.timedelta(days=1), False),
        (45, True, -dt.timedelta(days=1), True),
    ],
)
def test_rule_hearing_left_without_decision(days, open_case, decided_after, flagged):
    today = NOW.date()
    sent_at = NOW - dt.timedelta(days=days + 14)
    facts = rules.HearingFollowUpFacts(
        deadline=today - dt.timedelta(days=days),
        sent_at=sent_at,
        case_is_open=open_case,
        last_decision_issued_at=sent_at + decided_after if decided_after is not None else None,
    )
    assert rules.hearing_left_without_decision(facts, today=today) is flagged


# --- Approvals ---------------------------------------------------------------------------------------------


@pytest.fixture
def four_eyes_draft(world):
    """Mette's draft citing a heard finding and a medical assessment: ready but for four eyes (D5)."""
    world.set_policy(world.aalborg, four_eyes_for_social_media_decisions=True)
    finding = social_media_finding(world.cookie_case, by=world.mette)
    heard(world.cookie_case, [finding], by=world.mette)
    decision = adverse_draft(world.cookie_case, by=world.mette)
    cite(decision, finding, by=world.mette)
    cite(decision, medical_assessment(world.cookie_case, by=world.mette), by=world.mette)
    return decision


def test_the_approvals_inbox_lists_a_four_eyes_draft_until_it_is_approved(susanne_client, world, four_eyes_draft):
    items = approvals_inbox(jobcentre_id=world.aalborg.pk, today=timezone.localdate())
    assert [item.decision.pk for item in items] == [four_eyes_draft.pk]
    failing = {item.rule for item in items[0].checklist if item.applies and not item.passed}
    assert failing == {"D5"}
    page = susanne_client.get(reverse("supervision_approvals")).content.decode()
    assert f'data-decision="{four_eyes_draft.pk}"' in page
    assert reverse("decision_detail", args=[four_eyes_draft.pk]) in page
    assert 'data-rule="D5" data-state="failed"' in page

    case_services.decision_approve(decision=four_eyes_draft, acting_user=world.susanne)
    assert approvals_inbox(jobcentre_id=world.aalborg.pk, today=timezone.localdate()) == []
    page = susanne_client.get(reverse("supervision_approvals")).content.decode()
    assert f'data-decision="{four_eyes_draft.pk}"' not in page


def test_without_the_four_eyes_policy_nothing_awaits_approval(world):
    finding = social_media_finding(world.cookie_case, by=world.mette)
    decision = adverse_draft(world.cookie_case, by=world.mette)
    cite(decision, finding, by=world.mette)
    assert approvals_inbox(jobcentre_id=world.aalborg.pk, today=timezone.localdate()) == []


# --- The desk ------------------------------------------------------------------------------------------------


def test_the_desk_counts_and_links(susanne_client, world, kirsten):
    lookup_with_lead(world.cookie_case, by=kirsten, lead=dt.timedelta(minutes=5), basis_by=world.mette)
    response = susanne_client.get(reverse("supervision_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 opslag venter på gennemgang" in page
    for url_name in ("review_queue", "supervision_flags", "supervision_approvals"):
        assert reverse(url_name) in page
    counts = response.context["counts"]
    assert (counts.unreviewed, counts.recent_basis, counts.outside_team) == (1, 1, 1)
