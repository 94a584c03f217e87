"""What-if replays of a draft policy: reading the cases to replay, and the replay's one row.

The rules of a replay are pure (recovery/replay.py); here the cases are streamed from the
database as plain rows (one query, no row per case fetched twice), a draft is turned into the
rules it stands for, and a `PolicyReplay` is requested, run (by a Celery task), and published.
"""

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from django.db import transaction
from django.db.models import Count, Field, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from accounts.roles import location_ids_of
from cases.models import Case
from core.exceptions import ApplicationError

from . import replay as rules
from .catalogue import catalogue_from_json, catalogue_to_json
from .models import REPLAY_TIME_LIMIT, PolicyReplay, PolicyVersion, Proposal
from .policy import RemedyKind, RemedyType
from .selectors import FACT_FIELDS, bounded, case_facts, earlier_recoveries_of, policy_from_row, policy_in_force

ONLY_OWNERS = _("Only an owner can replay or publish the recovery policy.")
POLICY_CHANGED = _("The policy has changed since this preview (v{now} is in force): preview the draft again.")
NOT_DONE = _("The preview has not finished: publish once it has.")
MONTHS_MAX = 36
CHUNK = 2000
TIME_LIMIT = REPLAY_TIME_LIMIT


def draft_to_json(values: dict, catalogue: dict[RemedyKind, RemedyType]) -> dict:
    """A draft as typed (the policy form's cleaned values and the catalogue), kept as JSON."""
    return {
        "values": {name: None if value is None else str(value) for name, value in values.items()},
        "catalogue": catalogue_to_json(catalogue),
    }


def draft_values(draft: dict) -> dict:
    """The draft's values as the model holds them (Decimals, integers, text)."""
    # Every name is one of the policy's own columns, never a relation: a Field.
    get = PolicyVersion._meta.get_field
    return {name: cast(Field, get(name)).to_python(value) for name, value in draft["values"].items()}


def rules_of(row: PolicyVersion, catalogue: dict) -> rules.Rules:
    row = bounded(row)
    return rules.Rules(policy_from_row(row), catalogue, row.monthly_budget_per_location)


def draft_rules(draft: dict) -> rules.Rules:
    return rules_of(PolicyVersion(**draft_values(draft)), catalogue_from_json(draft["catalogue"]))


def replay_cases(*, location_ids: list[int] | None, since: datetime, until: datetime) -> Iterator[rules.ReplayCase]:
    """The cases logged in [since, until) at these locations (None: all), oldest first, as a replay
    reads them: one streamed query of plain rows, what was approved on each summed in the database."""
    granted = (
        Proposal.objects.filter(case=OuterRef("pk"), state__in=Proposal.GRANTED_STATES)
        .order_by()
        .values("case")
        .annotate(total=Sum("compensation"))
        .values("total")
    )
    cases = Case.objects.filter(created_at__gte=since, created_at__lt=until)
    if location_ids is not None:
        cases = cases.filter(location_id__in=location_ids)
    earlier = earlier_recoveries_of(OuterRef("pk"), OuterRef("customer_id"), OuterRef("created_at"))
    rows = (
        cases.annotate(
            given=Subquery(granted),
            earlier_recoveries=Coalesce(
                Subquery(earlier.values("customer_id").annotate(n=Count("pk", distinct=True)).values("n")), 0
            ),
        )
        .order_by("created_at", "id")
        .values(
            "id", "location_id", "created_at", "customer__yearly_value", "given", "earlier_recoveries", *FACT_FIELDS
        )
    )
    for row in rows.iterator(chunk_size=CHUNK):
        yield rules.ReplayCase(
            case_id=row["id"],
            location_id=row["location_id"],
            month=timezone.localtime(row["created_at"]).strftime("%Y-%m"),
            facts=case_facts(row),
            yearly_value=row["customer__yearly_value"],
            given=row["given"] or Decimal(0),
        )


def replay_locations(location_ids: list[int] | None) -> dict[int, rules.Location]:
    locations = Location.objects.all() if location_ids is None else Location.objects.filter(pk__in=location_ids)
    return {
        loc.pk: rules.Location(loc.name, loc.monthly_budget, loc.typical_yearly_value)
        for loc in locations.only("name", "monthly_budget", "typical_yearly_value")
    }


def replay_now(*, draft: dict, location_ids: list[int] | None, months: int, now: datetime | None = None) -> dict:
    """The draft and the policy in force replayed over the last `months` months' cases."""
    now = now or timezone.now()
    since = now - timedelta(days=round(months * 365.25 / 12))
    in_force = policy_in_force()
    scopes = rules.replay(
        replay_cases(location_ids=location_ids, since=since, until=now),
        {"draft": draft_rules(draft), "in_force": rules_of(in_force.row, in_force.catalogue)},
        replay_locations(location_ids),
    )
    for scope in scopes.values():
        for name in ("draft", "in_force"):
            for row in scope[name]["largest"]:
                row["reference"] = Case(pk=row["case_id"]).reference
    return {
        "since": since.isoformat(),
        "until": now.isoformat(),
        "months": months,
        "in_force": in_force.row.pk,
        "scopes": scopes,
    }


def policy_replay_run(*, replay_id: int, now: datetime | None = None) -> None:
    """Run a requested replay once: claim it, replay, keep the result. A second run does nothing."""
    with transaction.atomic():
        replay = (
            PolicyReplay.objects.select_for_update(skip_locked=True)
            .filter(pk=replay_id, state=PolicyReplay.State.PENDING)
            .select_related("requested_by")
            .first()
        )
        if replay is None:
            return
        replay.state, replay.started_at = PolicyReplay.State.RUNNING, timezone.now()
        replay.save(update_fields=["state", "started_at"])
    result = replay_now(
        draft=replay.draft, location_ids=location_ids_of(replay.requested_by), months=replay.months, now=now
    )
    replay.state, replay.result, replay.finished_at = PolicyReplay.State.DONE, result, timezone.now()
    replay.save(update_fields=["state", "result", "finished_at"])


def policy_replay_fail(*, replay_id: int, error: str) -> None:
    """Record that a replay failed, so its page says so instead of waiting for ever."""
    PolicyReplay.objects.filter(pk=replay_id).exclude(state=PolicyReplay.State.DONE).update(
        state=PolicyReplay.State.FAILED, error=error[:500], finished_at=timezone.now()
    )


def draft_of(user: User, pk: int | None) -> tuple[dict, dict] | None:
    """A previewed draft's values and catalogue, for an owner to change and preview again."""
    if pk is None or not user.has_perm("recovery.add_policyversion"):
        return None
    replay = PolicyReplay.objects.filter(pk=pk).only("draft").first()
    return (draft_values(replay.draft), catalogue_from_json(replay.draft["catalogue"])) if replay else None


def replay_get(user: User, pk: int) -> PolicyReplay:
    """A replay, for an owner (any owner: the policy is the business's, not one person's)."""
    if not user.has_perm("recovery.add_policyversion"):
        raise ApplicationError(ONLY_OWNERS)
    return get_object_or_404(PolicyReplay.objects.select_related("requested_by", "based_on", "published"), pk=pk)
