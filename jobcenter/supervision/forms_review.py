"""Forms for the review queue. They parse input; the services decide."""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from jobcenter.casework.forms import DkfdsForm, text_area
from jobcenter.core.rules import is_blank
from jobcenter.supervision.selectors.review import ReviewFilter

FILTER_CHOICES = [
    (ReviewFilter.UNREVIEWED, _("Ikke gennemgået")),
    (ReviewFilter.FLAGGED, _("Markeret med bemærkning")),
    (ReviewFilter.ALL, _("Alle opslag")),
]


class ReviewFilterForm(DkfdsForm):
    status = forms.ChoiceField(label=_("Vis"), choices=FILTER_CHOICES)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    @classmethod
    def from_query(cls, query: QueryDict) -> "ReviewFilterForm":
        """The queue opens on the lookups nobody has reviewed yet."""
        return cls({"status": ReviewFilter.UNREVIEWED, **query.dict()})


class LookupReviewForm(DkfdsForm):
    """Both buttons of a row: "mark" needs nothing more, "flag" needs a comment. `status` and `page` bring
    the supervisor back to the place in the queue they came from."""

    MARK = "mark"
    FLAG = "flag"

    action = forms.ChoiceField(
        choices=[(MARK, _("Markér som gennemgået")), (FLAG, _("Markér med bemærkning"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Bemærkning"),
        max_length=2_000,
        required=False,
        widget=text_area(3),
        help_text=_("Hvad skal følges op? Bemærkningen skrives også i sagens journal."),
    )
    status = forms.ChoiceField(choices=FILTER_CHOICES, required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.FLAG and is_blank(cleaned.get("comment", "")):
            self.add_error("comment", _("Skriv en bemærkning, når du markerer et opslag."))
        return cleaned
