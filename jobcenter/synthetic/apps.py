from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "jobcenter.synthetic"
    label = "synthetic"
    verbose_name = "Synthetic benchmark data"
