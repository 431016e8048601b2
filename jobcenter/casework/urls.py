from jobcenter.casework.views import cases, decisions, hearings, lookups

urlpatterns = [*cases.urlpatterns, *lookups.urlpatterns, *hearings.urlpatterns, *decisions.urlpatterns]
