from django.contrib import admin

from jobcenter.core.admin import ReadOnlyHistoryAdmin
from socialmedia_checks.models import Finding, Lookup


@admin.register(Lookup)
class LookupAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "platform", "performed_by", "performed_at", "outcome"]
    list_filter = ["platform", "outcome"]
    list_select_related = ["case", "performed_by"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "lookup", "status", "recorded_at"]
    list_filter = ["status"]
