#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    try:
        execute_from_command_line(sys.argv)
    except (AppRegistryNotReady, ImproperlyConfigured):
        # Django sets a settings error aside (so that `help` still works) and then fails deep in
        # a command ("Models aren't loaded yet", or a traceback): say what is wrong instead.
        from django.conf import settings

        try:
            settings.INSTALLED_APPS  # noqa: B018 - loads the settings again
        except ImproperlyConfigured as error:
            sys.exit(f"manage.py: {error}")
        raise


if __name__ == "__main__":
    main()
