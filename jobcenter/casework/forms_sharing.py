from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jobcenter.casework.forms import DkfdsForm


class ColleagueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class CaseShareForm(DkfdsForm):
    colleague = ColleagueChoiceField(
        label=_("Kollega"),
        queryset=User.objects.none(),
        help_text=_("Sagsbehandlere og ledere i jobcenteret, som ikke allerede er på sagens team."),
    )

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague"].queryset = colleagues  # type: ignore[attr-defined]
