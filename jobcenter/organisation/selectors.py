"""Reads about organisation and policy."""

from django.contrib.auth.models import AnonymousUser, Group, User
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet

from jobcenter.organisation.models import Jobcentre, Policy, SharedProfile, StaffProfile, Team
from jobcenter.organisation.roles import Role


def policy_current(*, jobcentre: Jobcentre | int) -> Policy:
    """The jobcentre's policy in force: its highest version."""
    return Policy.objects.filter(jobcentre=jobcentre).latest()


# A request's user object asks for its roles and profile many times (middleware, views, services,
# the audit layer); they are read once per user object. request.user is new for every request, so a
# changed role or profile still takes effect on the very next request.


def users_with_role_facts() -> QuerySet[User]:
    """Users with their role names and staff profile (jobcentre, union) in the same query; the request
    layer loads the logged-in user through it, so later calls below ask the database nothing."""
    return User.objects.select_related("staff_profile__jobcentre", "staff_profile__union").annotate(
        role_name_list=ArraySubquery(Group.objects.filter(user=OuterRef("pk")).values("name"))
    )


def remember_role_facts(user: User) -> None:
    """Keep the facts `users_with_role_facts` loaded where the two readers below look for them."""
    setattr(user, "_role_names", frozenset(user.role_name_list))  # type: ignore[attr-defined]  # noqa: B010
    setattr(user, "_staff_profile", getattr(user, "staff_profile", None))  # noqa: B010


def staff_profile_for(user: User | AnonymousUser) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_staff_profile"):
        profile = StaffProfile.objects.filter(user_id=user.pk).select_related("jobcentre", "union").first()
        setattr(user, "_staff_profile", profile)  # noqa: B010
    cached: StaffProfile | None = getattr(user, "_staff_profile")  # noqa: B009
    return cached


def user_jobcentre_id(user: User | AnonymousUser) -> int | None:
    profile = staff_profile_for(user)
    return profile.jobcentre_id if profile else None


def user_role_names(user: User | AnonymousUser) -> frozenset[str]:
    if not isinstance(user, User):
        return frozenset()
    if not hasattr(user, "_role_names"):
        setattr(user, "_role_names", frozenset(user.groups.values_list("name", flat=True)))  # noqa: B010
    names: frozenset[str] = getattr(user, "_role_names")  # noqa: B009
    return names


def user_has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role.value in user_role_names(user)


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


def teams_of_user(user: User) -> QuerySet[Team]:
    """The teams the user belongs to: one query on the membership's user index."""
    return Team.objects.filter(memberships__user=user).order_by("name")


def teams_of_jobcentre(*, jobcentre_id: int) -> QuerySet[Team]:
    return Team.objects.filter(jobcentre_id=jobcentre_id).order_by("name")


def active_shared_profiles(*, jobcentre_id: int) -> QuerySet[SharedProfile]:
    """The jobcentre's registered shared profiles a lookup may name (L6)."""
    return SharedProfile.objects.filter(jobcentre_id=jobcentre_id, active=True).order_by("platform", "account_name")
