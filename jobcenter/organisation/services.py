"""Writes about organisation: jobcentres with their policy, teams, staff and policy versions."""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobcenter.core.history import save_validated
from jobcenter.core.violations import RuleViolationError, Violation
from jobcenter.organisation.models import Jobcentre, Policy, StaffProfile, Team, TeamMembership, UnionOrganisation
from jobcenter.organisation.presets import Preset
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role, user_jobcentre_id


@transaction.atomic
def jobcentre_create(
    *, name: str, municipality_code: str, policy: dict[str, Any], acting_user: User | None
) -> Jobcentre:
    """A jobcentre is never without a policy: version 1 is published with it."""
    jobcentre = save_validated(Jobcentre(name=name, municipality_code=municipality_code), acting_user=acting_user)
    _policy_save(jobcentre=jobcentre, version=1, switches=policy, acting_user=acting_user)
    return jobcentre


def jobcentre_create_from_preset(*, preset: Preset, acting_user: User | None) -> Jobcentre:
    return jobcentre_create(
        name=preset.name, municipality_code=preset.municipality_code, policy=preset.switches, acting_user=acting_user
    )


@transaction.atomic
def policy_publish(*, jobcentre: Jobcentre, switches: dict[str, Any], acting_user: User) -> Policy:
    """Publish the next policy version: the previous one stays as it was, for everything decided under it.
    Only an administrator of the jobcentre publishes its policy."""
    if not (user_has_role(acting_user, Role.ADMINISTRATOR) and user_jobcentre_id(acting_user) == jobcentre.pk):
        raise RuleViolationError(
            [Violation("A1.policy", _("Kun jobcenterets administrator kan ændre jobcenterets politik."))]
        )
    locked = Jobcentre.objects.select_for_update().get(pk=jobcentre.pk)
    current = Policy.objects.filter(jobcentre=locked).latest()
    carried = {
        field.name: getattr(current, field.name)
        for field in Policy._meta.concrete_fields
        if field.name not in {"id", "jobcentre", "version", "published_at", "published_by"}
    }
    return _policy_save(
        jobcentre=locked, version=current.version + 1, switches={**carried, **switches}, acting_user=acting_user
    )


def _policy_save(*, jobcentre: Jobcentre, version: int, switches: dict[str, Any], acting_user: User | None) -> Policy:
    return save_validated(
        Policy(jobcentre=jobcentre, version=version, published_by=acting_user, **switches),
        acting_user=acting_user,
        reason="policy_publish",
    )


def team_create(*, jobcentre: Jobcentre, name: str, acting_user: User | None) -> Team:
    return save_validated(Team(jobcentre=jobcentre, name=name), acting_user=acting_user)


def union_create(*, name: str, acting_user: User | None) -> UnionOrganisation:
    return save_validated(UnionOrganisation(name=name), acting_user=acting_user)


@transaction.atomic
def staff_user_create(
    *,
    username: str,
    password: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    jobcentre: Jobcentre | None = None,
    union: UnionOrganisation | None = None,
    teams: Iterable[Team] = (),
    acting_user: User | None,
) -> User:
    """A user with one role, placed in a jobcentre (staff) or a union (representatives)."""
    if (role == Role.UNION_REPRESENTATIVE) != (union is not None):
        raise ValidationError(_("Faglige repræsentanter, og kun de, hører til en fagforening."), code="role_union")
    teams = list(teams)
    if any(team.jobcentre_id != (jobcentre.pk if jobcentre else None) for team in teams):
        raise ValidationError(_("Et team skal høre til brugerens jobcenter."), code="team_jobcentre")
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    user.set_password(password)
    save_validated(user, acting_user=acting_user, exclude=["password"])
    # The role groups come from a migration; get_or_create keeps a flushed test database working too.
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    save_validated(StaffProfile(user=user, jobcentre=jobcentre, union=union), acting_user=acting_user)
    for team in teams:
        save_validated(TeamMembership(team=team, user=user), acting_user=acting_user)
    return user
