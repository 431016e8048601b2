"""No page of the caseworker's journeys costs more queries as the case's timeline grows.

The cookie case is built once with one of everything (tip, suspicion, lookup, finding, evidence,
hearing, decision with citations, a refused attempt), every page is measured, then the case grows by
many more of each and every page must cost exactly the same number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.scenarios import grow

pytestmark = pytest.mark.django_db


def journey_pages(world, made) -> dict[str, str]:
    case = world.cookie_case
    return {
        "home": reverse("home"),
        "search": reverse("search"),
        "case_detail": reverse("case_detail", args=[case.pk]),
        "journal_note_add": reverse("journal_note_add", args=[case.pk]),
        "tip_record": reverse("tip_record", args=[case.pk]),
        "suspicion_record": reverse("suspicion_record", args=[case.pk]),
        "evidence_add": reverse("evidence_add", args=[case.pk]),
        "lookup_record": reverse("lookup_record", args=[case.pk]),
        "finding_record": reverse("finding_record", args=[made["lookup"].pk]),
        "finding_mark_for_use": reverse("finding_mark_for_use", args=[made["finding"].pk]),
        "hearing_send": reverse("hearing_send", args=[case.pk]),
        "hearing_detail": reverse("hearing_detail", args=[made["hearing"].pk]),
        "decision_draft": reverse("decision_draft", args=[case.pk]),
        "decision_detail": reverse("decision_detail", args=[made["decision"].pk]),
        "decision_checklist": reverse("decision_checklist", args=[made["decision"].pk]),
    }


def measure(client, pages: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    return counts


def test_every_journey_page_costs_the_same_queries_whatever_the_timeline_holds(client, world):
    client.force_login(world.mette)
    small = measure(client, journey_pages(world, grow(world, rounds=1)))
    large = measure(client, journey_pages(world, grow(world, rounds=8)))
    assert large == small
    assert max(small.values()) <= 30, small
