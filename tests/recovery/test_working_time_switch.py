"""The recovery policy's switch "count deadlines in working time": off by default, an owner turns it on."""

from django.urls import reverse

from cases.events import Kind
from cases.models import Event
from recovery.models import PolicyVersion
from tests.conftest import signed_in
from tests.recovery.test_views import policy_post


def test_deadlines_run_on_the_wall_clock_until_an_owner_says_otherwise(db):
    assert not PolicyVersion.objects.latest().deadlines_in_working_time


def test_an_owner_turns_working_time_on_from_the_policy_page_and_it_is_on_the_trail(owner):
    client = signed_in(owner)
    page = client.get(reverse("recovery:policy")).content.decode()
    assert "Count deadlines in working time" in page and "not overdue on Sunday" in page
    response = policy_post(client, deadlines_in_working_time="on")
    assert response.status_code == 302
    assert PolicyVersion.objects.latest().deadlines_in_working_time
    published = Event.objects.filter(kind=Kind.POLICY_PUBLISHED).latest("id")
    assert published.payload["changes"]["deadlines_in_working_time"] == [False, True]
    # The form starts from the version in force: the box stays ticked, and unticking turns it off.
    assert client.get(reverse("recovery:policy")).context["form"]["deadlines_in_working_time"].value() is True
    data_off = {"deadlines_in_working_time": ""}
    assert policy_post(client, **data_off).status_code == 302
    assert not PolicyVersion.objects.latest().deadlines_in_working_time
