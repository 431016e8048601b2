from jobcenter.casework.views import cases, decisions, hearings, lookups, mandates

urlpatterns = [
    *cases.urlpatterns,
    *lookups.urlpatterns,
    *hearings.urlpatterns,
    *decisions.urlpatterns,
    *mandates.urlpatterns,
]
