"""The form for recording a power of attorney (fuldmagt). It parses input; `cases.services` decides (A2)."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import MandateKind, MandateScope
from jobcenter.casework.forms import DateInput, DkfdsForm


class RepresentativeField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.get_username()
        return f"{name} ({obj.staff_profile.union})"


class MandateForm(DkfdsForm):
    representative = RepresentativeField(
        label=_("Faglig repræsentant"),
        queryset=User.objects.none(),
        help_text=_("Den repræsentant, borgeren har givet fuldmagt."),
    )
    kind = forms.ChoiceField(
        label=_("Art"),
        choices=MandateKind.choices,
        help_text=_("En partsrepræsentant får kopi af partshøringer (H4); en bisidder gør ikke."),
    )
    scope = forms.ChoiceField(label=_("Omfang"), choices=MandateScope.choices, initial=MandateScope.CASE)
    valid_from = forms.DateField(label=_("Gyldig fra"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Gyldig til"),
        widget=DateInput(),
        required=False,
        help_text=_("Tom, hvis fuldmagten gælder, indtil borgeren tilbagekalder den."),
    )

    def __init__(self, *args: Any, representatives: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["representative"].queryset = representatives  # type: ignore[attr-defined]


class MandateRevokeForm(DkfdsForm):
    """Nothing to fill in: pressing the button revokes. A form, so the page shares the service form flow."""
