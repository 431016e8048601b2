"""Forms for the social-media screens: recording a lookup, its findings, and marking a finding for use.

They parse and describe input; the services in `socialmedia_checks.services` decide (L1-L8)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Suspicion, Tip
from jobcenter.casework.forms import (
    DateInput,
    DateTimeInput,
    DkfdsForm,
    basis_choice_value,
    parse_basis_choice,
    text_area,
)
from jobcenter.core import clock
from jobcenter.organisation.models import Platform, Policy, SharedProfile
from socialmedia_checks.models import LookupOutcome

BASIS_SUMMARY_LENGTH = 80
FINDING_ATTACHMENT_ACCEPT = "image/png,image/jpeg,application/pdf"


def basis_label(basis: Tip | Suspicion) -> str:
    """How a tip or suspicion reads in the list a lookup is based on."""
    if isinstance(basis, Tip):
        return gettext("Anmeldelse modtaget %(date)s: %(summary)s") % {
            "date": basis.received_on.strftime("%d.%m.%Y"),
            "summary": Truncator(" ".join(basis.summary.split())).chars(BASIS_SUMMARY_LENGTH),
        }
    return gettext("Mistanke: %(theme)s (registreret %(when)s)") % {
        "theme": basis.control_theme,
        "when": clock.localtime(basis.recorded_at).strftime("%d.%m.%Y %H:%M"),
    }


def _next_whole_second() -> datetime:
    """The default is when the form was opened, rounded up to the whole second the field can hold, so a
    lookup recorded straight after its basis still comes after it (L2)."""
    now = clock.localtime(clock.now())
    return now.replace(microsecond=0) + timedelta(seconds=1) if now.microsecond else now


class LookupForm(DkfdsForm):
    basis = forms.ChoiceField(
        label=_("Grundlag for opslaget"),
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        help_text=_("Den åbne anmeldelse eller begrundede mistanke i sagen, som opslaget bygger på."),
        error_messages={
            "required": _("Vælg den anmeldelse eller mistanke, opslaget bygger på."),
            "invalid_choice": _("Vælg et grundlag fra listen."),
        },
    )
    platform = forms.ChoiceField(label=_("Platform"))
    profile_url = forms.URLField(
        label=_("Profilens adresse"),
        max_length=1_000,
        assume_scheme="https",
        help_text=_("Den fulde adresse på den profil, du så, fx https://www.facebook.com/…"),
    )
    shared_profile = forms.ModelChoiceField(
        label=_("Fælles profil brugt"),
        queryset=SharedProfile.objects.none(),
        required=False,
        error_messages={"required": _("Jobcenteret kræver, at opslag sker fra den fælles profil.")},
    )
    purpose = forms.CharField(
        label=_("Formål"),
        max_length=2_000,
        widget=text_area(3),
        help_text=_("Hvad opslaget skal belyse i forhold til kontroltemaet."),
    )
    performed_at = forms.DateTimeField(
        label=_("Tidspunkt for opslaget"),
        widget=DateTimeInput(),
        initial=_next_whole_second,
        help_text=_("Hvornår du så profilen. Det kan ikke ligge i fremtiden eller før grundlaget blev registreret."),
    )
    content_was_public = forms.BooleanField(
        label=_("Indholdet var offentligt tilgængeligt (kunne ses uden at være ven eller følger)"),
        required=False,
    )
    material_from_citizen = forms.BooleanField(
        label=_("Materialet fra en lukket profil er indsendt af borgeren selv"),
        required=False,
        help_text=_("Kun hvis borgeren uopfordret har givet jobcenteret materialet."),
    )
    no_contact_confirmed = forms.BooleanField(
        label=_("Jeg bekræfter, at jeg ikke har sendt venneanmodning eller på anden måde kontaktet borgeren"),
        required=False,
    )
    outcome = forms.ChoiceField(label=_("Resultat"), choices=LookupOutcome.choices)

    def __init__(
        self,
        *args: Any,
        tips: Sequence[Tip],
        suspicions: Sequence[Suspicion],
        policy: Policy,
        shared_profiles: QuerySet[SharedProfile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._bases: dict[str, Tip | Suspicion] = {
            **{basis_choice_value("tip", tip.pk): tip for tip in tips},
            **{basis_choice_value("suspicion", suspicion.pk): suspicion for suspicion in suspicions},
        }
        basis_field: forms.ChoiceField = self.fields["basis"]  # type: ignore[assignment]
        basis_field.choices = [(value, basis_label(basis)) for value, basis in self._bases.items()]
        allowed = set(policy.allowed_platforms)
        platform_field: forms.ChoiceField = self.fields["platform"]  # type: ignore[assignment]
        platform_field.choices = [(value, label) for value, label in Platform.choices if value in allowed]
        profile_field: forms.ModelChoiceField = self.fields["shared_profile"]  # type: ignore[assignment]
        profile_field.queryset = shared_profiles
        profile_field.required = policy.shared_profile_required
        profile_field.help_text = (
            _("Jobcenteret kræver, at opslag sker fra den fælles profil. Du registreres stadig som den, der så.")
            if policy.shared_profile_required
            else _("Udfyld, hvis du brugte jobcenterets fælles profil. Du registreres stadig som den, der så.")
        )

    def clean_basis(self) -> Tip | Suspicion:
        """The chosen tip or suspicion, and only one of this case's open ones."""
        value = self.cleaned_data["basis"]
        parse_basis_choice(value)
        basis = self._bases.get(value)
        if basis is None:
            raise ValidationError(_("Vælg et grundlag fra listen."), code="invalid_choice")
        return basis


class FindingForm(DkfdsForm):
    description = forms.CharField(
        label=_("Beskrivelse"),
        max_length=5_000,
        widget=text_area(4),
        help_text=_("Kun det, der er relevant for kontroltemaet."),
        error_messages={"required": _("Beskriv fundet.")},
    )
    relevance = forms.CharField(
        label=_("Relevans for kontroltemaet"),
        max_length=5_000,
        widget=text_area(3),
        error_messages={"required": _("Skriv, hvorfor fundet er relevant for kontroltemaet.")},
    )
    posted_on = forms.DateField(label=_("Opslagsdato"), required=False, widget=DateInput())
    url = forms.URLField(label=_("Adresse på opslaget"), required=False, max_length=1_000, assume_scheme="https")
    attachment = forms.FileField(
        label=_("Skærmbillede"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FINDING_ATTACHMENT_ACCEPT}),
        help_text=_("PNG, JPEG eller PDF. Filens SHA-256 gemmes, så det kan ses, at den ikke er ændret."),
    )


class FindingMarkForUseForm(DkfdsForm):
    title = forms.CharField(
        label=_("Titel på beviset"),
        max_length=200,
        help_text=_("Sådan omtales fundet i partshøringen og i afgørelsen."),
    )
