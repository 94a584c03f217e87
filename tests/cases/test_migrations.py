"""Migration 0007: the engine's facts read from the old "experience ruined" flag."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Case
from tests.factories import CaseFactory

BEFORE, AFTER = ("cases", "0006_fixed_on_spot"), ("cases", "0007_engine_facts")


@pytest.mark.django_db(transaction=True)
def test_a_ruined_experience_is_all_lost_else_used_when_a_price_was_recorded_else_nothing():
    ruined, priced, free = (CaseFactory(order_value=Decimal(v)) for v in ("64", "30", "0"))
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_case = executor.loader.project_state([BEFORE]).apps.get_model("cases", "Case")
    old_case.objects.filter(pk=ruined.pk).update(experience_ruined=True)

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the schema the other tests expect

    lost = dict(Case.objects.values_list("pk", "lost"))
    assert (lost[ruined.pk], lost[priced.pk], lost[free.pk]) == ("all", "used", "none")
    assert Case.objects.get(pk=free.pk).time_lost_minutes == 0  # the new columns' defaults
