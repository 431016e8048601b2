"""A1 with sharing: Mette's case is shared with Kirsten on another team while Mette is on holiday.

Kirsten sees it from her next request and loses it on the request after the share ends; a share
never crosses the jobcentre wall; sharing many cases does not make Kirsten's lists cost more queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import services as case_services
from cases.models import CaseUserObjectPermission
from cases.selectors import cases_visible_to
from jobcenter.audit.models import AuditEvent
from jobcenter.core.violations import RuleViolationError
from jobcenter.organisation import services as org_services
from jobcenter.organisation.roles import Role
from tests.cases.support import writes_nothing
from tests.factories import CaseFactory, CitizenFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kirsten(world):
    return org_services.staff_user_create(
        username="kirsten",
        password="x",
        role=Role.CASEWORKER,
        first_name="Kirsten",
        last_name="Krog",
        jobcentre=world.aalborg,
        teams=[world.kontanthjaelp_team],
        acting_user=None,
    )


def test_kirsten_on_another_team_cannot_see_mettes_case_until_it_is_shared(world, kirsten, client):
    case = world.cookie_case
    client.force_login(kirsten)
    assert not cases_visible_to(kirsten).filter(pk=case.pk).exists()
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404

    case_services.case_share(case=case, colleague=kirsten, acting_user=world.mette)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 200
    assert kirsten.has_perm("cases.view_case", case)
    assert AuditEvent.objects.filter(details__service="case_share", case_id=case.pk).exists()
    assert case.journal_notes.filter(text__contains="delt med Kirsten Krog").exists()

    case_services.case_unshare(case=case, colleague=kirsten, acting_user=world.mette)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404


def test_the_share_uses_guardians_direct_foreign_key_table(world, kirsten):
    grant = case_services.case_share(case=world.cookie_case, colleague=kirsten, acting_user=world.mette)
    assert isinstance(grant, CaseUserObjectPermission)
    assert grant.content_object == world.cookie_case


def test_a_case_is_never_shared_across_the_jobcentre_wall(world):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.case_share(case=world.cookie_case, colleague=world.ahmed, acting_user=world.mette)
    assert refused.value.codes == ["A1.colleague"]


def test_a_union_representative_is_no_colleague(world):
    with writes_nothing(), pytest.raises(RuleViolationError) as refused:
        case_services.case_share(case=world.cookie_case, colleague=world.lone, acting_user=world.mette)
    assert refused.value.codes == ["A1.colleague"]


def test_only_the_cases_team_or_a_supervisor_may_share(world, kirsten):
    case_services.case_share(case=world.cookie_case, colleague=kirsten, acting_user=world.mette)
    with pytest.raises(RuleViolationError) as refused:
        case_services.case_share(case=world.cookie_case, colleague=world.jonas, acting_user=kirsten)
    assert refused.value.codes == ["A1.share"]
    case_services.case_share(case=world.cookie_case, colleague=world.jonas, acting_user=world.susanne)


def test_sharing_through_the_case_page(world, kirsten, client):
    client.force_login(world.mette)
    response = client.post(reverse("case_share", args=[world.cookie_case.pk]), {"colleague": kirsten.pk})
    assert response.status_code == 302
    refused = client.post(reverse("case_share", args=[world.cookie_case.pk]), {"colleague": world.ahmed.pk})
    assert refused.status_code == 400
    client.post(reverse("case_unshare", args=[world.cookie_case.pk]), {"colleague": kirsten.pk})
    assert not CaseUserObjectPermission.objects.exists()


def test_kirstens_lists_cost_the_same_queries_with_many_shared_cases(world, kirsten, client):
    client.force_login(kirsten)

    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as desk:
            client.get(reverse("home"))
        with CaptureQueriesContext(connection) as search:
            client.post(reverse("search"), {"query": "Andersen"})
        return len(desk), len(search)

    def share_a_case() -> None:
        citizen = CitizenFactory(jobcentre=world.aalborg, last_name="Andersen", acting_user=world.mette)
        shared = CaseFactory(
            citizen=citizen, team=world.sygedagpenge_team, assigned_caseworker=kirsten, acting_user=world.mette
        )
        case_services.case_share(case=shared, colleague=kirsten, acting_user=world.mette)

    share_a_case()
    few = cost()
    for _number in range(15):
        share_a_case()
    assert cost() == few
    assert cases_visible_to(kirsten).count() == 16
