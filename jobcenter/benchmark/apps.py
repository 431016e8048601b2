from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    name = "jobcenter.benchmark"
    verbose_name = "Benchmark"
