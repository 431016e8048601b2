from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Jobcenter sagsbehandling"
admin.site.site_title = "Jobcenter"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("jobcenter.accounts.urls")),
    path("tilsyn/", include("jobcenter.supervision.urls")),
    path("rapporter/", include("jobcenter.reports.urls")),
    path("beskeder/", include("jobcenter.notifications.urls")),
    path("", include("jobcenter.casework.urls")),
]
