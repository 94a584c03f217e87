from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Tooling, apart from the product: the demo and bench seeds, the page and dispatch benchmarks,
    and the bare floor view. Its URLs are mounted only when AMENDS_BENCH says so (config/urls.py)."""

    name = "bench"
    verbose_name = "Benchmarks and demo data"
