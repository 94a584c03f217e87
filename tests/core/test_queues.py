"""Three queues, so a burst of one kind of work never delays another (docs/workers.md): the
routes, the settings for losing the broker, and 10,000 messages to customers against an
escalation, with real workers on a private Redis."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from config.celery import app
from core.models import Notification
from followups.models import FollowUp
from followups.plans import Purpose
from followups.selectors import for_staff
from tests.factories import CaseFactory
from tests.followups.test_worker import due_messages
from tests.followups.workers import Processes, project_app, wait_until

BURST = 10_000


def queue_of(task: str) -> str:
    return app.amqp.router.route({}, task)["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("followups.dispatch", "urgent"),
        ("followups.send_to_staff", "urgent"),
        ("followups.send", "urgent"),
        ("webhooks.dispatch", "urgent"),
        ("core.canary", "urgent"),
        ("followups.send_many", "bulk"),
        ("webhooks.send", "bulk"),
        ("recovery.policy_replay_run", "reports"),
        ("dashboard.refresh", "reports"),
        ("attachments.sweep", "reports"),
    ],
)
def test_each_kind_of_work_goes_to_its_queue(task, queue):
    assert queue_of(task) == queue


def our_tasks() -> dict:
    app.autodiscover_tasks(force=True)
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_has_a_queue_named_for_it():
    # The default queue is urgent: a long task left unrouted would sit in front of escalations.
    tasks = our_tasks()
    assert len(tasks) > 15
    assert sorted(set(tasks) - set(settings.CELERY_TASK_ROUTES)) == []
    assert set(settings.AMENDS_QUEUES) == {"urgent", "bulk", "reports"}


def test_no_task_may_run_longer_than_redis_waits_for_its_acknowledgement():
    # Past the visibility timeout Redis gives the message to another worker: a task still
    # running would be started twice.
    timeout = settings.REDIS_BROKER_OPTIONS["visibility_timeout"]
    limits = {name: task.time_limit or app.conf.task_time_limit for name, task in our_tasks().items()}
    assert all(limit and limit < timeout for limit in limits.values()), limits


def test_a_lost_broker_is_retried_for_ever_and_never_cancels_a_running_task():
    assert app.conf.worker_cancel_long_running_tasks_on_connection_loss is False
    assert app.conf.broker_connection_retry is True
    assert app.conf.broker_connection_max_retries is None


def test_the_dispatcher_tells_reminders_and_escalations_to_staff_from_messages_to_customers(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline)
    customer = due_messages(case, 2)
    staff = [escalation(case).pk, escalation(case, kind=FollowUp.Kind.STAFF_REMINDER).pk]
    assert for_staff(customer + staff) == set(staff)


def escalation(case, *, kind=FollowUp.Kind.ESCALATION) -> FollowUp:
    return FollowUp.objects.create(
        case=case,
        kind=kind,
        purpose=Purpose.FIRST_CONTACT_ESCALATION.value,
        channel=FollowUp.Channel.IN_APP,
        subject="Nobody has contacted the customer yet",
        due_at=timezone.now(),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.services
def test_ten_thousand_messages_to_customers_do_not_delay_an_escalation(postgres, soho, frontline, manager, tmp_path):
    case = CaseFactory(location=soho, created_by=frontline)
    burst = due_messages(case, BURST)
    with Processes(tmp_path) as processes:
        broker = processes.redis_server().url()
        workers = [processes.worker(queue, queue=queue, broker=broker) for queue in ("urgent", "bulk")]
        for worker in workers:
            worker.wait_ready()
        project = project_app(broker)
        # The dispatcher (on the urgent queue) claims the 10,000 and queues 200 chunks on bulk.
        project.send_task("followups.dispatch")
        wait_until(
            lambda: (
                FollowUp.objects.filter(Q(claimed_until__isnull=False) | Q(state="sent"), pk__in=burst).count() == BURST
            ),
            timeout=90,
            every=0.5,
            what="the burst to be claimed and queued",
        )
        due = escalation(case)
        project.send_task("followups.dispatch")
        wait_until(lambda: sent([due.pk]), timeout=90, what="the escalation to be sent")
        due.refresh_from_db()
        before_it = FollowUp.objects.filter(pk__in=burst, sent_at__lte=due.sent_at).count()
        project.close()
    delay = due.sent_at - due.due_at
    print(  # noqa: T201 - the drill's figures, shown with pytest -s or -rA
        f"\nescalation sent {delay.total_seconds():.1f} s after it fell due;"
        f" {before_it} of {BURST} messages to customers queued before it were sent first"
    )
    assert delay < timedelta(minutes=1)
    # It went past the burst: one queue would have sent all 10,000 first.
    assert before_it < BURST
    assert Notification.objects.filter(user=manager, text__contains="Nobody has contacted").count() == 1


def sent(ids) -> int:
    return FollowUp.objects.filter(pk__in=ids, state="sent").count()
