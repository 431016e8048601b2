"""Named personas, the way the people in DESIGN.md §2 meet the product.

- Mette Madsen, caseworker in Jobcenter Aalborg, team Sygedagpenge (works the cookie case).
- Jonas Nielsen, another caseworker on the same team.
- Susanne Berg, supervisor in Aalborg.
- Ahmed Hassan, caseworker in Jobcenter Aarhus (another jobcentre: must never reach Aalborg's cases).
- Lone Holm, 3F union representative.
- Hanne Jensen, the sick-listed citizen of the Christmas-cookie case.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User

from cases.models import BenefitType, Case
from jobcenter.organisation import services as org_services
from jobcenter.organisation.models import Jobcentre, Policy, Team, UnionOrganisation
from jobcenter.organisation.presets import preset_by_code
from jobcenter.organisation.roles import Role
from jobcenter.organisation.services import policy_publish
from tests.factories import CaseFactory, CitizenFactory


@dataclass
class World:
    aalborg: Jobcentre
    aarhus: Jobcentre
    sygedagpenge_team: Team
    kontanthjaelp_team: Team
    aarhus_team: Team
    union_3f: UnionOrganisation
    mette: User
    jonas: User
    susanne: User
    ahmed: User
    lone: User
    cookie_case: Case

    def set_policy(self, jobcentre: Jobcentre, **switches: Any) -> Policy:
        """Publish a policy version as the jobcentre's administrator (made on first use)."""
        username = f"admin-{jobcentre.municipality_code}"
        admin = User.objects.filter(username=username).first() or org_services.staff_user_create(
            username=username, password="x", role=Role.ADMINISTRATOR, jobcentre=jobcentre, acting_user=None
        )
        return policy_publish(jobcentre=jobcentre, switches=switches, acting_user=admin)


@pytest.fixture
def world(db: None) -> World:
    aalborg = org_services.jobcentre_create_from_preset(preset=preset_by_code("851"), acting_user=None)
    aarhus = org_services.jobcentre_create_from_preset(preset=preset_by_code("751"), acting_user=None)
    sygedagpenge = org_services.team_create(jobcentre=aalborg, name="Sygedagpenge", acting_user=None)
    kontanthjaelp = org_services.team_create(jobcentre=aalborg, name="Kontanthjælp", acting_user=None)
    aarhus_team = org_services.team_create(jobcentre=aarhus, name="Jobafklaring", acting_user=None)
    union_3f = org_services.union_create(name="3F", acting_user=None)

    def staff(username: str, first: str, last: str, role: Role, **where: Any) -> User:
        return org_services.staff_user_create(
            username=username, password="x", role=role, first_name=first, last_name=last, acting_user=None, **where
        )

    mette = staff("mette", "Mette", "Madsen", Role.CASEWORKER, jobcentre=aalborg, teams=[sygedagpenge])
    jonas = staff("jonas", "Jonas", "Nielsen", Role.CASEWORKER, jobcentre=aalborg, teams=[sygedagpenge])
    susanne = staff(
        "susanne", "Susanne", "Berg", Role.SUPERVISOR, jobcentre=aalborg, teams=[sygedagpenge, kontanthjaelp]
    )
    ahmed = staff("ahmed", "Ahmed", "Hassan", Role.CASEWORKER, jobcentre=aarhus, teams=[aarhus_team])
    lone = staff("lone", "Lone", "Holm", Role.UNION_REPRESENTATIVE, union=union_3f)

    hanne = CitizenFactory(
        jobcentre=aalborg, cpr="1203854321", first_name="Hanne", last_name="Jensen", acting_user=mette
    )
    cookie_case = CaseFactory(
        citizen=hanne, team=sygedagpenge, benefit_type=BenefitType.SYGEDAGPENGE, acting_user=mette
    )
    return World(
        aalborg=aalborg,
        aarhus=aarhus,
        sygedagpenge_team=sygedagpenge,
        kontanthjaelp_team=kontanthjaelp,
        aarhus_team=aarhus_team,
        union_3f=union_3f,
        mette=mette,
        jonas=jonas,
        susanne=susanne,
        ahmed=ahmed,
        lone=lone,
        cookie_case=cookie_case,
    )
