from jobcenter.casework.views import cases, decisions, hearings, lookups, mandates, sharing

urlpatterns = [
    *cases.urlpatterns,
    *lookups.urlpatterns,
    *hearings.urlpatterns,
    *decisions.urlpatterns,
    *mandates.urlpatterns,
    *sharing.urlpatterns,
]
