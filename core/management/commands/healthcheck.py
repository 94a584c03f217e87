"""Prove that a worker consumes: send a canary through the broker and wait for it.

    python manage.py healthcheck [--timeout 30] [--queue urgent]

Exits 0 when a worker recorded the canary within the timeout, 1 otherwise, with a
message saying which. A process that is up but not consuming (stuck, cut off from
the broker, listening on another queue) fails this check. The canary goes to its own queue
(urgent) unless --queue names another: `--queue bulk` proves a bulk worker consumes.
"""

import time
import uuid

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.models import Canary
from core.tasks import canary_task

EAGER = "CELERY_TASK_ALWAYS_EAGER is on: the canary would run in this process and prove nothing about the workers."


class Command(BaseCommand):
    help = "Send a canary through the broker and wait for a worker to record it (exit 0 or 1)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30, help="Seconds to wait for a worker (default 30).")
        parser.add_argument("--queue", default="", help="The queue to send it to (default: the canary's, urgent).")

    def handle(self, *args, timeout, queue, **options):
        app = canary_task.app
        if app.conf.task_always_eager:
            raise CommandError(EAGER)
        queue = queue or app.amqp.router.route({}, canary_task.name)["queue"].name
        broker = app.connection_for_write().as_uri()  # the password masked
        token = f"healthcheck-{uuid.uuid4().hex}"
        started = time.monotonic()
        try:
            canary_task.apply_async(
                kwargs={"token": token, "sent_at": timezone.now().isoformat()},
                queue=queue,
                # A canary nobody took in time is dropped, not run long after by a worker that comes back.
                expires=timeout,
                retry_policy={"max_retries": 2, "interval_start": 0.5, "interval_step": 0.5},
            )
        except OperationalError as error:
            raise CommandError(f"Cannot reach the broker at {broker}: {error}") from error
        deadline = started + timeout
        while time.monotonic() < deadline:
            canary = Canary.objects.filter(token=token).first()
            if canary is not None:
                elapsed = time.monotonic() - started
                self.stdout.write(f"OK: worker {canary.worker or '?'} consumed the canary in {elapsed:.2f} s.")
                return
            time.sleep(0.2)
        raise CommandError(
            f"No worker consumed the canary within {timeout:g} s: is a worker running, connected to {broker}"
            f" and consuming the queue {queue!r}?"
        )
