"""400, 403, 404 and 500 in the app's layout with a way back; the 500 page needs no request and no database."""

from django.core.exceptions import SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

from tests.conftest import signed_in


def test_the_500_page_renders_with_no_request_context_and_no_database():
    # No `db` fixture: pytest-django fails any query. Django renders 500.html with an empty context.
    response = server_error(RequestFactory().get("/"))
    content = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in content
    assert 'href="/"' in content and "Go to your start page" in content
    assert "css/amends.css" in content and 'rel="icon"' in content


def test_the_400_page_has_the_layout_with_no_request_context():
    response = bad_request(RequestFactory().get("/"), SuspiciousOperation("bad"))
    content = response.content.decode()
    assert response.status_code == 400
    assert "We could not understand that request" in content and "Go to your start page" in content


def test_a_missing_page_has_the_layout_and_a_way_back(frontline):
    response = signed_in(frontline).get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert "There is no page here" in content and "Go to your start page" in content
    assert reverse("cases:list") in content and "navbar" in content  # signed in: the whole bar


def test_a_missing_page_for_someone_signed_out_has_a_way_back(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and "Go to your start page" in response.content.decode()


def test_a_page_not_open_to_the_user_says_so_in_the_layout(frontline):
    response = signed_in(frontline).get(reverse("recovery:policy"))
    content = response.content.decode()
    assert response.status_code == 403
    assert "This page is not open to you" in content and "Go to your start page" in content


def test_the_favicon_is_served_at_the_address_browsers_ask(db):
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
