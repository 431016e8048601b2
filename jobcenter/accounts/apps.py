from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "jobcenter.accounts"
    label = "accounts"
    verbose_name = _("Konti og sikkerhed")

    def ready(self) -> None:
        from jobcenter.accounts import signals  # noqa: F401  (connects the receivers)
