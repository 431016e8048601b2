"""Forms for the audit log and the citizen log. They parse; the selectors find the case and citizen they name.

Both are sent by POST, so a CPR number never enters a URL, a proxy log or the browser history."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.cpr import parse_cpr
from jobcenter.audit.models import Action, Outcome
from jobcenter.casework.forms import DateInput, DkfdsForm

STAFF_DATALIST_ID = "audit-log-staff"
FILTER_FIELDS = ("actor", "case", "citizen", "action", "outcome", "date_from", "date_to")


def _with_blank(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("Alle")), *choices]


class AuditLogFilterForm(DkfdsForm):
    actor = forms.CharField(
        label=_("Medarbejder (brugernavn)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"list": STAFF_DATALIST_ID, "autocomplete": "off"}),
    )
    case = forms.CharField(label=_("Sagsnummer"), max_length=20, required=False)
    citizen = forms.CharField(
        label=_("Borgerens CPR-nummer"),
        max_length=11,
        required=False,
        help_text=_("DDMMÅÅ-XXXX. Viser hændelser om borgeren og borgerens sager."),
    )
    action = forms.ChoiceField(label=_("Handling"), choices=_with_blank(Action.choices), required=False)
    outcome = forms.ChoiceField(label=_("Udfald"), choices=_with_blank(Outcome.choices), required=False)
    date_from = forms.DateField(label=_("Fra dato"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Til og med dato"), required=False, widget=DateInput())
    # The keyset cursor: show events older than this id. Hidden, so the filters travel with it.
    before = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def clean_actor(self) -> str:
        return str(self.cleaned_data["actor"]).strip()

    def clean_case(self) -> str:
        return str(self.cleaned_data["case"]).strip()

    def clean_citizen(self) -> str:
        value = str(self.cleaned_data["citizen"]).strip()
        return parse_cpr(value).digits if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", ValidationError(_("Til-datoen ligger før fra-datoen."), code="date_order"))
        return cleaned


class CitizenLogForm(DkfdsForm):
    cpr = forms.CharField(
        label=_("Borgerens CPR-nummer"),
        max_length=11,
        help_text=_("DDMMÅÅ-XXXX. Sendes ikke i adresselinjen."),
    )

    def clean_cpr(self) -> str:
        return parse_cpr(self.cleaned_data["cpr"]).digits
