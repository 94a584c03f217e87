"""Owners ask for a draft policy to be replayed over past cases, and publish what they saw.

The replay itself runs in a Celery task (recovery/tasks.py, recovery/replays.py); asking for one
only saves the request and enqueues the task after commit.
"""

from django.db import transaction

from accounts.models import User
from core.exceptions import ApplicationError

from ..catalogue import catalogue_from_json
from ..models import PolicyReplay, PolicyVersion
from ..policy import RemedyKind, RemedyType
from ..replays import MONTHS_MAX, NOT_DONE, ONLY_OWNERS, POLICY_CHANGED, draft_to_json, draft_values
from ..selectors import policy_in_force
from ..tasks import policy_replay_run_task
from .publishing import policy_publish


@transaction.atomic
def policy_replay_request(
    *, actor: User, values: dict, catalogue: dict[RemedyKind, RemedyType], months: int = 12
) -> PolicyReplay:
    """Ask for a draft to be replayed; the task runs after commit. Nothing of the draft is in force."""
    if not actor.has_perm("recovery.add_policyversion"):
        raise ApplicationError(ONLY_OWNERS)
    months = min(max(months, 1), MONTHS_MAX)
    replay = PolicyReplay(
        requested_by=actor,
        based_on=policy_in_force().row,
        draft=draft_to_json(values, catalogue),
        months=months,
    )
    replay.full_clean()
    replay.save()
    transaction.on_commit(lambda: policy_replay_run_task.delay(replay.pk))
    return replay


@transaction.atomic
def policy_replay_publish(*, actor: User, replay_id: int) -> PolicyVersion:
    """Publish the replayed draft as the next version, once: a second submit gets the same version."""
    if not actor.has_perm("recovery.add_policyversion"):
        raise ApplicationError(ONLY_OWNERS)
    replay = PolicyReplay.objects.select_for_update().get(pk=replay_id)
    if replay.published is not None:
        return replay.published
    if replay.state != PolicyReplay.State.DONE:
        raise ApplicationError(NOT_DONE)
    latest = PolicyVersion.objects.select_for_update().latest()
    if latest.pk != replay.based_on_id:
        raise ApplicationError(POLICY_CHANGED.format(now=latest.pk))
    version = policy_publish(
        actor=actor, values=draft_values(replay.draft), catalogue=catalogue_from_json(replay.draft["catalogue"])
    )
    replay.published = version
    replay.save(update_fields=["published"])
    return version
