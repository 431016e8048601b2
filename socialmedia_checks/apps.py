from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialmediaChecksConfig(AppConfig):
    name = "socialmedia_checks"
    verbose_name = _("Opslag på sociale medier")
