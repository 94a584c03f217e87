"""The audit trail: changes to rights and settings are on the log with who, when, from
where, before and after; owners read, filter and export it; nobody else can."""

import csv
import io
from datetime import date, time
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import ClosedDate, OpeningHours
from accounts.roles import Role
from cases.events import Kind
from cases.models import Event
from followups.messages import Wording
from followups.plans import Purpose
from followups.wording import message_template_reset, message_template_save
from tests.conftest import signed_in
from tests.factories import CaseFactory, LocationFactory, staff

URL = reverse("audit:trail")


@pytest.fixture
def boss(db):
    return staff(Role.OWNER, username="olga", is_staff=True, is_superuser=True)


def _user_form(user, **changes):
    form = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "",
        "groups": [group.pk for group in user.groups.all()],
        "locations": [location.pk for location in user.locations.all()],
        "authority_limit": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00",
    }
    return form | changes


def _since(start: int):
    return Event.objects.filter(pk__gt=start).order_by("id")


def _last() -> int:
    return Event.objects.order_by("-id").values_list("pk", flat=True).first() or 0


def test_raising_someones_limit_in_the_back_office_is_on_the_trail(boss, soho, frontline):
    url = reverse("admin:accounts_user_change", args=[frontline.pk])
    start = _last()
    response = signed_in(boss).post(url, _user_form(frontline, authority_limit="250.00"), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = _since(start)
    assert (entry.kind, entry.subject) == (Kind.USER_CHANGED, f"user:{frontline.pk}")
    assert (entry.actor, entry.ip) == (boss, "198.51.100.4")
    assert entry.payload["changes"] == {"authority_limit": [None, "250.00"]}


def test_a_new_role_is_on_the_trail_as_before_and_after(boss, soho, frontline):
    managers = Group.objects.get(name=Role.MANAGER)
    url = reverse("admin:accounts_user_change", args=[frontline.pk])
    start = _last()
    signed_in(boss).post(url, _user_form(frontline, groups=[managers.pk]))
    roles = [e.payload["changes"]["roles"] for e in _since(start)]
    # Django's admin sets a many-to-many by removing, then adding: two entries, each true.
    assert roles == [[["Frontline"], []], [[], ["Manager"]]]


def test_a_location_s_budget_change_is_on_the_trail(boss, soho):
    url = reverse("admin:accounts_location_change", args=[soho.pk])
    form = {"name": soho.name, "code": soho.code, "is_active": "on", "monthly_budget": "1500.00", "language": "en"}
    for inline in ("opening_hours", "closed_dates"):  # the page's working-time rows: none
        form |= {f"{inline}-TOTAL_FORMS": "0", f"{inline}-INITIAL_FORMS": "0"}
    response = signed_in(boss).post(url, form)
    assert response.status_code == 302
    entry = Event.objects.get(kind=Kind.LOCATION_CHANGED)
    assert (entry.location, entry.actor) == (soho, boss)
    assert entry.payload["changes"] == {"monthly_budget": [None, "1500.00"]}


def test_a_sign_in_is_not_a_change_of_rights(soho, frontline, client):
    frontline.set_password("a-long-pass-phrase")
    frontline.save()
    before = Event.objects.count()
    response = client.post(reverse("login"), {"username": frontline.username, "password": "a-long-pass-phrase"})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(frontline.pk)
    assert Event.objects.count() == before


def test_a_password_change_says_that_it_changed_never_the_hash(soho, frontline):
    frontline.set_password("another-long-phrase")
    frontline.save()
    entry = Event.objects.filter(kind=Kind.USER_CHANGED).last()
    assert entry.payload["changes"] == {"password": ["(old)", "(new)"]}


def test_the_message_wording_keeps_before_and_after(owner):
    message_template_save(
        purpose=Purpose.REMEDY_MESSAGE, language="en", wording=Wording("Sorted", "Hi {first_name}"), actor=owner
    )
    message_template_reset(purpose=Purpose.REMEDY_MESSAGE, language="en", actor=owner)
    saved, reset = Event.objects.filter(kind=Kind.MESSAGE_WORDING_CHANGED).order_by("id")
    assert saved.payload["changes"]["subject"][1] == "Sorted"
    assert reset.payload["changes"]["subject"][0] == "Sorted"
    assert saved.actor == reset.actor == owner and saved.subject == "message:remedy_message"


def test_publishing_the_policy_keeps_what_changed(owner):
    from recovery.catalogue import catalogue_from_json
    from recovery.models import PolicyVersion
    from recovery.services import policy_publish

    current = PolicyVersion.objects.latest()
    values = {field: getattr(current, field) for field in ("generosity", "monthly_budget_per_location")}
    values["monthly_budget_per_location"] = current.monthly_budget_per_location + Decimal(100)
    from recovery.forms import POLICY_FIELDS

    values = {name: getattr(current, name) for name in POLICY_FIELDS} | {
        "monthly_budget_per_location": current.monthly_budget_per_location + Decimal(100)
    }
    policy_publish(actor=owner, values=values, catalogue=catalogue_from_json(current.catalogue))
    entry = Event.objects.get(kind=Kind.POLICY_PUBLISHED)
    before, after = entry.payload["changes"]["monthly_budget_per_location"]
    assert Decimal(after) - Decimal(before) == 100 and list(entry.payload["changes"]) == ["monthly_budget_per_location"]


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_only_owners_read_the_trail(soho, role):
    assert signed_in(staff(role, soho)).get(URL).status_code == 403
    assert signed_in(staff(role, soho)).get(URL + "?export=csv").status_code == 403


def test_an_owner_filters_the_trail_by_what_it_is_about(owner, soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline)
    from cases.services import case_add_note

    case_add_note(case=case, actor=frontline, note="Spoke to the chef.")
    client = signed_in(owner)
    everything = client.get(URL).content.decode()
    assert "Spoke to the chef." in everything and "User created" in everything
    users_only = client.get(URL, {"topic": "user"}).content.decode()
    assert "Spoke to the chef." not in users_only and f"User created: {frontline}." in users_only
    by_case = client.get(URL, {"q": case.reference}).content.decode()
    assert "Spoke to the chef." in by_case and f"User created: {frontline}." not in by_case


def test_a_bad_filter_is_said_and_shows_nothing_wrong(owner):
    page = signed_in(owner).get(URL, {"since": "not-a-date", "kind": "made.up"}).content.decode()
    assert "Check the filters above." in page and "Enter a valid date" in page


def test_the_export_is_the_filtered_trail_as_csv(owner, soho):
    LocationFactory(name="Camden", code="camden")
    response = signed_in(owner).get(URL, {"topic": "location", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode().lstrip("\ufeff"))))
    assert rows[0][:3] == ["When", "What", "Kind"]
    assert {row[2] for row in rows[1:]} == {"location.created"} and len(rows) == 3  # Soho and Camden


def test_the_trail_page_asks_the_same_number_of_queries_however_long(owner, soho, django_assert_max_num_queries):
    client = signed_in(owner)
    client.get(URL)
    for number in range(40):
        staff(Role.FRONTLINE, soho, username=f"clerk{number}")
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_a_deleted_location_is_on_the_trail_by_name(owner):
    camden = LocationFactory(name="Camden", code="camden")
    pk = camden.pk
    camden.delete()
    entry = Event.objects.get(kind=Kind.LOCATION_DELETED)
    assert (entry.subject, entry.location_id) == (f"location:{pk}", None)
    assert entry.payload["changes"]["name"] == ["Camden", None]


def test_opening_hours_and_closed_dates_are_on_the_trail_as_the_location_s_change(owner):
    soho = LocationFactory(name="Soho", code="soho-hours")
    monday = OpeningHours.objects.create(location=soho, weekday=0, opens=time(9), closes=time(17))
    monday.closes = time(18)
    monday.save()
    ClosedDate.objects.create(location=soho, date=date(2026, 12, 28), name="Refit")
    monday.delete()
    changes = [
        entry.payload["changes"]
        for entry in Event.objects.filter(kind=Kind.LOCATION_CHANGED, location=soho).order_by("id")
    ]
    assert changes == [
        {"opening hours": [[], ["Monday 09:00-17:00"]]},
        {"opening hours": [["Monday 09:00-17:00"], ["Monday 09:00-18:00"]]},
        {"closed dates": [[], ["28 Dec 2026 Refit"]]},
        {"opening hours": [["Monday 09:00-18:00"], []]},
    ]
