"""Sharing a case with a named colleague (A1), e.g. a substitute during a holiday."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext_lazy as _

from cases import services as case_services
from cases.selectors import case_shares
from jobcenter.casework.forms_sharing import CaseShareForm
from jobcenter.casework.views.base import CaseFormView
from jobcenter.organisation.selectors import colleagues_of_jobcentre


class CaseShareView(CaseFormView):
    form_class = CaseShareForm
    template_name = "casework/sharing/share.html"
    title = _("Del sagen med en kollega")
    submit_label = _("Del sagen")
    success_message = _("Sagen er delt. Kollegaen kan se den fra sin næste side.")

    def colleagues(self) -> QuerySet[User]:
        return colleagues_of_jobcentre(jobcentre_id=self.case.citizen.jobcentre_id).exclude(
            team_memberships__team=self.case.team
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "colleagues": self.colleagues()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(shares=case_shares(case=self.case), **kwargs)

    def perform(self, data: dict[str, Any]) -> Any:
        return case_services.case_share(case=self.case, colleague=data["colleague"], acting_user=self.request.user)


class CaseUnshareView(CaseFormView):
    form_class = CaseShareForm
    template_name = "casework/sharing/share.html"
    title = _("Ophæv deling")
    success_message = _("Delingen er ophævet.")
    http_method_names = ["post"]

    def get_form_kwargs(self) -> dict[str, Any]:
        shared_with = User.objects.filter(pk__in=case_shares(case=self.case).values("user_id"))
        return {**super().get_form_kwargs(), "colleagues": shared_with}

    def perform(self, data: dict[str, Any]) -> Any:
        return case_services.case_unshare(case=self.case, colleague=data["colleague"], acting_user=self.request.user)


urlpatterns = [
    path("sager/<int:case_pk>/deling/", CaseShareView.as_view(), name="case_share"),
    path("sager/<int:case_pk>/deling/ophaev/", CaseUnshareView.as_view(), name="case_unshare"),
]
