from django.urls import path

from jobcenter.accounts import views

urlpatterns = [
    path("", views.AccountView.as_view(), name="account"),
    path("to-faktor/", views.SecondFactorVerifyView.as_view(), name="second_factor_verify"),
    path("to-faktor/opsaet/", views.SecondFactorSetupView.as_view(), name="second_factor_setup"),
]
