from django.contrib import admin
from django.urls import path

admin.site.site_header = "Jobcenter sagsbehandling"
admin.site.site_title = "Jobcenter"

urlpatterns = [
    path("admin/", admin.site.urls),
]
