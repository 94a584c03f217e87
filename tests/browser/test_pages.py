"""What a new user trips over first, in a real Chromium at a phone's 390 px and a desktop's
1280 px: the error pages, the favicon, where the focus starts, the case list and the remedy
editor on a phone, and checkboxes that can be seen."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases.models import Case
from customers.models import Customer
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.browser.test_page_policy import watch
from tests.factories import CaseFactory, CorrectiveActionFactory, CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [390, 1280]


@pytest.fixture
def fran():
    soho = LocationFactory(name="Soho", code="soho")
    user = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    customer = CustomerFactory(name="Alexandra Moreno-Whitfield", home_location=soho)
    states = ["open", "awaiting_approval", "in_recovery", "remedy_delivered"]
    for state, severity in zip(states, ["minor", "moderate", "major", "critical"], strict=True):
        CaseFactory(location=soho, customer=customer, created_by=user, assignee=user, state=state, severity=severity)
    return user


def fits(page, locator) -> bool:
    """The element is whole inside the window's width (not cut off, not off to the right)."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_error_pages_have_the_layout_and_a_way_back(page, fran, settings, width):
    settings.ROOT_URLCONF = "tests.browser.failing_urls"
    page.set_viewport_size({"width": width, "height": 900})
    problems = watch(page)
    log_in(page, "fran")
    for url, status, heading in [
        ("/no-such-page/", 404, "There is no page here"),
        (reverse("recovery:policy"), 403, "This page is not open to you"),  # frontline may not
        ("/_fail/", 500, "Something went wrong on our side"),
    ]:
        response = page.goto(url)
        assert response.status == status
        assert page.get_by_role("heading", name=heading).is_visible()
        assert page.locator("nav .navbar-brand").is_visible()  # the app's own layout
        assert page.locator("link[rel=icon]").count() == 1
        back = page.get_by_role("link", name="Go to your start page")
        assert fits(page, back)
        screenshot(page, f"error-{status}-{width}")
    back.click()
    page.wait_for_url(re.compile(r"/cases/"))
    assert not problems, problems  # the error pages keep the Content-Security-Policy too


def test_the_favicon_is_ours_and_served(page, fran):
    log_in(page, "fran")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    for url in [icon, "/favicon.ico"]:
        response = page.request.get(url)
        assert response.ok and response.headers["content-type"].startswith("image/svg+xml")


def test_the_new_case_form_starts_in_its_first_field(page, fran):
    log_in(page, "fran")
    page.goto(reverse("cases:create"))
    assert page.evaluate("document.activeElement.id") == "customer-search"
    page.keyboard.type("alex")  # typing at once finds the customer
    page.get_by_role("option", name=re.compile("Alexandra")).wait_for()
    # Come from the customer's page, the customer is chosen: it starts at what went wrong.
    customer = Customer.objects.get(name="Alexandra Moreno-Whitfield")
    page.goto(reverse("cases:create") + f"?customer={customer.pk}")
    assert page.evaluate("document.activeElement.id") == "id_category"


@pytest.mark.parametrize("width", WIDTHS)
def test_the_case_list_shows_every_tab_and_the_state_column(page, fran, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "fran")
    page.goto(reverse("cases:list") + "?sort=newest")
    screenshot(page, f"case-list-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing to scroll sideways
    assert fits(page, page.get_by_role("link", name="Everything"))
    assert fits(page, page.get_by_role("columnheader", name="State"))
    for badge in page.locator("table.case-list .state").all():
        assert fits(page, badge)
    table_box = page.locator(".table-responsive").first
    assert table_box.evaluate("box => box.scrollWidth <= box.clientWidth")  # the table is not cut inside its box


@pytest.mark.parametrize("width", WIDTHS)
def test_the_remedy_editor_shows_the_whole_why(page, fran, width):
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "fran")
    case = Case.objects.get(state="open")
    page.goto(reverse("recovery:propose", args=[case.pk]))
    screenshot(page, f"remedy-editor-{width}")
    why = page.get_by_label("Why 1")
    form = page.locator("form.card")
    assert fits(page, why)
    # The reason takes the whole width of the form, not a quarter of a table.
    assert why.bounding_box()["width"] >= 0.85 * form.bounding_box()["width"]
    named = why.evaluate("why => getComputedStyle(why.closest('td'), '::before').content")
    assert named == '"Why, in plain words"'  # each field is named where it is


def contrast_on_white(colour: str) -> float:
    """WCAG's contrast ratio of an rgb(...) colour against the white page."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(part)) for part in re.findall(r"\d+", colour)[:3])
    return 1.05 / (0.2126 * red + 0.7152 * green + 0.0722 * blue + 0.05)


def test_empty_fields_and_unticked_checkboxes_have_an_edge_that_can_be_seen(page, fran):
    log_in(page, "fran")
    page.goto(reverse("cases:create"))
    box = page.get_by_label("Agrees to be contacted")
    assert not box.is_checked()
    for field, needed in [(box, 3), (page.get_by_label("Name", exact=True), 3), (page.get_by_label("Category"), 3)]:
        colour = field.evaluate("field => getComputedStyle(field).borderTopColor")
        assert contrast_on_white(colour) >= needed, f"{colour}: WCAG 1.4.11 asks 3:1 for a control's edge"


def test_the_corrective_list_fits_a_phone(page, fran):
    CorrectiveActionFactory(location=fran.locations.get(), title="Stagger the lunch bookings")
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, "fran")
    page.goto(reverse("corrective:list"))
    box = page.locator(".table-responsive").first
    assert box.evaluate("box => box.scrollWidth <= box.clientWidth")  # the less needed columns give way
    assert fits(page, page.get_by_role("columnheader", name="State"))


def test_the_customer_page_fits_a_phone(page, fran):
    customer = Customer.objects.get(name="Alexandra Moreno-Whitfield")
    page.set_viewport_size({"width": 390, "height": 900})
    log_in(page, "fran")
    page.goto(customer.get_absolute_url())
    box = page.locator(".table-responsive").first
    assert box.evaluate("box => box.scrollWidth <= box.clientWidth")  # the date and the sum at stake give way
    assert fits(page, page.get_by_role("columnheader", name="State"))
