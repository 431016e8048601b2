"""factory_boy factories that build through the services, so test data obeys the same rules as real data."""

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import User

from cases import services as case_services
from cases.models import (
    BenefitType,
    Case,
    Citizen,
    EvidenceKind,
    MandateKind,
    PowerOfAttorney,
    Suspicion,
    Tip,
    TipChannel,
)
from jobcenter.core import clock
from jobcenter.organisation.models import Team


def cpr_for(birth_date: dt.date, serial: int) -> str:
    """A CPR number whose 7th digit gives the right century for the birth date (serial: 0-999)."""
    year = birth_date.year
    if 1900 <= year <= 1999:
        seventh = 0
    elif 2000 <= year <= 2036:
        seventh = 4
    else:
        seventh = 5
    return f"{birth_date:%d%m%y}{seventh}{serial % 1000:03d}"


class CitizenFactory(factory.Factory):
    class Meta:
        model = Citizen

    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    cpr = factory.Sequence(lambda n: cpr_for(dt.date(1970, 1, 1) + dt.timedelta(days=n), n))

    @classmethod
    def _create(cls, model_class: type, *args: Any, acting_user: User, **kwargs: Any) -> Citizen:
        return case_services.citizen_create(acting_user=acting_user, **kwargs)


class CaseFactory(factory.Factory):
    class Meta:
        model = Case

    benefit_type = BenefitType.SYGEDAGPENGE
    fraud_suspected = False

    @classmethod
    def _create(cls, model_class: type, *args: Any, acting_user: User, team: Team, **kwargs: Any) -> Case:
        if "citizen" not in kwargs:
            kwargs["citizen"] = CitizenFactory(jobcentre=team.jobcentre, acting_user=acting_user)
        kwargs.setdefault("assigned_caseworker", acting_user)
        return case_services.case_open(team=team, acting_user=acting_user, **kwargs)


def tip_for(case: Case, *, by: User, summary: str = "Anonym anmeldelse om sort arbejde.") -> Tip:
    return case_services.tip_record(
        case=case,
        channel=TipChannel.WEB_FORM,
        received_on=dt.date.today() - dt.timedelta(days=1),
        summary=summary,
        acting_user=by,
    )


def suspicion_for(case: Case, *, by: User, **overrides: Any) -> Suspicion:
    fields = {
        "grounds": "Borgerens forklaring om funktionsevne stemmer ikke med oplysninger fra praktikstedet.",
        "control_theme": "Funktionsevne under sygemelding",
        "other_sources_consulted": "Praktikstedets fremmøderegistrering.",
        "unjustified_benefit_reason": "",
        **overrides,
    }
    return case_services.suspicion_record(case=case, acting_user=by, **fields)


def medical_assessment_for(case: Case, *, by: User) -> Any:
    return case_services.evidence_add(
        case=case,
        kind=EvidenceKind.MEDICAL_ASSESSMENT,
        title="Lægeattest fra egen læge",
        description="Borgeren kan højst arbejde 10 timer om ugen i de næste 3 måneder.",
        occurred_on=dt.date.today() - dt.timedelta(days=2),
        acting_user=by,
    )


def days_from_today(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


def mandate_for_lone(world: Any, **overrides: Any) -> PowerOfAttorney:
    """Hanne's power of attorney for Lone of 3F (party representative, from 40 days ago), through the service."""
    fields = {
        "citizen": world.cookie_case.citizen,
        "union": world.union_3f,
        "representative": world.lone,
        "kind": MandateKind.PARTY_REPRESENTATIVE,
        "valid_from": days_from_today(-40),
        "acting_user": world.mette,
        **overrides,
    }
    return case_services.mandate_record(**fields)
