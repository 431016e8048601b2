"""The supervisor's desk: the overview, the review queue of every lookup, the flags and the approvals inbox.

Each view reads through one selector limited to the jobcentre `SupervisorRequiredMixin` found, or
calls one service. A lookup of another jobcentre answers 404; a flag without a comment answers 400
with the error next to the comment field and nothing written.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from jobcenter.casework.views.base import BAD_INPUT_STATUS, apply_service_errors, audit_read
from jobcenter.core import clock
from jobcenter.organisation.roles import Role
from jobcenter.organisation.selectors import user_has_role
from jobcenter.supervision import services
from jobcenter.supervision.forms_review import LookupReviewForm, ReviewFilterForm
from jobcenter.supervision.selectors.review import (
    ReviewFilter,
    approvals_inbox,
    desk_counts,
    lookup_get_for_review,
    lookup_row,
    review_queue,
    supervision_flags,
)
from jobcenter.supervision.views.base import SupervisorHttpRequest, SupervisorRequiredMixin
from socialmedia_checks.models import Lookup

REVIEW_PAGE_SIZE = 25


class SupervisionHomeView(SupervisorRequiredMixin, View):
    def get(self, request: SupervisorHttpRequest) -> HttpResponse:
        counts = desk_counts(jobcentre_id=self.jobcentre_id, today=clock.today())
        return render(request, "supervision/home.html", {"counts": counts})


class ReviewQueueView(SupervisorRequiredMixin, View):
    def get(self, request: SupervisorHttpRequest) -> HttpResponse:
        form = ReviewFilterForm.from_query(request.GET)
        if not form.is_valid():
            return render(request, "supervision/review_queue.html", {"filter_form": form}, status=BAD_INPUT_STATUS)
        status, page_number = form.cleaned_data["status"], form.cleaned_data["page"] or 1
        page = Paginator(review_queue(jobcentre_id=self.jobcentre_id, status=status), REVIEW_PAGE_SIZE).get_page(
            page_number
        )
        audit_read(request, None, details={"review_filter": status, "page": page.number})
        return render(
            request,
            "supervision/review_queue.html",
            {
                "filter_form": form,
                "status": status,
                "page": page,
                "rows": [lookup_row(lookup) for lookup in page.object_list],
                "can_review": user_has_role(request.user, Role.SUPERVISOR),
            },
        )


class LookupReviewView(SupervisorRequiredMixin, View):
    """One lookup with both review forms; the forms of the queue post here too."""

    def lookup(self, pk: int) -> Lookup:
        lookup = lookup_get_for_review(jobcentre_id=self.jobcentre_id, pk=pk)
        audit_read(self.request, lookup)
        return lookup

    def page(self, lookup: Lookup, form: LookupReviewForm, *, status: int = 200) -> HttpResponse:
        context = {
            "row": lookup_row(lookup),
            "form": form,
            "can_review": user_has_role(self.request.user, Role.SUPERVISOR),
        }
        return render(self.request, "supervision/review_lookup.html", context, status=status)

    def get(self, request: SupervisorHttpRequest, lookup_pk: int) -> HttpResponse:
        return self.page(self.lookup(lookup_pk), LookupReviewForm(initial={"action": LookupReviewForm.FLAG}))

    def post(self, request: SupervisorHttpRequest, lookup_pk: int) -> HttpResponse:
        lookup = self.lookup(lookup_pk)
        form = LookupReviewForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == LookupReviewForm.FLAG:
                    services.lookup_review_flag(lookup=lookup, comment=data["comment"], acting_user=request.user)
                    messages.success(request, _("Opslaget er markeret med din bemærkning."))
                else:
                    services.lookup_review_mark(lookup=lookup, acting_user=request.user)
                    messages.success(request, _("Opslaget er markeret som gennemgået."))
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                query = {"status": data["status"] or ReviewFilter.UNREVIEWED, "page": data["page"] or 1}
                return HttpResponseRedirect(f"{reverse('review_queue')}?{urlencode(query)}")
        return self.page(lookup, form, status=BAD_INPUT_STATUS)


class FlagsView(SupervisorRequiredMixin, View):
    def get(self, request: SupervisorHttpRequest) -> HttpResponse:
        flags = supervision_flags(jobcentre_id=self.jobcentre_id, today=clock.today())
        return render(request, "supervision/flags.html", {"flags": flags})


class ApprovalsView(SupervisorRequiredMixin, View):
    def get(self, request: SupervisorHttpRequest) -> HttpResponse:
        context: dict[str, Any] = {
            "items": approvals_inbox(jobcentre_id=self.jobcentre_id, today=clock.today()),
        }
        return render(request, "supervision/approvals.html", context)


urlpatterns: list[URLPattern] = [
    path("", SupervisionHomeView.as_view(), name="supervision_home"),
    path("gennemgang/", ReviewQueueView.as_view(), name="review_queue"),
    path("gennemgang/<int:lookup_pk>/", LookupReviewView.as_view(), name="lookup_review"),
    path("flag/", FlagsView.as_view(), name="supervision_flags"),
    path("godkendelser/", ApprovalsView.as_view(), name="supervision_approvals"),
]
