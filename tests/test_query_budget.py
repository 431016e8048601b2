"""The query budget (issue 7): every page the benchmark measures costs a pinned number of SQL
statements, the same whatever the data holds, and never more than 15.

Baselines live in tests/query_budget.json, as NetBox keeps its query counts: a page that starts
costing more (an N+1, a lost select_related) fails here; a page made cheaper lowers its number in
the file in the same commit."""

import json
from pathlib import Path

import pytest

from cases.models import Decision, DecisionStatus
from jobcenter.benchmark.probes import Subjects, probes, signed_in_client, visit
from jobcenter.core import clock
from tests.factories import mandate_for_lone
from tests.scenarios import grow

pytestmark = pytest.mark.django_db

BASELINES: dict[str, int] = json.loads((Path(__file__).parent / "query_budget.json").read_text())
MOST_STATEMENTS_PER_PAGE = 15


def subjects_of(world) -> Subjects:
    citizen = world.cookie_case.citizen
    return Subjects(
        caseworker=world.mette,
        supervisor=world.susanne,
        union_representative=world.lone,
        case=world.cookie_case,
        draft_decision=Decision.objects.filter(case=world.cookie_case, status=DecisionStatus.DRAFT).latest("pk"),
        search_cpr=citizen.cpr,
        search_name=f"{citizen.first_name} {citizen.last_name}",
        month_end=clock.today(),
    )


def statements_per_page(subjects: Subjects) -> dict[str, int]:
    clients = {
        "caseworker": signed_in_client(subjects.caseworker),
        "supervisor": signed_in_client(subjects.supervisor),
        "union_representative": signed_in_client(subjects.union_representative),
    }
    counts = {}
    for probe in probes(subjects):
        sample = visit(clients[probe.persona], probe)
        assert sample.status == 200, (probe.name, sample.status)
        counts[probe.name] = sample.statements
    return counts


def test_every_benchmarked_page_costs_its_pinned_statements_whatever_the_case_holds(world):
    mandate_for_lone(world, case=world.cookie_case)
    grow(world, rounds=1)
    few = statements_per_page(subjects_of(world))
    grow(world, rounds=6)
    many = statements_per_page(subjects_of(world))

    assert many == few, "a page's statements grew with the data: an N+1"
    assert few == BASELINES, f"now {json.dumps(few)}; lower tests/query_budget.json only for a page made cheaper"
    assert max(few.values()) <= MOST_STATEMENTS_PER_PAGE, few
