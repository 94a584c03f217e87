"""A location's report page is reached by a random token, not its guessable code: every
location has its own (existing ones got theirs from the migration), and an owner's new link
ends the old one, on the audit trail without the tokens themselves."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Location
from cases.models import Event
from core.exceptions import ApplicationError
from portal.selectors import reporting_location
from portal.services import REPORT_LINK_FOR_OWNERS, report_link_renew
from tests.factories import LocationFactory

BEFORE, AFTER = ("accounts", "0008_location_language"), ("accounts", "0009_location_report_token")


def test_every_location_gets_its_own_random_token(soho, camden):
    assert soho.report_token != camden.report_token
    assert len(soho.report_token) >= 32 and soho.code not in soho.report_token
    assert reporting_location(soho.report_token) == soho


def test_an_owner_renews_the_link_and_the_audit_trail_says_so_without_the_tokens(owner, soho):
    old = soho.report_token
    renewed = report_link_renew(location=soho, actor=owner)
    assert renewed.report_token != old and Location.objects.get(pk=soho.pk).report_token == renewed.report_token
    event = Event.objects.get(kind=Event.Kind.LOCATION_REPORT_LINK_RENEWED)
    assert (event.actor, event.subject, event.location_id, event.case) == (owner, f"location:{soho.pk}", soho.pk, None)
    assert event.payload == {"changes": {"report_token": ["(old)", "(new)"]}}
    assert old not in str(event.payload) + event.note and renewed.report_token not in str(event.payload) + event.note
    # The back office's own audit of a location's settings records nothing more.
    assert not Event.objects.filter(kind=Event.Kind.LOCATION_CHANGED).exists()


def test_only_an_owner_renews_the_link(manager, frontline, soho):
    old = soho.report_token
    for someone in (manager, frontline):
        with pytest.raises(ApplicationError, match=REPORT_LINK_FOR_OWNERS):
            report_link_renew(location=soho, actor=someone)
    assert Location.objects.get(pk=soho.pk).report_token == old


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_existing_location_a_token_of_its_own():
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_location = executor.loader.project_state([BEFORE]).apps.get_model("accounts", "Location")
    for code in ("soho", "camden", "leeds"):
        old_location.objects.create(name=code.title(), code=code)

    executor = MigrationExecutor(connection)
    executor.migrate([AFTER])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the schema the other tests expect

    tokens = list(Location.objects.filter(code__in=["soho", "camden", "leeds"]).values_list("report_token", flat=True))
    assert len(tokens) == 3 and len(set(tokens)) == 3 and all(len(token) >= 32 for token in tokens)
    assert LocationFactory().report_token not in tokens  # a new location gets one of its own
