"""The what-if preview: the policy page replays a draft (a Celery task, eager in tests) without
saving it, the replay's page shows the figures and publishes the draft; and the command."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from recovery import replays
from recovery.models import REPLAY_GIVE_UP_AFTER, PolicyReplay, PolicyVersion
from recovery.services import replays as replay_services
from recovery.tasks import policy_replay_run_task
from tests.conftest import signed_in
from tests.factories import CaseFactory, ProposalFactory, staff
from tests.recovery.test_views import policy_post


@pytest.fixture
def year(soho, camden, frontline):
    """A few cases of the last year at two locations, one with a remedy approved."""
    spoiled = CaseFactory(location=soho, created_by=frontline, order_value=Decimal(64), lost="all")
    ProposalFactory(case=spoiled, state="approved", compensation=Decimal(30), proposed_by=frontline)
    CaseFactory(location=soho, created_by=frontline, order_value=Decimal(300), lost="all")
    CaseFactory(location=camden, order_value=Decimal(20))
    return spoiled


def preview(client, capture, **changes):
    with capture(execute=True):
        return policy_post(client, preview="1", note="More generous", **changes)


def test_a_preview_replays_the_draft_and_publishes_nothing(owner, year, django_capture_on_commit_callbacks):
    client = signed_in(owner)
    response = preview(client, django_capture_on_commit_callbacks, generosity="1.50")
    replay = PolicyReplay.objects.get()
    assert response.status_code == 302 and response.url == replay.get_absolute_url()
    assert PolicyVersion.objects.count() == 1
    assert replay.state == PolicyReplay.State.DONE
    assert replay.draft["values"]["generosity"] == "1.50"
    everywhere = replay.result["scopes"]["all"]
    assert everywhere["draft"]["cases"] == everywhere["in_force"]["cases"] == 3
    assert Decimal(everywhere["draft"]["compensation"]) > Decimal(everywhere["in_force"]["compensation"])
    assert Decimal(everywhere["draft"]["given"]) == Decimal(30)
    page = client.get(replay.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Publish this draft as v2" in page
    assert year.reference in page  # the largest differences link to their cases
    assert reverse("cases:detail", args=[year.pk]) in page


def test_publishing_the_previewed_draft_makes_it_the_next_version_once(owner, year, django_capture_on_commit_callbacks):
    client = signed_in(owner)
    preview(client, django_capture_on_commit_callbacks, generosity="1.50", typical_yearly_value="900")
    replay = PolicyReplay.objects.get()
    for _ in range(2):  # the same submit twice publishes once
        response = client.post(replay.get_absolute_url())
        assert response.status_code == 302 and response.url == reverse("recovery:policy")
    latest = PolicyVersion.objects.latest()
    assert PolicyVersion.objects.count() == 2
    assert (latest.generosity, latest.typical_yearly_value, latest.note) == (Decimal("1.5"), 900, "More generous")
    assert latest.catalogue == PolicyVersion.objects.earliest("id").catalogue
    assert "Published as" in client.get(replay.get_absolute_url()).content.decode()


def test_a_draft_made_before_another_version_was_published_is_not_published(
    owner, year, django_capture_on_commit_callbacks
):
    client = signed_in(owner)
    preview(client, django_capture_on_commit_callbacks, generosity="1.50")
    replay = PolicyReplay.objects.get()
    policy_post(client, note="Someone else's change", credit_multiple="2")
    response = client.post(replay.get_absolute_url(), follow=True)
    assert "has changed since this preview" in response.content.decode()
    assert PolicyVersion.objects.latest().credit_multiple == 2


def test_a_preview_with_a_value_out_of_bounds_is_refused_and_keeps_what_was_typed(owner, year):
    response = policy_post(signed_in(owner), preview="1", note="x", generosity="9")
    assert response.status_code == 400
    assert not PolicyReplay.objects.exists()
    assert response.context["form"]["generosity"].value() == "9"


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_only_owners_preview_or_see_a_replay(soho, owner, role, django_capture_on_commit_callbacks):
    preview(signed_in(owner), django_capture_on_commit_callbacks)
    replay = PolicyReplay.objects.get()
    other = signed_in(staff(role, soho))
    assert other.get(replay.get_absolute_url()).status_code == 403
    assert other.post(replay.get_absolute_url()).status_code == 403
    assert other.post(reverse("recovery:policy"), {"preview": "1"}).status_code == 403
    assert PolicyReplay.objects.count() == 1 and PolicyVersion.objects.count() == 1


def test_the_page_refreshes_itself_until_the_replay_is_done(owner, year):
    replay = replay_services.policy_replay_request(actor=owner, values={}, catalogue={})  # not run: no on_commit here
    page = signed_in(owner).get(replay.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' in page and "Publish this draft" not in page
    response = signed_in(owner).post(replay.get_absolute_url(), follow=True)
    assert str(replays.NOT_DONE) in response.content.decode()


def test_a_replay_left_waiting_past_any_worker_says_it_stopped(owner, year):
    """Celery's hard time limit kills a task without letting it write its failure, and a replay
    that no worker picks up never starts: the page stops waiting and says so."""
    replay = replay_services.policy_replay_request(actor=owner, values={}, catalogue={})
    PolicyReplay.objects.filter(pk=replay.pk).update(
        state=PolicyReplay.State.RUNNING, requested_at=timezone.now() - REPLAY_GIVE_UP_AFTER - timedelta(seconds=1)
    )
    page = signed_in(owner).get(replay.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "stopped without finishing" in page and "preview again" in page


def test_the_location_filter_shows_one_location_and_anything_else_all(
    owner, soho, year, django_capture_on_commit_callbacks
):
    client = signed_in(owner)
    preview(client, django_capture_on_commit_callbacks)
    url = PolicyReplay.objects.get().get_absolute_url()
    assert client.get(url, {"location": soho.pk}).context["scope"]["draft"]["cases"] == 2
    for junk in ("", "x", "999999", "-1", "1e9"):
        response = client.get(url, {"location": junk})
        assert response.status_code == 200
        assert response.context["scope"]["draft"]["cases"] == 3


def test_a_replay_that_fails_says_so(owner, year, monkeypatch):
    replay = replay_services.policy_replay_request(actor=owner, values={}, catalogue={})

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(replays, "replay_now", broken)
    with pytest.raises(RuntimeError):
        policy_replay_run_task.delay(replay.pk)
    replay.refresh_from_db()
    assert replay.state == PolicyReplay.State.FAILED and "RuntimeError" in replay.error
    assert "preview again" in signed_in(owner).get(replay.get_absolute_url()).content.decode()


def test_a_replay_runs_once(owner, year, monkeypatch):
    replay = replay_services.policy_replay_request(actor=owner, values={}, catalogue={})
    replays.policy_replay_run(replay_id=replay.pk)
    monkeypatch.setattr(replays, "replay_now", lambda **kwargs: pytest.fail("replayed twice"))
    replays.policy_replay_run(replay_id=replay.pk)
    replay.refresh_from_db()
    assert replay.state == PolicyReplay.State.DONE and replay.result["scopes"]["all"]["draft"]["cases"] == 3


def test_the_replay_reads_the_cases_in_a_fixed_number_of_queries(owner, soho, year, django_assert_num_queries):
    draft = replays.draft_to_json({}, {})
    with django_assert_num_queries(3) as few:  # the policy in force, the cases, the locations
        replays.replay_now(draft=draft, location_ids=None, months=12)
    for _ in range(20):
        CaseFactory(location=soho, order_value=Decimal(50))
    with django_assert_num_queries(len(few.captured_queries)):
        replays.replay_now(draft=draft, location_ids=None, months=12)


def test_the_command_prints_the_summary_of_a_draft(year, capsys):
    call_command("recovery_replay", "--set", "generosity=1.5")
    out = capsys.readouterr().out
    assert "All locations: 3 cases" in out and "Soho: 2 cases" in out
    assert "Compensation suggested" in out and year.reference in out


def test_the_command_prints_json_for_one_location(year, soho, capsys):
    call_command("recovery_replay", "--location", str(soho.pk), "--months", "6", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["months"] == 6
    assert set(result["scopes"]) == {"all", str(soho.pk)}
    assert result["scopes"]["all"]["draft"] == result["scopes"]["all"]["in_force"]  # no change: the same


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "generosity"], "expected NAME=VALUE"),
        (["--set", "pony=1"], "expected NAME=VALUE"),
        (["--set", "generosity=9"], "generosity: At most 2"),
        (["--months", "0"], "--months"),
        (["--location", "999999"], "No location"),
    ],
)
def test_the_command_refuses_a_bad_draft_with_a_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("recovery_replay", *args)


def test_a_replay_of_no_cases_says_there_is_nothing_to_compare(owner, django_capture_on_commit_callbacks):
    client = signed_in(owner)
    preview(client, django_capture_on_commit_callbacks)
    page = client.get(PolicyReplay.objects.get().get_absolute_url())
    assert page.status_code == 200
    assert "nothing to compare" in page.content.decode()


def test_the_policy_page_starts_from_a_previewed_draft_to_change_it(owner, django_capture_on_commit_callbacks):
    client = signed_in(owner)
    preview(client, django_capture_on_commit_callbacks, generosity="1.50", **{"remedy-6-enabled": ""})
    replay = PolicyReplay.objects.get()
    assert f"?draft={replay.pk}" in client.get(replay.get_absolute_url()).content.decode()
    page = client.get(reverse("recovery:policy"), {"draft": replay.pk})
    assert page.context["form"]["generosity"].value() == Decimal("1.50")
    assert page.context["form"]["note"].value() == "More generous"
    assert not page.context["catalogue"].forms[6]["enabled"].value()
    for junk in ("x", "999999", ""):  # anything else starts from the policy in force
        page = client.get(reverse("recovery:policy"), {"draft": junk})
        assert page.status_code == 200 and page.context["form"]["generosity"].value() == Decimal("1.10")
