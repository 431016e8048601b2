"""Staff roles. Each role is a Django group of the same name; the groups are created by a migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Sagsbehandler")
    SUPERVISOR = "supervisor", _("Leder")
    UNION_REPRESENTATIVE = "union_representative", _("Faglig repræsentant")
    ADMINISTRATOR = "administrator", _("Administrator")
