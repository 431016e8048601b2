"""Hearings (partshøring, H2-H5) and the letters as PDF: send a hearing after previewing the exact letter,
see a hearing and whether it is complete, record the citizen's answer, extend the deadline, and download
the hearing letter or an issued decision as PDF."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_stubs_ext import StrOrPromise

from cases import services as case_services
from cases.models import EvidenceItem, Hearing
from cases.rules import HearingFacts, hearing_is_complete
from cases.selectors import case_evidence, decision_citations, hearing_get_for_user, issued_decision_get_for_user
from jobcenter.audit.models import Action
from jobcenter.casework.forms_hearings import HearingExtendForm, HearingResponseForm, HearingSendForm
from jobcenter.casework.pdf import pdf_response, render_pdf
from jobcenter.casework.views.base import (
    BAD_INPUT_STATUS,
    AuthenticatedHttpRequest,
    CaseFormView,
    ServiceFormView,
    StaffRequiredMixin,
    audit_read,
    is_casework_user,
)
from jobcenter.core import clock
from jobcenter.core.violations import Violation

# --- Reads: only what the user may see (A1); anything else answers 404 --------------------------------------


# --- Send a hearing -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistLine:
    label: str
    ok_text: str
    violations: list[Violation]

    @property
    def ok(self) -> bool:
        return not self.violations


_ITEM_CODES = ("H2.items", "H2.case", "H2.reading", "H2.finding")


def hearing_checklist(draft: case_services.HearingDraft, *, fraud_suspected: bool) -> list[ChecklistLine]:
    """The rules of a hearing letter (H2-H4) as lines to tick off, each with what breaks it."""

    def matching(*codes: str) -> list[Violation]:
        return [v for v in draft.violations if v.code in codes]

    representative = draft.representative
    lines = [
        ChecklistLine(
            _("Hver oplysning med hvad, hvornår, hvor og jobcenterets forståelse (H2)"),
            _("Alle valgte oplysninger er beskrevet."),
            matching(*_ITEM_CODES),
        ),
        ChecklistLine(
            _("Svarfrist og at der kan træffes afgørelse efter fristen (H2)"),
            _("Svarfristen er lang nok."),
            matching("H2.deadline"),
        ),
        ChecklistLine(
            _("Vejledning om retten til ikke at inkriminere sig selv (H3)"),
            _("Brevet indeholder vejledningen.")
            if fraud_suspected
            else _("Sagen er ikke markeret med mistanke om bedrageri."),
            matching("H3"),
        ),
        ChecklistLine(
            _("Kopi til partsrepræsentant (H4)"),
            _("Kopi sendes til %(name)s.") % {"name": representative.get_full_name() or representative.get_username()}
            if representative
            else _("Borgeren har ingen partsrepræsentant."),
            matching("H4"),
        ),
    ]
    known = {*_ITEM_CODES, "H2.deadline", "H3", "H4"}
    other = [v for v in draft.violations if v.code not in known]
    if other:
        lines.append(ChecklistLine(_("Øvrige krav"), "", other))
    return lines


class HearingSendView(CaseFormView):
    """Choose the evidence items, write how the jobcentre reads each, and preview or send the letter."""

    form_class = HearingSendForm
    template_name = "casework/hearings/send.html"
    title = gettext_lazy("Send partshøring")
    submit_label = gettext_lazy("Send partshøring")
    success_message = gettext_lazy("Partshøringen er sendt.")
    PREVIEW = "preview"
    chosen: list[tuple[EvidenceItem, str]]

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "evidence": case_evidence(case=self.case)}

    def get_initial(self) -> dict[str, Any]:
        return {"deadline": case_services.hearing_default_deadline(case=self.case)}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.POST.get("action") != self.PREVIEW:
            return super().post(request, *args, **kwargs)
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        return self.preview(form)

    def preview(self, form: HearingSendForm) -> HttpResponse:
        """The letter exactly as sending would send it, and what would refuse it. Writes nothing."""
        draft = case_services.hearing_compose(
            case=self.case, items=form.chosen_items(), deadline=form.cleaned_data["deadline"]
        )
        for violation in draft.violations:
            if violation.field and violation.field in form.fields:
                form.add_error(violation.field, str(violation.message))
        context = self.get_context_data(
            form=form,
            draft=draft,
            checklist=hearing_checklist(draft, fraud_suspected=self.case.fraud_suspected),
        )
        return self.render_to_response(context, status=BAD_INPUT_STATUS if draft.violations else 200)

    def form_valid(self, form: BaseForm) -> HttpResponse:
        assert isinstance(form, HearingSendForm)
        self.chosen = form.chosen_items()
        return super().form_valid(form)

    def perform(self, data: dict[str, Any]) -> Hearing:
        return case_services.hearing_send(
            case=self.case, items=self.chosen, deadline=data["deadline"], acting_user=self.request.user
        )

    def success_url_for(self, result: Hearing) -> str:
        return redirect("hearing_detail", pk=result.pk).url


# --- A hearing: detail, answer, extension -------------------------------------------------------------------


def completeness_reason(hearing: Hearing, *, today: date) -> tuple[bool, str]:
    """H5, computed now from the data: answered, or the deadline day is over."""
    complete = hearing_is_complete(
        HearingFacts(deadline=hearing.deadline, response_received_at=hearing.response_received_at), today=today
    )
    if hearing.response_received_at is not None:
        reason = _("Borgeren har svaret %(when)s.") % {
            "when": clock.localtime(hearing.response_received_at).strftime("%d.%m.%Y %H:%M")
        }
    elif complete:
        reason = _("Svarfristen udløb %(date)s uden svar.") % {"date": hearing.deadline.strftime("%d.%m.%Y")}
    else:
        reason = _("Afventer borgerens svar. Uden svar er høringen gennemført fra %(date)s.") % {
            "date": (hearing.deadline + timedelta(days=1)).strftime("%d.%m.%Y")
        }
    return complete, reason


def hearing_detail_context(
    hearing: Hearing,
    *,
    response_form: BaseForm | None = None,
    extend_form: BaseForm | None = None,
) -> dict[str, Any]:
    complete, reason = completeness_reason(hearing, today=clock.today())
    return {
        "hearing": hearing,
        "case": hearing.case,
        "items": hearing.items.select_related("evidence_item").order_by("id"),
        "extensions": hearing.extensions.select_related("granted_by").order_by("granted_at", "id"),
        "complete": complete,
        "complete_reason": reason,
        "response_form": response_form or HearingResponseForm(),
        "extend_form": extend_form or HearingExtendForm(),
    }


class HearingDetailView(StaffRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        hearing = hearing_get_for_user(request.user, pk)
        audit_read(request, hearing)
        return render(request, "casework/hearings/detail.html", hearing_detail_context(hearing))


class HearingActionView(ServiceFormView):
    """A form on the hearing page. Errors re-render the whole page, with status 400 and the error at its field."""

    http_method_names = ["post"]
    template_name = "casework/hearings/detail.html"
    hearing: Hearing
    form_context_name = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if is_casework_user(request.user):
            self.hearing = hearing_get_for_user(request.user, kwargs["pk"])
            audit_read(request, self.hearing)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        return {**context, **hearing_detail_context(self.hearing, **{self.form_context_name: context["form"]})}

    def success_url_for(self, result: Any) -> str:
        return redirect("hearing_detail", pk=self.hearing.pk).url


class HearingResponseView(HearingActionView):
    form_class = HearingResponseForm
    form_context_name = "response_form"
    success_message: StrOrPromise = gettext_lazy("Borgerens svar er registreret. Høringen er gennemført.")

    def perform(self, data: dict[str, Any]) -> Hearing:
        return case_services.hearing_record_response(hearing=self.hearing, acting_user=self.request.user, **data)


class HearingExtendView(HearingActionView):
    form_class = HearingExtendForm
    form_context_name = "extend_form"
    success_message: StrOrPromise = gettext_lazy("Svarfristen er forlænget.")

    def perform(self, data: dict[str, Any]) -> Hearing:
        return case_services.hearing_extend(hearing=self.hearing, acting_user=self.request.user, **data)


# --- Letters as PDF -------------------------------------------------------------------------------------------


class HearingLetterPdfView(StaffRequiredMixin, View):
    """The stored letter (what the citizen was told, H2-H4) on the jobcentre's A4 letter paper."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        hearing = hearing_get_for_user(request.user, pk)
        audit_read(request, hearing, action=Action.EXPORT, details={"document": "hearing_letter"})
        context = {
            "case": hearing.case,
            "jobcentre": hearing.case.citizen.jobcentre,
            "citizen": hearing.case.citizen,
            "letter_date": clock.localdate(hearing.sent_at),
            "hearing": hearing,
        }
        content = render_pdf("letters/hearing.html", context, request=request)
        return pdf_response(content, filename=f"partshoering-{hearing.case.reference}.pdf")


class DecisionLetterPdfView(StaffRequiredMixin, View):
    """An issued decision with its reasons (D4: legal basis, main considerations, facts, each cited item's
    weighing) and its complaint guidance. Drafts have no letter."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        decision = issued_decision_get_for_user(request.user, pk)
        audit_read(request, decision, action=Action.EXPORT, details={"document": "decision_letter"})
        if decision.issued_at is None:
            raise Http404
        context = {
            "case": decision.case,
            "jobcentre": decision.case.citizen.jobcentre,
            "citizen": decision.case.citizen,
            "letter_date": clock.localdate(decision.issued_at),
            "decision": decision,
            "citations": decision_citations(decision=decision),
        }
        content = render_pdf("letters/decision.html", context, request=request)
        return pdf_response(content, filename=f"afgoerelse-{decision.case.reference}.pdf")


urlpatterns = [
    path("sager/<int:case_pk>/partshoering/", HearingSendView.as_view(), name="hearing_send"),
    path("partshoeringer/<int:pk>/", HearingDetailView.as_view(), name="hearing_detail"),
    path("partshoeringer/<int:pk>/svar/", HearingResponseView.as_view(), name="hearing_record_response"),
    path("partshoeringer/<int:pk>/forlaeng/", HearingExtendView.as_view(), name="hearing_extend"),
    path("partshoeringer/<int:pk>/brev.pdf", HearingLetterPdfView.as_view(), name="hearing_letter_pdf"),
    path("afgoerelser/<int:pk>/brev.pdf", DecisionLetterPdfView.as_view(), name="decision_letter_pdf"),
]
