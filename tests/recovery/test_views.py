import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.states import DECISION_AWAITED, NOTHING_DELIVERED, State
from recovery.forms import STALE_REASON
from recovery.models import Proposal
from recovery.services.lines import _summary
from tests.conftest import signed_in
from tests.factories import CaseFactory, ProposalFactory, ProposalLineFactory, staff


def take(client, case, rank=1, token=None):
    return client.post(
        reverse("recovery:take", args=[case.pk]), {"rank": rank, "submission_token": str(token or uuid.uuid4())}
    )


def test_the_case_page_shows_the_suggestions(frontline_client, meal_case):
    response = frontline_client.get(meal_case.get_absolute_url())
    assert len(response.context["recovery"].suggestions) == 2
    assert "£71.00" in response.content.decode()
    assert "Ask for approval" in response.content.decode()


def test_one_click_sends_a_suggestion_above_the_limit_for_approval(frontline_client, meal_case):
    response = take(frontline_client, meal_case)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.state, proposal.suggested_rank) == ("pending", 1)
    page = frontline_client.get(meal_case.get_absolute_url())
    assert "waiting for a manager" in page.content.decode()
    assert page.context["recovery"].suggestions == []


def test_a_double_click_makes_one_proposal(frontline_client, meal_case):
    token = uuid.uuid4()
    take(frontline_client, meal_case, token=token)
    take(frontline_client, meal_case, token=token)
    assert Proposal.objects.count() == 1


def test_the_queue_shows_pending_proposals_to_managers_with_a_count(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    client = signed_in(manager)
    page = client.get(reverse("recovery:queue"))
    assert [p.case for p in page.context["page"].object_list] == [meal_case]
    assert page.context["waiting"] == page.context["approvals_waiting"] == 1


def test_a_long_queue_comes_a_page_at_a_time_oldest_first_under_its_true_count(soho, frontline, manager):
    now = timezone.now()
    pending = [
        ProposalFactory(
            case=CaseFactory(location=soho, created_by=frontline),
            state=Proposal.State.PENDING,
            approver_role=Role.MANAGER.value,
            proposed_at=now - timedelta(minutes=minutes),
        )
        for minutes in range(52, 0, -1)
    ]
    client = signed_in(manager)
    first = client.get(reverse("recovery:queue"))
    assert first.context["waiting"] == 52
    assert first.context["page"].object_list == pending[:50]
    assert first.context["page"].has_next
    html = first.content.decode()
    assert '<span class="badge text-bg-primary">52</span>' in html
    assert 'href="?page=2"' in html
    second = client.get(reverse("recovery:queue"), {"page": 2})
    assert second.context["page"].object_list == pending[50:]
    assert not second.context["page"].has_next


def test_the_queue_is_not_for_frontline(frontline_client):
    assert frontline_client.get(reverse("recovery:queue")).status_code == 403


def test_a_manager_elsewhere_does_not_see_it(frontline_client, meal_case, camden):
    take(frontline_client, meal_case)
    elsewhere = signed_in(staff(Role.MANAGER, camden))
    assert elsewhere.get(reverse("recovery:queue")).context["page"].object_list == []
    proposal = Proposal.objects.get()
    assert elsewhere.get(proposal.get_absolute_url()).status_code == 404
    response = elsewhere.post(proposal.get_absolute_url(), {"decision": "approve", "revision": 1})
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_a_manager_approves_from_the_proposal_page(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    client = signed_in(manager)
    assert client.get(proposal.get_absolute_url()).context["can_decide"]
    response = client.post(proposal.get_absolute_url(), {"decision": "approve", "revision": 1})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by) == ("approved", manager)


def test_approving_twice_is_refused_with_a_message(frontline_client, meal_case, manager, soho):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    signed_in(manager).post(proposal.get_absolute_url(), {"decision": "approve", "revision": 1})
    other = signed_in(staff(Role.MANAGER, soho))
    response = other.post(proposal.get_absolute_url(), {"decision": "reject", "reason": "no", "revision": 1})
    assert response.status_code == 400
    assert "already approved by" in response.content.decode()


def test_rejecting_without_a_reason_keeps_the_page(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    response = signed_in(manager).post(proposal.get_absolute_url(), {"decision": "reject", "reason": "", "revision": 1})
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()


def test_the_proposer_cannot_decide_from_the_page(meal_case, soho):
    proposer = staff(Role.MANAGER, soho, authority_limit=Decimal("10"))
    client = signed_in(proposer)
    take(client, meal_case)
    proposal = Proposal.objects.get()
    assert not client.get(proposal.get_absolute_url()).context["can_decide"]
    response = client.post(proposal.get_absolute_url(), {"decision": "approve", "revision": 1})
    assert "own proposal" in response.content.decode()


def test_delivering_from_the_case_page(frontline_client, soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("20"), lost="all")
    take(frontline_client, case)
    proposal = Proposal.objects.get()
    for line in proposal.lines.all():
        frontline_client.post(reverse("recovery:deliver", args=[case.pk]), {"line": line.pk, "reference": "R1"})
    case.refresh_from_db()
    assert case.state == "remedy_delivered"


def test_budget_page_for_managers(manager, frontline_client, soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("20"), lost="all")
    take(frontline_client, case)
    rows = signed_in(manager).get(reverse("recovery:budget")).context["rows"]
    assert [(row["location"], row["used"]) for row in rows] == [(soho, Decimal("22.00"))]


def test_suggestions_step_aside_once_a_remedy_is_agreed_and_return_after_a_rejection(
    frontline_client, meal_case, manager
):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    signed_in(manager).post(proposal.get_absolute_url(), {"decision": "reject", "reason": "Too much", "revision": 1})
    assert len(frontline_client.get(meal_case.get_absolute_url()).context["recovery"].suggestions) == 2
    take(frontline_client, meal_case, rank=2)
    signed_in(manager).post(
        Proposal.objects.get(state="pending").get_absolute_url(), {"decision": "approve", "revision": 1}
    )
    assert frontline_client.get(meal_case.get_absolute_url()).context["recovery"].suggestions == []


def edit_data(**changes):
    data = {
        "submission_token": str(uuid.uuid4()),
        "title": "Edited",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "8",
        "form-0-kind": "partial_refund",
        "form-0-face_value": "30",
        "form-0-reason": "She asked for half",
        "form-1-kind": "",
        "form-1-face_value": "",
        "form-1-reason": "",
        "below_floor_reason": "",
    }
    data.update(changes)
    return data


def test_the_edit_page_starts_from_a_suggestion(frontline_client, meal_case):
    response = frontline_client.get(reverse("recovery:propose", args=[meal_case.pk]) + "?from=2")
    assert response.context["lines"].initial[0]["kind"] == "gift_card"


def test_editing_below_the_suggestion_needs_a_reason_and_keeps_what_was_typed(frontline_client, meal_case):
    url = reverse("recovery:propose", args=[meal_case.pk])
    response = frontline_client.post(url, edit_data())
    assert response.status_code == 400
    assert "say why" in response.content.decode()
    assert response.context["lines"].forms[0]["reason"].value() == "She asked for half"
    assert not Proposal.objects.exists()
    response = frontline_client.post(url, edit_data(below_floor_reason="She only wanted half back"))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.compensation, proposal.below_floor_reason) == (Decimal("30.00"), "She only wanted half back")


def test_editing_refuses_a_negative_amount(frontline_client, meal_case):
    response = frontline_client.post(
        reverse("recovery:propose", args=[meal_case.pk]), edit_data(**{"form-0-face_value": "-10"})
    )
    assert response.status_code == 400
    assert "cannot be negative" in response.content.decode()
    assert not Proposal.objects.exists()


def amend_data(**changes):
    data = {
        "decision": "amend",
        "reason": "A gift card suits her better",
        "revision": "1",
        "amend-TOTAL_FORMS": "2",
        "amend-INITIAL_FORMS": "0",
        "amend-MIN_NUM_FORMS": "0",
        "amend-MAX_NUM_FORMS": "8",
        "amend-0-kind": "gift_card",
        "amend-0-face_value": "80",
        "amend-0-reason": "Her favourite shop",
        "amend-1-kind": "",
        "amend-1-face_value": "",
        "amend-1-reason": "",
    }
    data.update(changes)
    return data


def test_a_manager_amends_and_approves_with_a_reason(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    client = signed_in(manager)
    assert client.get(proposal.get_absolute_url()).context["amend_lines"].initial[0]["kind"] == "full_refund"
    response = client.post(proposal.get_absolute_url(), amend_data())
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.compensation, proposal.decision_reason) == (
        "approved",
        Decimal("80.00"),
        "A gift card suits her better",
    )
    assert [line.kind for line in proposal.lines.all()] == ["apology", "gift_card"]


def test_amending_needs_a_reason_and_keeps_what_was_typed(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    response = signed_in(manager).post(proposal.get_absolute_url(), amend_data(reason=""))
    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    assert response.context["amend_lines"].forms[0]["face_value"].value() == "80"
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_amending_past_the_cap_is_refused(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    response = signed_in(manager).post(proposal.get_absolute_url(), amend_data(**{"amend-0-face_value": "5000"}))
    assert response.status_code == 400
    assert "above the cap" in response.content.decode()


def policy_post(client, **changes):
    page = client.get(reverse("recovery:policy"))
    form, catalogue = page.context["form"], page.context["catalogue"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    data.update(
        {
            f"remedy-{k}": v
            for k, v in {
                "TOTAL_FORMS": len(catalogue.forms),
                "INITIAL_FORMS": len(catalogue.forms),
                "MIN_NUM_FORMS": 0,
                "MAX_NUM_FORMS": 1000,
            }.items()
        }
    )
    for i, row in enumerate(catalogue.forms):
        data.update(
            {
                f"remedy-{i}-kind": row["kind"].value(),
                f"remedy-{i}-cost_ratio": row["cost_ratio"].value(),
                f"remedy-{i}-granted_by": row["granted_by"].value(),
            }
        )
        if row["enabled"].value():
            data[f"remedy-{i}-enabled"] = "on"
    data["note"] = "Raise frontline limit"
    data.update(changes)
    return client.post(reverse("recovery:policy"), data)


def test_an_owner_publishes_a_new_policy_version_and_history_stays(owner, frontline_client, meal_case):
    from recovery.models import PolicyVersion

    take(frontline_client, meal_case)  # under v1
    response = policy_post(signed_in(owner), frontline_limit="100")
    assert response.status_code == 302
    assert PolicyVersion.objects.count() == 2
    assert PolicyVersion.objects.latest().frontline_limit == Decimal("100")
    assert Proposal.objects.get().policy == PolicyVersion.objects.earliest("id")


def test_a_bad_policy_is_refused_with_the_reason(owner):
    from recovery.models import PolicyVersion

    response = policy_post(signed_in(owner), manager_limit="10", frontline_limit="100")
    assert response.status_code == 400
    assert "cannot be below frontline" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_managers_read_the_policy_but_cannot_change_it(manager):
    client = signed_in(manager)
    assert client.get(reverse("recovery:policy")).status_code == 200
    assert policy_post(client).status_code == 403


def test_the_customer_page_shows_every_remedy_given(frontline_client, soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("20"), lost="all")
    take(frontline_client, case)
    line = Proposal.objects.get().lines.exclude(kind="apology").get()
    frontline_client.post(reverse("recovery:deliver", args=[case.pk]), {"line": line.pk, "reference": "RF-77"})
    page = frontline_client.get(case.customer.get_absolute_url())
    assert [remedy.kind for remedy in page.context["remedies"]] == [line.kind]
    assert "RF-77" in page.content.decode()


def test_a_discount_can_be_a_percentage_of_the_next_purchase(frontline_client, meal_case):
    response = frontline_client.post(
        reverse("recovery:propose", args=[meal_case.pk]),
        edit_data(
            **{
                "form-0-kind": "discount",
                "form-0-face_value": "",
                "form-0-percent": "15",
                "form-0-reason": "",
                "below_floor_reason": "A regular: she prefers a discount",
            }
        ),
    )
    assert response.status_code == 302
    line = Proposal.objects.get().lines.get(kind="discount")
    assert (line.percent, line.face_value) == (Decimal("15.00"), Decimal("9.60"))  # 15% of the 64 order
    assert line.reason == "15% off the next purchase (about £9.60)"


@pytest.mark.parametrize(
    ("kind", "percent", "message"),
    [
        ("discount", "150", "At most 100%"),
        ("gift_card", "10", "Only a discount can be given in percent"),
    ],
)
def test_bad_percentages_are_refused(frontline_client, meal_case, kind, percent, message):
    response = frontline_client.post(
        reverse("recovery:propose", args=[meal_case.pk]),
        edit_data(
            **{
                "form-0-kind": kind,
                "form-0-face_value": "",
                "form-0-percent": percent,
                "below_floor_reason": "x",
            }
        ),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_after_a_rejection_the_case_shows_it_and_offers_only_what_was_decided(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    signed_in(manager).post(
        proposal.get_absolute_url(), {"decision": "reject", "reason": "Half of it was eaten", "revision": 1}
    )
    page = frontline_client.get(meal_case.get_absolute_url())
    html = page.content.decode()
    assert f"Rejected by {manager}" in html and "“Half of it was eaten”" in html
    assert page.context["case"].state == "open"
    assert State.REMEDY_DELIVERED not in page.context["next_states"]
    assert "Move to remedy delivered" not in html
    # The same remedy can be asked for again, with the rejection beside it.
    card, _ = page.context["recovery"].suggestion_cards
    assert card.rejected == proposal and card.option.rank == proposal.suggested_rank
    assert f"Already proposed and rejected by {manager}" in html and "Ask again" in html


def test_moving_to_remedy_delivered_by_hand_is_refused_when_nothing_was_delivered(frontline_client, meal_case):
    meal_case.state = "in_recovery"
    meal_case.save(update_fields=["state"])
    response = frontline_client.post(
        meal_case.get_absolute_url(),
        {"action": "transition", "to_state": "remedy_delivered", "expected_state": "in_recovery"},
    )
    assert response.status_code == 400
    assert NOTHING_DELIVERED in response.content.decode()
    meal_case.refresh_from_db()
    assert meal_case.state == "in_recovery"


def test_a_case_waiting_for_approval_cannot_be_closed_by_crafting_the_post(frontline_client, meal_case):
    take(frontline_client, meal_case)
    response = frontline_client.post(
        meal_case.get_absolute_url(),
        {"action": "transition", "to_state": "closed", "outcome": "retained", "expected_state": "awaiting_approval"},
    )
    assert response.status_code == 400
    assert DECISION_AWAITED in response.content.decode()
    meal_case.refresh_from_db()
    assert meal_case.state == "awaiting_approval"


def test_the_queue_the_case_and_the_timeline_say_whose_limit_it_is(frontline_client, meal_case, frontline, manager):
    take(frontline_client, meal_case)
    whose = f"£71.00 is above {frontline}'s limit of £50.00"
    assert Proposal.objects.get().approval_reason == whose
    client = signed_in(manager)
    queue = client.get(reverse("recovery:queue")).content.decode()
    case_page = client.get(meal_case.get_absolute_url()).content.decode()
    proposal_page = client.get(Proposal.objects.get().get_absolute_url()).content.decode()
    for html in (queue, case_page, proposal_page):
        assert whose.replace("'", "&#x27;") in html and "your limit" not in html
    assert f"Needs a manager: {whose}." in meal_case.events.get(kind="proposal.made").note


def test_a_proposal_an_owner_must_decide_says_needs_an_owner(frontline_client, meal_case, owner):
    ProposalFactory(
        case=meal_case, state=Proposal.State.PENDING, approver_role=Role.OWNER.value, approval_reason="over budget"
    )
    html = signed_in(owner).get(meal_case.get_absolute_url()).content.decode()
    assert "waiting for an owner: over budget" in html and "a owner" not in html


def as_posted(formset, **changes):
    """The formset's data as the page posts it, with some fields changed."""
    data = {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            data[form.add_prefix(name)] = "" if value is None else str(value)
    data.update(changes)
    return data


def test_an_amended_line_does_not_keep_the_old_lines_explanation(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    client = signed_in(manager)
    amend = client.get(proposal.get_absolute_url()).context["amend_lines"]
    old_reason = amend.forms[0]["reason"].value()
    assert old_reason.startswith("£71.00 for the £64.00 they did not get")
    changed = {"amend-0-kind": "partial_refund", "amend-0-face_value": "40"}
    data = {"decision": "amend", "reason": "Half of it was eaten", "revision": "1", **as_posted(amend, **changed)}

    response = client.post(proposal.get_absolute_url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert STALE_REASON.format(was="Full refund £71.00", now="Partial refund £40.00") in html
    assert response.context["amend_lines"].forms[0]["face_value"].value() == "40"  # what was typed is kept
    proposal.refresh_from_db()
    assert proposal.state == "pending"

    data["amend-0-reason"] = "Half the meal, as half of it was eaten"
    assert client.post(proposal.get_absolute_url(), data).status_code == 302
    line = Proposal.objects.get().lines.get(kind="partial_refund")
    assert (line.face_value, line.reason) == (Decimal("40.00"), "Half the meal, as half of it was eaten")


def test_a_line_left_as_it_was_keeps_its_explanation(frontline_client, meal_case, manager):
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    client = signed_in(manager)
    amend = client.get(proposal.get_absolute_url()).context["amend_lines"]
    extra = {"amend-1-kind": "handwritten_card", "amend-1-reason": "A note from the chef"}
    data = {"decision": "amend", "reason": "A card too", "revision": "1", **as_posted(amend, **extra)}
    assert client.post(proposal.get_absolute_url(), data).status_code == 302
    kept = Proposal.objects.get().lines.get(kind="full_refund")
    assert kept.reason == amend.forms[0]["reason"].value()


def test_editing_a_suggestions_amount_asks_for_a_fresh_explanation(frontline_client, meal_case):
    page = frontline_client.get(reverse("recovery:propose", args=[meal_case.pk]))
    lines, form = page.context["lines"], page.context["form"]
    data = {
        "submission_token": form.initial["submission_token"],
        "title": "Edited",
        **as_posted(lines, **{"form-0-face_value": "60", "form-0-kind": "partial_refund"}),
        "below_floor_reason": "She asked for less",
    }
    response = frontline_client.post(reverse("recovery:propose", args=[meal_case.pk]), data)
    assert response.status_code == 400
    assert STALE_REASON.format(was="Full refund £71.00", now="Partial refund £60.00") in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_remedy_with_a_correction_is_summed_up_the_same_way_everywhere(meal_case, frontline, manager):
    proposal = ProposalFactory(
        case=meal_case,
        proposed_by=frontline,
        state=Proposal.State.PENDING,
        approver_role=Role.MANAGER.value,
        compensation=Decimal("5.00"),
        face_value=Decimal("23.00"),
        cost=Decimal("22.00"),
    )
    ProposalLineFactory(proposal=proposal, kind="correction", face_value=Decimal("18.00"), cost=Decimal("18.00"))
    ProposalLineFactory(proposal=proposal, kind="gift_card", face_value=Decimal("5.00"), cost=Decimal("4.00"))
    said = (
        "£5.00 compensation, costing us £4.00, and £18.00 owed back (the overcharge corrected):"
        " £23.00 to the customer in all"
    )
    client = signed_in(manager)
    assert said in client.get(meal_case.get_absolute_url()).content.decode()
    assert said in _summary(proposal)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "To the customer in all" in page and "£23.00" in page and "£22.00" not in page
    queue = client.get(reverse("recovery:queue")).content.decode()
    assert "and £18.00 owed back" in queue and "£22.00" not in queue


def test_the_approval_page_shows_what_the_customer_lost(soho, frontline, manager):
    case = CaseFactory(location=soho, created_by=frontline, lost="part", time_lost_minutes=30, occasion_mattered=True)
    proposal = ProposalFactory(case=case, state=Proposal.State.PENDING, approver_role="Manager")
    page = signed_in(manager).get(reverse("recovery:proposal", args=[proposal.pk])).content.decode()
    for said in ("What they paid for it", "Part of it", "30 minutes", "For an occasion or a deadline"):
        assert said in page


def test_what_to_say_is_in_the_customers_language_and_the_rest_in_the_pages(frontline_client, meal_case):
    meal_case.customer.language = "fr"
    meal_case.customer.save(update_fields=["language"])
    page = frontline_client.get(meal_case.get_absolute_url()).content.decode()
    assert '<span lang="fr">“Je vous présente mes excuses : nous vous avons fait attendre.' in page
    assert "Nous vous remboursons intégralement, 71,00\xa0£, aujourd’hui." in page  # as French writes money
    assert "Matched to what went wrong" in page and "Needs a manager: £71.00 is above your limit of £50.00" in page


def test_someone_of_a_role_is_named_in_the_pages_language_and_nobody_is_no_one():
    rendered = Template("{% load remedies %}[{{ a|a_role }}][{{ b|a_role }}][{{ c|a_role }}]")
    assert rendered.render(Context({"a": "Owner", "b": Role.MANAGER, "c": ""})) == "[an owner][a manager][]"
