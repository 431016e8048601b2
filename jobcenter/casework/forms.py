"""Forms for the caseworker's screens. They parse and describe input; the services decide."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.cpr import parse_cpr
from cases.models import BenefitType, EvidenceKind, TipChannel
from jobcenter.organisation.models import Team


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A datetime-local input to the second (step 1), since the order of events matters to the rules."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


def text_area(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


_WIDGET_CLASSES = {
    forms.CheckboxInput: "form-checkbox",
    forms.Select: "form-select",
    forms.ClearableFileInput: "form-file-input",
}


class DkfdsForm(forms.Form):
    """Gives each widget the design system's class. Django adds aria-describedby and aria-invalid itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = next((c for w, c in _WIDGET_CLASSES.items() if isinstance(field.widget, w)), "form-input")
            field.widget.attrs.setdefault("class", css)


class SearchForm(DkfdsForm):
    query = forms.CharField(
        label=_("CPR-nummer, navn eller sagsnummer"),
        max_length=100,
        help_text=_("Søgningen sendes ikke i adresselinjen, så CPR-numre ikke havner i logfiler og historik."),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)


class CitizenForm(DkfdsForm):
    cpr = forms.CharField(label=_("CPR-nummer"), max_length=11, help_text=_("DDMMÅÅ-XXXX"))
    first_name = forms.CharField(label=_("Fornavn"), max_length=100)
    last_name = forms.CharField(label=_("Efternavn"), max_length=100)

    def clean_cpr(self) -> str:
        return parse_cpr(self.cleaned_data["cpr"]).digits


class CaseOpenForm(DkfdsForm):
    benefit_type = forms.ChoiceField(label=_("Ydelse"), choices=BenefitType.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    fraud_suspected = forms.BooleanField(label=_("Mistanke om socialt bedrageri"), required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class JournalNoteForm(DkfdsForm):
    text = forms.CharField(label=_("Notat"), max_length=10_000, widget=text_area(6))


class TipForm(DkfdsForm):
    channel = forms.ChoiceField(label=_("Kanal"), choices=TipChannel.choices)
    received_on = forms.DateField(label=_("Modtaget"), widget=DateInput())
    summary = forms.CharField(label=_("Resumé"), max_length=5_000, widget=text_area())
    tipper_identity = forms.CharField(
        label=_("Anmelders identitet (fortrolig)"),
        max_length=300,
        required=False,
        help_text=_("Tom, hvis anmeldelsen er anonym. Vises aldrig for borgeren eller repræsentanter."),
    )


class SuspicionForm(DkfdsForm):
    grounds = forms.CharField(label=_("Faglig og saglig begrundelse"), max_length=5_000, widget=text_area())
    control_theme = forms.CharField(label=_("Kontroltema"), max_length=200, help_text=_("Hvad skal undersøges?"))
    other_sources_consulted = forms.CharField(
        label=_("Andre kilder undersøgt"), max_length=5_000, required=False, widget=text_area(3)
    )
    unjustified_benefit_reason = forms.CharField(
        label=_("Hvorfor ydelsen synes uberettiget"),
        max_length=5_000,
        required=False,
        widget=text_area(3),
        help_text=_("Skal udfyldes, hvor jobcenteret kræver klar formodning."),
    )


class EvidenceForm(DkfdsForm):
    kind = forms.ChoiceField(
        label=_("Art"), choices=[c for c in EvidenceKind.choices if c[0] != EvidenceKind.SOCIAL_MEDIA_FINDING]
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(label=_("Beskrivelse"), max_length=10_000, widget=text_area())
    occurred_on = forms.DateField(label=_("Dato for oplysningen"), required=False, widget=DateInput())
    source_url = forms.URLField(label=_("Kilde (URL)"), required=False, max_length=1_000, assume_scheme="https")


def basis_choice_value(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def parse_basis_choice(value: str) -> tuple[str, int]:
    kind, _sep, pk = value.partition(":")
    if kind not in ("tip", "suspicion") or not pk.isdigit():
        raise ValidationError(_("Vælg et grundlag fra listen."), code="invalid_choice")
    return kind, int(pk)
