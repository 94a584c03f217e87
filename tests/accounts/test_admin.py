"""The back office is never a way round the services, nor a window on other locations."""

import re
import uuid
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from accounts.roles import Role
from cases.models import Event
from corrective.models import CorrectiveActionCase
from followups.models import DigestLog, FollowUp
from portal.models import SatisfactionResponse
from recovery.models import LedgerEntry, Proposal
from tests.conftest import signed_in
from tests.factories import (
    CaseFactory,
    CorrectiveActionFactory,
    CustomerFactory,
    EventFactory,
    ProposalFactory,
    ProposalLineFactory,
    SatisfactionResponseFactory,
    SentCustomerMessageFactory,
    staff,
)

# Words that only the other location's rows carry: none may appear on a Soho person's page.
CAMDEN_MARKERS = [
    "Camden",
    "camden_boss",
    "Zelda Quartermain",
    "zelda@camden.example",
    "SECRET-CAMDEN-INCIDENT",
    "CAMDEN-GIFT-7731",
    "Camden proposal",
    "Camden fix",
    "camden comment",
    "camden-attempt",
]


def _location_world(location, *, prefix: str, people):
    """One of each row the admin shows, at a location."""
    boss, clerk = people
    customer = CustomerFactory(home_location=location, name=f"{prefix} customer")
    case = CaseFactory(location=location, customer=customer, created_by=clerk, description=f"{prefix} incident")
    EventFactory(case=case, note=f"{prefix} note")
    proposal = ProposalFactory(case=case, title=f"{prefix} proposal", proposed_by=clerk, decided_by=boss)
    line = ProposalLineFactory(proposal=proposal, delivery_reference=f"{prefix}-GIFT")
    LedgerEntry.objects.create(
        line=line, location=location, entry="approved", kind="gift_card", amount=Decimal(20), cost=Decimal(12)
    )
    SentCustomerMessageFactory(case=case)
    action = CorrectiveActionFactory(location=location, title=f"{prefix} fix", owner=boss, created_by=boss)
    CorrectiveActionCase.objects.create(action=action, case=case, linked_by=boss)
    SatisfactionResponseFactory(case=CaseFactory(location=location, customer=customer, created_by=clerk))
    DigestLog.objects.create(user=boss, day=timezone.localdate(), sent_at=timezone.now())
    return case


@pytest.fixture
def world(soho, camden):
    soho_people = (staff(Role.MANAGER, soho, username="soho_boss"), staff(Role.FRONTLINE, soho, username="soho_fran"))
    camden_people = (
        staff(Role.MANAGER, camden, username="camden_boss"),
        staff(Role.FRONTLINE, camden, username="camden_clerk"),
    )
    soho_case = _location_world(soho, prefix="Soho", people=soho_people)
    camden_case = _location_world(camden, prefix="Camden", people=camden_people)
    camden_case.customer.name, camden_case.customer.email = "Zelda Quartermain", "zelda@camden.example"
    camden_case.customer.save()
    camden_case.description = "SECRET-CAMDEN-INCIDENT"
    camden_case.save()
    camden_case.proposals.get().lines.update(delivery_reference="CAMDEN-GIFT-7731")
    SatisfactionResponse.objects.filter(case__location=camden).update(comment="camden comment")
    # A business-wide action linked to a case at each location: Soho sees the action, not Camden's case.
    wide = CorrectiveActionFactory(location=None, title="Everywhere fix", owner=soho_people[0])
    CorrectiveActionCase.objects.create(action=wide, case=soho_case, linked_by=soho_people[0])
    CorrectiveActionCase.objects.create(action=wide, case=camden_case, linked_by=camden_people[0])
    every_minute = IntervalSchedule.objects.create(every=1, period="minutes")
    PeriodicTask.objects.create(name="camden-attempt sweep", task="core.ping", interval=every_minute)
    AccessAttempt.objects.create(username="camden-attempt", ip_address="10.0.0.1", failures_since_start=1)
    return {"soho": soho_people, "camden": camden_people, "soho_case": soho_case, "camden_case": camden_case}


def _snapshot():
    """Every row of every table the admin could write to (sessions change as pages are read)."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models()
        if model not in (Session,)
    }


def _all_actions(model_admin):
    """Every action the admin class has, whoever may run it."""
    return [name for _, name, _ in model_admin._get_base_actions()]


def _admin_urls(model, pks):
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    yield changelist
    yield changelist + "?q=a"
    yield changelist + "?_popup=1&_to_field=id"
    yield reverse("admin:{}_{}_add".format(*info))
    for pk in pks:
        for page in ("change", "history", "delete"):
            yield reverse(f"admin:{info[0]}_{info[1]}_{page}", args=[pk])


def test_a_staff_manager_sees_and_changes_nothing_of_another_location_in_the_admin(world):
    user = world["soho"][0]
    user.is_staff = True
    user.save()
    client = signed_in(user)
    before = _snapshot()
    for model, model_admin in admin.site._registry.items():
        pks = list(model._default_manager.values_list("pk", flat=True))
        for url in _admin_urls(model, pks):
            response = client.get(url, follow=True)
            assert response.status_code in (200, 403), url
            page = response.content.decode()
            for marker in CAMDEN_MARKERS:
                assert marker not in page, f"{marker!r} shows on {url}"
        # Every write the admin knows, on every row, here and at Camden.
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        client.post(reverse("admin:{}_{}_add".format(*info)), {"note": "forged", "name": "forged"})
        for pk in pks:
            client.post(reverse("admin:{}_{}_change".format(*info), args=[pk]), {"state": "approved"})
            client.post(reverse("admin:{}_{}_delete".format(*info), args=[pk]), {"post": "yes"})
        for action in _all_actions(model_admin):
            client.post(changelist, {"action": action, "_selected_action": pks, "index": 0, "post": "yes"})
    assert _snapshot() == before


def _proposal_form(proposal, **changes):
    """The proposal's change form as the admin drew it (with its lines' inline), changed."""
    line = proposal.lines.get()
    data = {
        "case": proposal.case_id,
        "policy": proposal.policy_id,
        "title": proposal.title,
        "suggested_rank": "",
        "below_floor_reason": "",
        "state": proposal.state,
        "compensation": proposal.compensation,
        "face_value": proposal.face_value,
        "cost": proposal.cost,
        "approver_role": "",
        "approval_reason": "",
        "proposed_by": proposal.proposed_by_id,
        "proposed_at_0": "2026-01-01",
        "proposed_at_1": "10:00:00",
        "decided_by": "",
        "decided_at_0": "",
        "decided_at_1": "",
        "decision_reason": "",
        "decision_policy": "",
        "revision": proposal.revision,
        "submission_token": str(uuid.uuid4()),
        "lines-TOTAL_FORMS": 1,
        "lines-INITIAL_FORMS": 1,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
        "lines-0-id": line.pk,
        "lines-0-proposal": proposal.pk,
        "_save": "Save",
    }
    return data | changes


def test_a_proposer_cannot_approve_their_own_proposal_in_the_admin(soho):
    fran = staff(Role.FRONTLINE, soho, username="fran_staff", is_staff=True)
    case = CaseFactory(location=soho, created_by=fran)
    proposal = ProposalFactory(case=case, proposed_by=fran, state=Proposal.State.PENDING, compensation=Decimal(60))
    ProposalLineFactory(proposal=proposal)
    url = reverse("admin:recovery_proposal_change", args=[proposal.pk])

    response = signed_in(fran).post(url, _proposal_form(proposal, state="approved", compensation="5000.00"))

    assert response.status_code == 403
    proposal.refresh_from_db()
    assert (proposal.state, proposal.compensation) == (Proposal.State.PENDING, Decimal(60))
    assert not LogEntry.objects.exists()


def test_nobody_forges_a_timeline_entry_in_the_admin(soho):
    fran = staff(Role.FRONTLINE, soho, username="fran_staff", is_staff=True)
    case = CaseFactory(location=soho, created_by=fran)
    form = {"case": case.pk, "kind": "note", "actor": fran.pk, "created_at_0": "2026-01-01", "created_at_1": "10:00"}
    form |= {"note": "The customer withdrew the complaint.", "from_state": "", "to_state": ""}

    response = signed_in(fran).post(reverse("admin:cases_event_add"), form)

    assert response.status_code == 403
    assert not Event.objects.filter(note__contains="withdrew").exists()


@pytest.mark.parametrize("model", [Proposal, LedgerEntry, Event, FollowUp], ids=lambda m: m.__name__)
def test_even_a_superuser_only_reads_what_the_services_write(db, model):
    model_admin = admin.site.get_model_admin(model)
    request = RequestFactory().get("/")
    request.user = staff(Role.OWNER, username="root", is_staff=True, is_superuser=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)


def test_a_manager_sees_their_own_locations_rows_in_the_admin(world):
    boss = world["camden"][0]
    boss.is_staff = True
    boss.save()
    page = signed_in(boss).get(reverse("admin:recovery_proposal_changelist")).content.decode()
    assert "Camden proposal" in page
    assert "Soho proposal" not in page


def test_an_owner_sees_every_location_in_the_admin(world):
    oliver = staff(Role.OWNER, username="oliver_staff", is_staff=True)
    page = signed_in(oliver).get(reverse("admin:cases_case_changelist") + "?q=incident").content.decode()
    assert "Zelda Quartermain" in page and "Soho customer" in page


def test_the_beat_schedule_is_a_superusers_alone(world):
    oliver = staff(Role.OWNER, username="oliver_staff", is_staff=True)
    task = PeriodicTask.objects.get(name__startswith="camden-attempt")
    url = reverse("admin:django_celery_beat_periodictask_changelist")
    assert signed_in(oliver).get(url).status_code == 403
    assert signed_in(oliver).post(url, {"action": "disable_tasks", "_selected_action": [task.pk]}).status_code == 403
    task.refresh_from_db()
    assert task.enabled
    root = staff(Role.OWNER, username="root", is_staff=True, is_superuser=True)
    assert signed_in(root).get(url).status_code == 200


def test_the_admin_names_ledger_entries_in_plain_english():
    assert LedgerEntry._meta.verbose_name_plural == "ledger entries"
    assert FollowUp._meta.verbose_name_plural == "follow-ups"
    # Django adds an "s": "entrys", "canarys". Every plural of ours reads as English.
    ours = [model for model in apps.get_models() if model.__module__.split(".")[0] in settings.INSTALLED_APPS]
    assert ours
    plurals = [str(model._meta.verbose_name_plural) for model in ours]
    assert not [plural for plural in plurals if re.search(r"[^aeiou]ys$", plural)]
