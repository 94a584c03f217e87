"""A customer opens their link on a phone and answers the satisfaction check with the keyboard."""

import pytest
from django.utils import timezone

from cases.links import customer_link
from portal.models import SatisfactionResponse
from tests.browser.conftest import screenshot
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    LocationFactory,
    ProposalFactory,
    ProposalLineFactory,
    SentCustomerMessageFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, name: str, limit: int = 40) -> None:
    """Press Tab until the focus is on a control called `name` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.name") == name:
            return
    raise AssertionError(f"Tab never reached {name}")


def test_a_customer_answers_the_satisfaction_check_on_a_phone(phone, settings):
    soho = LocationFactory(name="The Soho Kitchen", code="soho")
    customer = CustomerFactory(name="Alice Moreno", home_location=soho)
    case = CaseFactory(location=soho, customer=customer, state="closed", outcome="retained", closed_at=timezone.now())
    proposal = ProposalFactory(case=case, state="delivered")
    ProposalLineFactory(proposal=proposal, kind="partial_refund", face_value="20.00", delivered_at=case.created_at)
    ProposalLineFactory(proposal=proposal, kind="discount", face_value="6.00", percent="15", position=1)
    SentCustomerMessageFactory(
        case=case,
        purpose="corrective_message",
        body="We now confirm every booking by text the day before, so a table is never given away twice.",
    )
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    settings.AMENDS_PUBLIC_URL = ""

    phone.goto(customer_link(case.pk))
    assert phone.get_by_role("heading", name="Hello Alice").is_visible()
    assert phone.get_by_text("Your case is closed.").is_visible()

    # Only the keyboard from here: Tab into the scale, arrows to move along it.
    tab_to(phone, "rating")
    phone.keyboard.press("Space")
    for _ in range(3):
        phone.keyboard.press("ArrowRight")
    assert phone.get_by_label("4 Well").is_checked()
    tab_to(phone, "will_return", limit=5)
    phone.keyboard.press("Space")
    assert phone.get_by_label("Yes", exact=True).is_checked()
    phone.keyboard.press("Tab")
    phone.keyboard.type("The manager's call was kind. Thank you.")
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Send my answer"
    screenshot(phone, "portal-satisfaction-form")
    phone.keyboard.press("Enter")

    phone.get_by_text("Thank you!").wait_for()
    assert phone.get_by_role("heading", name="Your answer").is_visible()
    assert not phone.locator('input[name="rating"]').count()
    # Nothing on the page is wider than the phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "portal-satisfaction")
    response = SatisfactionResponse.objects.get()
    assert (response.rating, response.will_return, response.comment) == (
        4,
        "yes",
        "The manager's call was kind. Thank you.",
    )
