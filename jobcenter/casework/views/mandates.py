"""Powers of attorney (fuldmagter) on a case: record one to a union representative, and revoke it. The
representative's access follows the mandate on the very next request (A2); nothing here caches it."""

from typing import Any

from django.http import HttpRequest
from django.urls import path
from django.utils.translation import gettext_lazy as _

from cases import services as case_services
from cases.models import MandateScope, PowerOfAttorney
from jobcenter.casework.forms_mandates import MandateForm, MandateRevokeForm
from jobcenter.casework.selectors_mandates import mandate_get_for_case, union_representatives
from jobcenter.casework.views.base import CaseFormView, is_casework_user
from jobcenter.core import clock


class MandateRecordView(CaseFormView):
    form_class = MandateForm
    template_name = "casework/mandates/record.html"
    title = _("Registrér fuldmagt")
    submit_label = _("Registrér fuldmagt")
    success_message = _("Fuldmagten er registreret.")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "representatives": union_representatives()}

    def get_initial(self) -> dict[str, Any]:
        return {"valid_from": clock.today(), "scope": MandateScope.CASE}

    def perform(self, data: dict[str, Any]) -> PowerOfAttorney:
        representative = data["representative"]
        return case_services.mandate_record(
            citizen=self.case.citizen,
            union=representative.staff_profile.union,
            representative=representative,
            kind=data["kind"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            case=self.case if data["scope"] == MandateScope.CASE else None,
            acting_user=self.request.user,
        )


class MandateRevokeView(CaseFormView):
    form_class = MandateRevokeForm
    template_name = "casework/mandates/revoke.html"
    title = _("Tilbagekald fuldmagt")
    submit_label = _("Tilbagekald fuldmagten")
    success_message = _("Fuldmagten er tilbagekaldt. Repræsentanten har ikke længere adgang til sagens rapport.")
    mandate: PowerOfAttorney

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if is_casework_user(request.user):
            _case, self.mandate = mandate_get_for_case(request.user, case_pk=kwargs["case_pk"], pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(mandate=self.mandate, **kwargs)

    def perform(self, data: dict[str, Any]) -> PowerOfAttorney:
        return case_services.mandate_revoke(mandate=self.mandate, acting_user=self.request.user)


urlpatterns = [
    path("sager/<int:case_pk>/fuldmagt/", MandateRecordView.as_view(), name="mandate_record"),
    path("sager/<int:case_pk>/fuldmagter/<int:pk>/tilbagekald/", MandateRevokeView.as_view(), name="mandate_revoke"),
]
