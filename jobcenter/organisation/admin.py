from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from jobcenter.core.admin import ReadOnlyHistoryAdmin
from jobcenter.organisation.models import (
    Jobcentre,
    Policy,
    SharedProfile,
    StaffProfile,
    Team,
    TeamMembership,
    UnionOrganisation,
)


@admin.register(Jobcentre)
class JobcentreAdmin(SimpleHistoryAdmin):
    list_display = ["name", "municipality_code"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "jobcentre"]
    list_filter = ["jobcentre"]


@admin.register(UnionOrganisation)
class UnionOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "jobcentre", "union"]
    list_select_related = ["user", "jobcentre", "union"]


@admin.register(TeamMembership)
class TeamMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "team"]
    list_select_related = ["user", "team__jobcentre"]


@admin.register(SharedProfile)
class SharedProfileAdmin(SimpleHistoryAdmin):
    list_display = ["account_name", "platform", "jobcentre", "active"]


@admin.register(Policy)
class PolicyAdmin(ReadOnlyHistoryAdmin):
    """Policies are versioned: the admin shows them; a change is published through `policy_publish`."""

    list_display = ["jobcentre", "version", "lookup_threshold", "hearing_days", "published_at"]
    list_filter = ["jobcentre"]
