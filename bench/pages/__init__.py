"""The pages `manage.py bench` measures, by app: importing them registers them (bench/registry.py)."""

from . import api, cases, dashboard, recovery  # noqa: F401
