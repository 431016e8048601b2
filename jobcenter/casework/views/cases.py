"""Home, search, citizens and cases, and the simple writes on a case: notes, tips, suspicions, evidence."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views import View

from cases import services as case_services
from cases.models import Case, Citizen
from cases.selectors import case_get_for_user, case_search, citizen_get_for_user
from jobcenter.audit.models import Action
from jobcenter.casework import forms
from jobcenter.casework.selectors import case_journal, case_page, caseworker_desk
from jobcenter.casework.selectors_mandates import case_mandates
from jobcenter.casework.views.base import (
    AuthenticatedHttpRequest,
    CaseFormView,
    ServiceFormView,
    StaffRequiredMixin,
    audit_read,
    is_casework_user,
)
from jobcenter.core import clock
from jobcenter.organisation.selectors import staff_profile_for, teams_of_jobcentre

SEARCH_PAGE_SIZE = 20
JOURNAL_PAGE_SIZE = 100


class HomeView(StaffRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "casework/home.html", {"desk": caseworker_desk(request.user, today=clock.today())})


class SearchView(StaffRequiredMixin, View):
    """Search by CPR, name or case reference. POST, so a CPR number never appears in a URL."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return render(request, "casework/search.html", {"form": forms.SearchForm()})

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = forms.SearchForm(request.POST)
        if not form.is_valid():
            return render(request, "casework/search.html", {"form": form}, status=400)
        results = case_search(request.user, query=form.cleaned_data["query"])
        audit_read(request, None, action=Action.SEARCH, details={"criteria": form.cleaned_data["query"]})
        page = Paginator(results, SEARCH_PAGE_SIZE).get_page(form.cleaned_data["page"] or 1)
        return render(request, "casework/search.html", {"form": form, "page": page})


class CitizenCreateView(ServiceFormView):
    form_class = forms.CitizenForm
    title = _("Opret borger")
    submit_label = _("Opret borger")
    success_message = _("Borgeren er oprettet. Opret nu en sag.")

    def perform(self, data: dict[str, Any]) -> Citizen:
        profile = staff_profile_for(self.request.user)
        if profile is None or profile.jobcentre is None:
            raise PermissionDenied
        return case_services.citizen_create(jobcentre=profile.jobcentre, acting_user=self.request.user, **data)

    def success_url_for(self, result: Citizen) -> str:
        return redirect("case_open", citizen_pk=result.pk).url


class CaseOpenView(ServiceFormView):
    form_class = forms.CaseOpenForm
    title = _("Opret sag")
    submit_label = _("Opret sag")
    success_message = _("Sagen er oprettet.")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if is_casework_user(request.user):
            self.citizen = citizen_get_for_user(request.user, kwargs["citizen_pk"])
            audit_read(request, self.citizen)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "teams": teams_of_jobcentre(jobcentre_id=self.citizen.jobcentre_id)}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(citizen=self.citizen, **kwargs)

    def perform(self, data: dict[str, Any]) -> Case:
        return case_services.case_open(
            citizen=self.citizen, assigned_caseworker=self.request.user, acting_user=self.request.user, **data
        )

    def success_url_for(self, result: Case) -> str:
        return redirect("case_detail", pk=result.pk).url


class CaseDetailView(StaffRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        case = case_get_for_user(request.user, pk)
        audit_read(request, case)
        page = case_page(case)
        return render(
            request,
            "casework/case_detail.html",
            {
                "case": case,
                "timeline": page.timeline,
                "journal": page.newest_notes,
                "journal_size": page.journal_size,
                "has_open_basis": page.has_open_basis,
                "mandate_rows": case_mandates(case),
            },
        )


class JournalView(StaffRequiredMixin, View):
    """The case's whole journal, newest first, a page at a time."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        case = case_get_for_user(request.user, pk)
        # get_page answers any page parameter with a page (the first, or the last if past the end).
        page = Paginator(case_journal(case), JOURNAL_PAGE_SIZE).get_page(request.GET.get("page"))
        audit_read(request, case, details={"journal_page": page.number})
        return render(request, "casework/journal.html", {"case": case, "page": page})


class JournalNoteView(CaseFormView):
    form_class = forms.JournalNoteForm
    title = _("Skriv journalnotat")
    submit_label = _("Gem notat")
    success_message = _("Notatet er gemt. Det kan ikke ændres eller slettes.")

    def perform(self, data: dict[str, Any]) -> Any:
        return case_services.journal_note_add(case=self.case, acting_user=self.request.user, **data)


class TipView(CaseFormView):
    form_class = forms.TipForm
    title = _("Registrér anmeldelse")
    submit_label = _("Registrér anmeldelse")
    success_message = _("Anmeldelsen er registreret.")

    def perform(self, data: dict[str, Any]) -> Any:
        return case_services.tip_record(case=self.case, acting_user=self.request.user, **data)


class SuspicionView(CaseFormView):
    form_class = forms.SuspicionForm
    title = _("Dokumentér begrundet mistanke")
    submit_label = _("Registrér mistanke")
    success_message = _("Mistanken er registreret.")

    def perform(self, data: dict[str, Any]) -> Any:
        return case_services.suspicion_record(case=self.case, acting_user=self.request.user, **data)


class EvidenceView(CaseFormView):
    form_class = forms.EvidenceForm
    title = _("Tilføj bevis")
    submit_label = _("Tilføj bevis")
    success_message = _("Beviset er tilføjet.")

    def perform(self, data: dict[str, Any]) -> Any:
        return case_services.evidence_add(case=self.case, acting_user=self.request.user, **data)


urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("soeg/", SearchView.as_view(), name="search"),
    path("borgere/ny/", CitizenCreateView.as_view(), name="citizen_create"),
    path("borgere/<int:citizen_pk>/ny-sag/", CaseOpenView.as_view(), name="case_open"),
    path("sager/<int:pk>/", CaseDetailView.as_view(), name="case_detail"),
    path("sager/<int:pk>/journal/", JournalView.as_view(), name="case_journal"),
    path("sager/<int:case_pk>/notat/", JournalNoteView.as_view(), name="journal_note_add"),
    path("sager/<int:case_pk>/anmeldelse/", TipView.as_view(), name="tip_record"),
    path("sager/<int:case_pk>/mistanke/", SuspicionView.as_view(), name="suspicion_record"),
    path("sager/<int:case_pk>/bevis/", EvidenceView.as_view(), name="evidence_add"),
]
