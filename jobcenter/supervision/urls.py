from jobcenter.supervision.views import audit_log, review

urlpatterns = [*audit_log.urlpatterns, *review.urlpatterns]
