"""The authorization matrix (docs/authorization-matrix.yaml) driving requests over every URL pattern.

For each role, each relation of an object to the user and each URL, the request must end as the
matrix says: allow, deny (403), hidden (404) or login. A URL name missing from the matrix fails.
Each cell runs inside a savepoint that is rolled back, so a permitted POST (issuing, revoking...)
cannot change what the next cell sees."""

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases import services as case_services
from cases.models import Case, DecisionKind
from jobcenter.notifications.models import Channel
from jobcenter.notifications.services import notification_enqueue
from jobcenter.organisation import services as org_services
from jobcenter.organisation.roles import Role
from jobcenter.reports.models import ReportJob, ReportJobStatus
from socialmedia_checks import services as smc_services
from tests.cases.support import REASONS, cite, hearing_about, medical_assessment, social_media_finding
from tests.factories import CaseFactory
from tests.otp_plugin import verified_login

MATRIX = yaml.safe_load((Path(__file__).resolve().parent.parent / "docs" / "authorization-matrix.yaml").read_text())

pytestmark = pytest.mark.django_db


def _url_names(patterns: list, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                names |= _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_name_is_in_the_matrix():
    assert _url_names(get_resolver().url_patterns) == set(MATRIX["urls"]) | set(MATRIX["open"])


def test_every_kind_covers_every_role_and_only_its_relations():
    for kind, cells in MATRIX["kinds"].items():
        assert set(cells) == set(MATRIX["roles"]), kind
        for role, relations in cells.items():
            allowed = set(MATRIX["roles"][role]) | {"none"}
            assert set(relations) <= allowed, (kind, role)


def _family(case: Case, *, by, mandate_to, union) -> dict[str, list[int]]:
    """Everything a URL can point at, on one case."""
    finding = social_media_finding(case, by=by)
    assessment = medical_assessment(case, by=by)
    lookup = finding.finding.lookup
    unused = smc_services.finding_record(lookup=lookup, description="Et billede.", relevance="Måske.", acting_user=by)
    hearing = hearing_about(case, [assessment], by=by)
    draft = case_services.decision_draft(
        case=case, kind=DecisionKind.PRAKTIK_HOURS_INCREASE, summary="Flere timer", acting_user=by, **REASONS
    )
    cite(draft, finding, by=by)
    issued = case_services.decision_draft(
        case=case, kind=DecisionKind.BENEFIT_REDUCTION, summary="Nedsættelse", acting_user=by, **REASONS
    )
    cite(issued, assessment, by=by)
    case_services.decision_issue(decision=issued, acting_user=by)
    mandate = case_services.mandate_record(
        citizen=case.citizen,
        case=case,
        union=union,
        representative=mandate_to,
        kind="party_representative",
        valid_from=dt.date.today(),
        acting_user=by,
    )
    report_job = ReportJob.objects.create(
        case=case, requested_by=mandate_to, status=ReportJobStatus.DONE, progress=100
    )  # finished, so ordering the report again creates a new job and the download has a file
    report_job.file.save(f"matrix-{report_job.pk}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return {
        "case": [case.pk],
        "citizen": [case.citizen_id],
        "report_job": [report_job.pk],
        "lookup": [lookup.pk],
        "unused_finding": [unused.pk],
        "hearing": [hearing.pk],
        "draft": [draft.pk],
        "draft_citation": [draft.pk, finding.pk],
        "issued": [issued.pk],
        "case_mandate": [case.pk, mandate.pk],
    }


@pytest.fixture
def scene(world) -> dict[str, Any]:
    """The users of each role and, for each, the case family standing in each relation to them."""
    per = org_services.staff_user_create(
        username="per", password="x", role=Role.UNION_REPRESENTATIVE, union=world.union_3f, acting_user=None
    )
    admin = org_services.staff_user_create(
        username="anders", password="x", role=Role.ADMINISTRATOR, jobcentre=world.aalborg, acting_user=None
    )
    third_team = org_services.team_create(jobcentre=world.aalborg, name="Ressourceforløb", acting_user=None)
    world.set_policy(world.aarhus, shared_profile_required=False)

    own = _family(world.cookie_case, by=world.mette, mandate_to=world.lone, union=world.union_3f)
    shared_case = CaseFactory(team=world.kontanthjaelp_team, acting_user=world.susanne)
    case_services.case_share(case=shared_case, colleague=world.mette, acting_user=world.susanne)
    shared = _family(shared_case, by=world.susanne, mandate_to=per, union=world.union_3f)
    third = _family(
        CaseFactory(team=third_team, acting_user=world.susanne), by=world.susanne, mandate_to=per, union=world.union_3f
    )
    other = _family(
        CaseFactory(team=world.aarhus_team, acting_user=world.ahmed),
        by=world.ahmed,
        mandate_to=per,
        union=world.union_3f,
    )
    # A message to someone outside the matrix's users: notification_read must answer 404 to each role.
    foreign_notification = notification_enqueue(
        recipient=world.jonas, channel=Channel.IN_APP, subject="Besked", body="Til Jonas.", key="matrix:jonas"
    )
    own["foreign_notification"] = [foreign_notification.pk]
    return {
        "users": {
            "caseworker": world.mette,
            "supervisor": world.susanne,
            "union_representative": world.lone,
            "administrator": admin,
        },
        "relations": {
            "caseworker": {"own_team": own, "shared": shared, "same_jobcentre": third, "other_jobcentre": other},
            "supervisor": {"own_team": own, "same_jobcentre": third, "other_jobcentre": other},
            "union_representative": {"mandated": own, "not_mandated": third},
            "administrator": {"same_jobcentre": own, "other_jobcentre": other},
            "anonymous": {"none": own},
        },
    }


def _outcome(response) -> str:
    if response.status_code == 403:
        return "deny"
    if response.status_code == 404:
        return "hidden"
    if response.status_code in (301, 302) and response["Location"].startswith(reverse("login")):
        return "login"
    if response.status_code >= 500:
        return f"error {response.status_code}"
    return "allow"


@pytest.mark.parametrize("role", sorted(MATRIX["roles"]))
def test_the_matrix_holds_for_every_url_and_relation(role, scene):
    client = Client()
    if role != "anonymous":
        verified_login(client, scene["users"][role])
    mismatches, tested = [], Counter()
    for name, spec in sorted(MATRIX["urls"].items()):
        cells = MATRIX["kinds"][spec["kind"]][role]
        for relation, expected in cells.items():
            family = (
                scene["relations"][role].get(relation) or scene["relations"][role][next(iter(scene["relations"][role]))]
            )
            args = family[spec["object"]] if "object" in spec else []
            url = reverse(name, args=args)
            sid = transaction.savepoint()
            try:
                response = client.post(url) if spec.get("method") == "post" else client.get(url)
            finally:
                transaction.savepoint_rollback(sid)
            actual = _outcome(response)
            tested[expected] += 1
            if actual != expected:
                mismatches.append(f"{name} as {role} on {relation}: expected {expected}, got {actual}")
    print(f"{role}: {sum(tested.values())} cells {dict(tested)}")
    assert not mismatches, "\n".join(mismatches)
