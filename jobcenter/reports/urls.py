from django.urls import path

from jobcenter.reports import views

urlpatterns = [
    path("", views.UnionLandingView.as_view(), name="union_landing"),
    path("sager/<int:case_pk>/", views.UnionCaseReportView.as_view(), name="union_case_report"),
    path("sager/<int:case_pk>/rapport.pdf", views.UnionCaseReportPdfView.as_view(), name="union_case_report_pdf"),
    path("sager/<int:case_pk>/rapport/bestil/", views.UnionReportJobStartView.as_view(), name="union_report_job_start"),
    path("jobs/<int:pk>/", views.UnionReportJobView.as_view(), name="union_report_job"),
    path("jobs/<int:pk>/rapport.pdf", views.UnionReportJobDownloadView.as_view(), name="union_report_job_download"),
]
