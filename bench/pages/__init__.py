"""The pages `manage.py bench` measures, by app: importing them registers them (bench/registry.py)."""

from . import cases, dashboard, recovery  # noqa: F401
