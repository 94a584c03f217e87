"""The Celery app. Apps define tasks with @shared_task; this module finds them."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

from core import worker_processes

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("amends")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A worker process never goes on with a database connection it cannot trust: it closes a
# broken one, or leaves for a fresh process (core/worker_processes.py).
task_prerun.connect(worker_processes.before_task, weak=False)
task_postrun.connect(worker_processes.after_task, weak=False)
