"""Forms for the hearing screens (partshøring). They parse input; `cases.services` decides (H2-H5)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import EvidenceItem
from jobcenter.casework.forms import DateInput, DateTimeInput, DkfdsForm, text_area


@dataclass(frozen=True)
class EvidenceRow:
    """One evidence item of the case with its checkbox and its reading, for the template."""

    item: EvidenceItem
    chosen: forms.BoundField
    reading: forms.BoundField


def item_field_name(item: EvidenceItem) -> str:
    return f"item_{item.pk}"


def reading_field_name(item: EvidenceItem) -> str:
    return f"reading_{item.pk}"


class HearingSendForm(DkfdsForm):
    """Which of the case's evidence items the citizen is heard about, how the jobcentre reads each, and the
    deadline. The fields are built per evidence item: `item_<pk>` (checkbox) and `reading_<pk>` (text)."""

    deadline = forms.DateField(
        label=_("Svarfrist"),
        widget=DateInput(),
        help_text=_("Mindst det antal dage, jobcenterets regler kræver (aldrig under 7)."),
    )

    def __init__(self, *args: Any, evidence: Iterable[EvidenceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.evidence = list(evidence)
        deadline = self.fields.pop("deadline")
        for item in self.evidence:
            self.fields[item_field_name(item)] = forms.BooleanField(
                label=_("Hør borgeren om «%(title)s»") % {"title": item.title}, required=False
            )
            self.fields[reading_field_name(item)] = forms.CharField(
                label=_("Sådan forstår jobcenteret oplysningen"),
                max_length=5_000,
                required=False,
                widget=text_area(3),
                help_text=_("Skal udfyldes for hver oplysning, borgeren høres om (H2)."),
            )
        self.fields["deadline"] = deadline  # after the items, in the order the page reads
        for field in self.fields.values():  # DkfdsForm styled only the fields declared on the class
            css = "form-checkbox" if isinstance(field.widget, forms.CheckboxInput) else "form-input"
            field.widget.attrs.setdefault("class", css)

    @property
    def evidence_rows(self) -> list[EvidenceRow]:
        return [
            EvidenceRow(item, self[item_field_name(item)], self[reading_field_name(item)]) for item in self.evidence
        ]

    def chosen_items(self) -> list[tuple[EvidenceItem, str]]:
        """The ticked items with their readings, in the case's order; call after `is_valid()`."""
        data = self.cleaned_data
        return [
            (item, data.get(reading_field_name(item), "")) for item in self.evidence if data.get(item_field_name(item))
        ]


class HearingResponseForm(DkfdsForm):
    response_text = forms.CharField(label=_("Borgerens svar"), max_length=20_000, widget=text_area(6))
    received_at = forms.DateTimeField(
        label=_("Modtaget"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Tomt betyder nu."),
    )


class HearingExtendForm(DkfdsForm):
    new_deadline = forms.DateField(label=_("Ny svarfrist"), widget=DateInput())
    reason = forms.CharField(label=_("Begrundelse for forlængelsen"), max_length=2_000, widget=text_area(3))
