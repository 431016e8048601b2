"""Reads about organisation and policy."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from jobcenter.organisation.models import Jobcentre, Policy, StaffProfile
from jobcenter.organisation.roles import Role


def policy_current(*, jobcentre: Jobcentre | int) -> Policy:
    """The jobcentre's policy in force: its highest version."""
    return Policy.objects.filter(jobcentre=jobcentre).latest()


def staff_profile_for(user: User | AnonymousUser) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    return StaffProfile.objects.filter(user_id=user.pk).select_related("jobcentre", "union").first()


def user_jobcentre_id(user: User | AnonymousUser) -> int | None:
    profile = staff_profile_for(user)
    return profile.jobcentre_id if profile else None


def user_has_role(user: User | AnonymousUser, role: Role) -> bool:
    return isinstance(user, User) and user.groups.filter(name=role.value).exists()


def colleagues_of_jobcentre(*, jobcentre_id: int) -> QuerySet[User]:
    """Caseworkers and supervisors of a jobcentre, active accounts only."""
    return (
        User.objects.filter(
            is_active=True,
            staff_profile__jobcentre_id=jobcentre_id,
            groups__name__in=[Role.CASEWORKER.value, Role.SUPERVISOR.value],
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
