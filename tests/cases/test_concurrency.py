"""Two people at once: Mette and Jonas press "Udsted" on the same decision; two cases opened in the same second.

These tests commit for real (transaction=True) so that each thread has its own connection and transaction.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from cases import services as case_services
from cases.models import AttemptOutcome, BenefitType, Case, DecisionAttempt, DecisionStatus
from jobcenter.core.violations import RuleViolationError
from tests.cases.support import adverse_draft, cite, medical_assessment
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(*actions: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run the actions in threads released at the same moment; each result is ("ok", value) or ("error", exc)."""
    barrier = threading.Barrier(len(actions))
    results: list[tuple[str, Any]] = [("not run", None)] * len(actions)

    def worker(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", action())
        except Exception as error:
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_a_decision_issued_twice_at_once_issues_exactly_once(world):
    case, mette, jonas = world.cookie_case, world.mette, world.jonas
    decision = adverse_draft(case, by=mette)
    cite(decision, medical_assessment(case, by=mette), by=mette)

    results = run_together(
        lambda: case_services.decision_issue(decision=decision, acting_user=mette),
        lambda: case_services.decision_issue(decision=decision, acting_user=jonas),
    )

    assert sorted(kind for kind, _ in results) == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    assert isinstance(error, RuleViolationError)
    assert error.codes == ["D7"]
    attempts = DecisionAttempt.objects.filter(decision=decision)
    assert attempts.filter(outcome=AttemptOutcome.ISSUED).count() == 1
    assert list(attempts.filter(outcome=AttemptOutcome.REFUSED).values_list("rule_codes", flat=True)) == [["D7"]]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    winner = next(value for kind, value in results if kind == "ok")
    assert decision.issued_by_id == winner.issued_by_id


def test_cases_opened_at_once_in_one_jobcentre_get_distinct_references(world):
    citizens = [CitizenFactory(jobcentre=world.aalborg, acting_user=world.mette) for _ in range(4)]
    openers = [world.mette, world.jonas, world.susanne, world.mette]

    results = run_together(
        *[
            (
                lambda citizen=citizen, by=by: case_services.case_open(
                    citizen=citizen,
                    benefit_type=BenefitType.KONTANTHJAELP,
                    team=world.kontanthjaelp_team,
                    acting_user=by,
                )
            )
            for citizen, by in zip(citizens, openers, strict=True)
        ]
    )

    assert [kind for kind, _ in results] == ["ok"] * 4, results
    references = [case.reference for _, case in results]
    assert len(set(references)) == 4
    all_aalborg = list(Case.objects.filter(citizen__jobcentre=world.aalborg).values_list("reference", flat=True))
    assert len(all_aalborg) == len(set(all_aalborg)) == 5
    numbers = sorted(int(reference.rsplit("-", 1)[1]) for reference in all_aalborg)
    assert numbers == [1, 2, 3, 4, 5]
