"""Small helpers shared by the case tests: counting rows, a social-media finding, a decision ready to issue."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import time_machine
from django.apps import apps
from django.contrib.auth.models import User

from cases import services as case_services
from cases.models import Case, Decision, DecisionEvidence, DecisionKind, EvidenceItem, EvidenceKind, Hearing
from jobcenter.core import clock
from socialmedia_checks import services as smc_services
from socialmedia_checks.models import LookupOutcome
from tests.factories import CaseFactory, suspicion_for

WATCHED_APPS = ("cases", "socialmedia_checks", "organisation")


def row_counts() -> dict[str, int]:
    """Rows in every table of the product apps, history tables included."""
    return {
        model._meta.label: model._base_manager.count()
        for app_label in WATCHED_APPS
        for model in apps.get_app_config(app_label).get_models()
    }


def changed_rows(before: dict[str, int]) -> dict[str, int]:
    """Which tables grew or shrank since `before`, and by how much."""
    after = row_counts()
    return {label: after[label] - count for label, count in before.items() if after[label] != count}


@contextmanager
def writes_nothing() -> Iterator[None]:
    """Assert that the block leaves every product table, history included, exactly as it was."""
    before = row_counts()
    yield
    assert changed_rows(before) == {}


def other_information(case: Case, *, by: User) -> EvidenceItem:
    """Information that is not from social media, so Facebook is not the first source (L4)."""
    return case_services.evidence_add(
        case=case,
        kind=EvidenceKind.CITIZEN_STATEMENT,
        title="Borgerens egen beskrivelse af sin funktionsevne",
        description="Borgeren oplyser, at hun ikke kan stå op i længere tid.",
        acting_user=by,
    )


def social_media_finding(
    case: Case,
    *,
    by: User,
    title: str = "Billede af julesmåkager",
    description: str = "Offentligt billede af julesmåkager med teksten 'Så er der bagt!'.",
    url: str = "https://www.facebook.com/photo/123",
    posted_on: dt.date | None = None,
) -> EvidenceItem:
    """A finding marked for use, made the lawful way: suspicion → lookup → finding → mark for use."""
    now = clock.now()
    with time_machine.travel(now - dt.timedelta(minutes=10), tick=False):
        suspicion = suspicion_for(case, by=by)
        if not case.evidence_items.exclude(kind=EvidenceKind.SOCIAL_MEDIA_FINDING).exists():
            other_information(case, by=by)
    lookup = smc_services.lookup_record(
        case=case,
        basis=suspicion,
        platform="facebook",
        profile_url="https://www.facebook.com/hanne.jensen.85",
        purpose="Sammenholde borgerens forklaring om funktionsevne med offentlige opslag.",
        content_was_public=True,
        no_contact_confirmed=True,
        outcome=LookupOutcome.FINDINGS,
        performed_at=now - dt.timedelta(minutes=5),
        acting_user=by,
    )
    finding = smc_services.finding_record(
        lookup=lookup,
        description=description,
        relevance="Kan vise, at borgeren kan stå op i længere tid.",
        url=url,
        posted_on=posted_on or clock.today() - dt.timedelta(days=3),
        acting_user=by,
    )
    finding = smc_services.finding_mark_for_use(finding=finding, title=title, acting_user=by)
    assert finding.evidence_item is not None
    return finding.evidence_item


def medical_assessment(case: Case, *, by: User) -> EvidenceItem:
    return case_services.evidence_add(
        case=case,
        kind=EvidenceKind.MEDICAL_ASSESSMENT,
        title="Lægeattest fra egen læge",
        description="Borgeren kan højst arbejde 10 timer om ugen i de næste 3 måneder.",
        occurred_on=clock.today() - dt.timedelta(days=2),
        acting_user=by,
    )


READING = "Vi forstår billedet sådan, at du kan stå op i længere tid."


def hearing_about(case: Case, items: list[EvidenceItem], *, by: User, **kwargs: Any) -> Hearing:
    return case_services.hearing_send(case=case, items=[(item, READING) for item in items], acting_user=by, **kwargs)


def heard(case: Case, items: list[EvidenceItem], *, by: User) -> Hearing:
    """A hearing about the items that the citizen has answered: complete (H5)."""
    hearing = hearing_about(case, items, by=by)
    return case_services.hearing_record_response(
        hearing=hearing, response_text="Jeg bagte småkagerne siddende ved køkkenbordet.", acting_user=by
    )


REASONS = {
    "legal_basis": "Lov om sygedagpenge § 21.",
    "main_considerations": "Borgerens arbejdsevne er vurderet af egen læge.",
    "facts_relied_on": "Lægeattest og borgerens egne oplysninger.",
}


def adverse_draft(case: Case, *, by: User, kind: str = DecisionKind.BENEFIT_REDUCTION, **overrides: Any) -> Decision:
    """A draft adverse decision with all its reasons written (D4)."""
    fields = {"summary": "Sygedagpengene nedsættes med 25 %.", **REASONS, **overrides}
    return case_services.decision_draft(case=case, kind=kind, acting_user=by, **fields)


def cite(decision: Decision, item: EvidenceItem, *, by: User, weighing: str = "Tillagt vægt.") -> DecisionEvidence:
    return case_services.decision_cite_evidence(
        decision=decision, evidence_item=item, weighing=weighing, acting_user=by
    )


def other_case(world: Any) -> Case:
    """A second Aalborg case on the same team, for a different citizen."""
    return CaseFactory(team=world.sygedagpenge_team, acting_user=world.mette)
