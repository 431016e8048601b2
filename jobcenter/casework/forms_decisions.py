"""Forms for the decision screens (afgørelser). They parse input; `cases.services` decides (D1-D7)."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import DecisionKind, EvidenceItem
from jobcenter.casework.forms import DkfdsForm, text_area


class DecisionReasonsForm(DkfdsForm):
    """The decision's text and its reasons (begrundelse, forvaltningsloven §§ 22-24, D4)."""

    summary = forms.CharField(
        label=_("Afgørelsen"),
        max_length=5_000,
        widget=text_area(3),
        help_text=_("Hvad er afgjort, fx «Sygedagpengene nedsættes med 25 %»."),
    )
    legal_basis = forms.CharField(
        label=_("Retsgrundlag"),
        max_length=5_000,
        required=False,
        widget=text_area(3),
        help_text=_(
            "Retsgrundlag, hovedhensyn og faktiske oplysninger skal være skrevet, før en afgørelse til ugunst "
            "for borgeren kan udstedes (D4)."
        ),
    )
    main_considerations = forms.CharField(
        label=_("Hovedhensyn"),
        max_length=10_000,
        required=False,
        widget=text_area(),
        help_text=_("De hensyn, der har været bestemmende for afgørelsen."),
    )
    facts_relied_on = forms.CharField(
        label=_("Faktiske oplysninger lagt til grund"),
        max_length=10_000,
        required=False,
        widget=text_area(),
    )


class DecisionDraftForm(DecisionReasonsForm):
    kind = forms.ChoiceField(label=_("Art"), choices=DecisionKind.choices)
    field_order = ["kind", "summary", "legal_basis", "main_considerations", "facts_relied_on"]


class EvidenceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_kind_display()}: {obj.title}"


class DecisionCiteForm(DkfdsForm):
    """Cite one evidence item of the decision's own case. Anything else is not a valid choice: nothing is written."""

    evidence_item = EvidenceChoiceField(
        label=_("Bevis"),
        queryset=EvidenceItem.objects.none(),
        empty_label=_("Vælg bevis"),
        error_messages={"invalid_choice": _("Vælg et bevis fra sagen, som afgørelsen ikke allerede bygger på.")},
    )
    weighing = forms.CharField(
        label=_("Vægtning"),
        max_length=5_000,
        required=False,
        widget=text_area(3),
        help_text=_("Hvordan beviset er vægtet i afgørelsen (D4)."),
    )

    def __init__(self, *args: Any, evidence: QuerySet[EvidenceItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence_item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = evidence
