from django.urls import reverse

from tests.factories import CaseFactory


def test_type_ahead_finds_by_name_email_or_phone(frontline_client, customer):
    url = reverse("customers:search")
    for query in ["alic", "ALICE@", "900101"]:
        results = frontline_client.get(url, {"q": query}).json()["results"]
        assert [row["name"] for row in results] == ["Alice Moreno"], query
    assert results[0]["phone"] == "+44 7700 900101"  # as people read it, not the stored E.164


def test_type_ahead_needs_two_characters(frontline_client, customer):
    assert frontline_client.get(reverse("customers:search"), {"q": "a"}).json()["results"] == []


def test_customer_page_lists_every_incident(frontline_client, soho, customer):
    cases = CaseFactory.create_batch(3, location=soho, customer=customer)
    content = frontline_client.get(customer.get_absolute_url()).content.decode()
    for case in cases:
        assert case.reference in content


def test_editing_keeps_typed_values_on_error(frontline_client, soho, customer):
    other = CaseFactory(location=soho).customer
    response = frontline_client.post(
        reverse("customers:edit", args=[other.pk]),
        {
            "name": "Changed Name",
            "email": customer.email,
            "phone": "",
            "preferred_channel": "email",
        },
    )
    assert response.status_code == 200
    assert "already on file" in " ".join(response.context["form"].errors.get("email", [])), response.context[
        "form"
    ].errors
    assert response.context["form"]["name"].value() == "Changed Name"
    other.refresh_from_db()
    assert other.name != "Changed Name"


def test_editing_saves(frontline_client, customer):
    response = frontline_client.post(
        reverse("customers:edit", args=[customer.pk]),
        {
            "name": "Alice Moreno",
            "email": customer.email,
            "phone": "+44 7700 900 101",
            "preferred_channel": "phone",
            "contact_consent": "on",
            "yearly_value": "2500",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.preferred_channel, customer.yearly_value) == ("phone", 2500)


def test_a_negative_yearly_spend_is_refused(frontline_client, customer):
    response = frontline_client.post(
        reverse("customers:edit", args=[customer.pk]),
        {
            "name": "Alice Moreno",
            "email": customer.email,
            "preferred_channel": "email",
            "yearly_value": "-10",
        },
    )
    assert "cannot be negative" in " ".join(response.context["form"].errors["yearly_value"])


def test_a_long_history_shows_the_latest_and_links_to_all(frontline_client, soho, customer, settings):
    from desk.views.customers import CustomerDetailView

    CaseFactory.create_batch(CustomerDetailView.history_limit + 2, location=soho, customer=customer)
    response = frontline_client.get(customer.get_absolute_url())
    assert len(response.context["cases"]) == CustomerDetailView.history_limit
    assert f"?customer={customer.pk}&amp;sort=newest" in response.content.decode()
    listed = frontline_client.get(reverse("cases:list"), {"customer": customer.pk, "sort": "newest"})
    assert listed.context["page"].has_next


def test_customer_and_case_pages_show_the_phone_grouped_and_tap_to_call(frontline_client, soho, customer):
    case = CaseFactory(location=soho, customer=customer)
    for url in (customer.get_absolute_url(), case.get_absolute_url()):
        page = frontline_client.get(url).content.decode()
        assert '<a href="tel:+447700900101">+44 7700 900101</a>' in page
