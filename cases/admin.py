from django.contrib import admin

from cases.models import (
    Case,
    Citizen,
    Decision,
    DecisionAttempt,
    DecisionEvidence,
    EvidenceItem,
    Hearing,
    HearingExtension,
    HearingItem,
    JournalNote,
    PowerOfAttorney,
    Suspicion,
    Tip,
)
from jobcenter.core.admin import ReadOnlyHistoryAdmin


@admin.register(Citizen)
class CitizenAdmin(ReadOnlyHistoryAdmin):
    list_display = ["__str__", "masked_cpr", "jobcentre"]
    list_filter = ["jobcentre"]
    exclude = ["cpr"]
    readonly_fields = ["masked_cpr"]


@admin.register(Case)
class CaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["reference", "citizen", "benefit_type", "status", "team", "fraud_suspected"]
    list_filter = ["status", "benefit_type", "team__jobcentre"]
    list_select_related = ["citizen", "team__jobcentre"]
    search_fields = ["reference"]


@admin.register(Tip)
class TipAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "channel", "received_on", "status", "recorded_at"]
    exclude = ["tipper_identity"]


for model in (
    JournalNote,
    Suspicion,
    EvidenceItem,
    Hearing,
    HearingItem,
    HearingExtension,
    Decision,
    DecisionEvidence,
    DecisionAttempt,
    PowerOfAttorney,
):
    admin.site.register(model, ReadOnlyHistoryAdmin)
