from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """The caseworker's web interface. It depends on `cases` and `socialmedia_checks`; neither depends on it."""

    name = "jobcenter.casework"
    label = "casework"
    verbose_name = _("Sagsbehandling")
