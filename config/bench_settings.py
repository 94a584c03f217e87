"""Settings for the worker that `manage.py bench_dispatch` starts: the real settings (all
from the environment, as in production), with each process's messages appended to a file of its
own under BENCH_MAIL_DIR, so the benchmark can count what was sent twice (core/mailbox.py)."""

import os

from kombu import Queue

from .settings import *  # noqa: F403

EMAIL_BACKEND = "core.mailbox.OneFilePerProcessBackend"
EMAIL_FILE_PATH = os.environ["BENCH_MAIL_DIR"]
# A queue of the run's own: no other worker on the same Redis takes its messages.
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]
# Every task on it, as before the queues were split (docs/workers.md): the figures stay
# comparable with earlier runs, and nothing lands on a queue the bench's worker does not read.
CELERY_TASK_QUEUES = [Queue(CELERY_TASK_DEFAULT_QUEUE)]
CELERY_TASK_ROUTES = {"*": {"queue": CELERY_TASK_DEFAULT_QUEUE}}
