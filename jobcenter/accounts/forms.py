from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    """The six-digit code from the user's authenticator app."""

    token = forms.CharField(
        label=_("Engangskode"),
        help_text=_("De 6 cifre, som din godkendelses-app viser lige nu."),
        max_length=6,
        min_length=6,
        strip=True,
        widget=forms.TextInput(
            attrs={"class": "form-input", "autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={
            "required": _("Skriv engangskoden fra din godkendelses-app."),
            "min_length": _("Engangskoden har 6 cifre."),
            "max_length": _("Engangskoden har 6 cifre."),
        },
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError(_("Engangskoden består kun af cifre."), code="digits")
        return token
