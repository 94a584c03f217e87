"""The locations' pages: owners and managers find each location's report link and QR code;
owners give a location's page a new link, and the old one stops working."""

import re

import pytest
from django.urls import reverse

from accounts.models import Location
from cases.models import Event
from desk.qr import qr_svg
from tests.conftest import signed_in


def link(location) -> str:
    return f"http://127.0.0.1:8000/report/{location.report_token}/"


def test_a_manager_lists_only_their_locations(manager, soho, camden):
    page = signed_in(manager).get(reverse("locations:list")).content.decode()
    assert "Soho" in page and "Camden" not in page
    assert link(soho) in page and "/report/soho/" not in page


def test_an_owner_lists_every_location(owner, soho, camden):
    page = signed_in(owner).get(reverse("locations:list")).content.decode()
    assert "Soho" in page and "Camden" in page


def test_the_location_page_has_the_link_and_its_qr_code_inline(manager, soho):
    response = signed_in(manager).get(reverse("locations:detail", kwargs={"pk": soho.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{link(soho)}"' in page
    svg = re.search(
        r'<svg role="img" viewBox="0 0 (\d+) \1" class="qr-code"><title>[^<]+</title><path [^>]+/></svg>', page
    )
    assert svg, "an inline SVG QR code"
    assert int(svg.group(1)) >= 29  # a version 2 code or larger, with its quiet zone


def test_the_qr_code_holds_the_link(manager, soho, camden):
    # segno draws what it encodes: the same link gives the same picture, another link another.
    page = signed_in(manager).get(reverse("locations:detail", kwargs={"pk": soho.pk})).content.decode()
    title = "QR code of Soho&#x27;s page to tell us what went wrong"
    assert str(qr_svg(link(soho), title="t")).split("</title>")[1] in page
    assert str(qr_svg(link(camden), title="t")).split("</title>")[1] not in page
    assert str(qr_svg("http://127.0.0.1:8000/report/soho/", title="t")).split("</title>")[1] not in page
    assert title in page or "QR code of Soho" in page


def test_the_print_card_has_the_name_the_words_the_code_and_the_short_link(manager, soho):
    page = signed_in(manager).get(reverse("locations:print", kwargs={"pk": soho.pk})).content.decode()
    assert "Tell us what went wrong" in page and "Soho" in page and 'class="qr-code"' in page
    assert f"127.0.0.1:8000/report/{soho.report_token}</strong>" in page


def test_the_print_card_speaks_the_locations_language_around_the_staff_pages_own(manager, soho):
    soho.language = "fr"
    soho.save(update_fields=["language"])
    page = signed_in(manager).get(reverse("locations:print", kwargs={"pk": soho.pk})).content.decode()
    assert "Dites-nous ce qui n’a pas été" in page and "Tell us what went wrong" not in page
    assert f'ou rendez-vous sur <strong class="text-break">127.0.0.1:8000/report/{soho.report_token}' in page
    assert "Print this page (Ctrl+P)" in page  # the staff's instructions stay in the staff's language


@pytest.mark.parametrize("name", ["locations:detail", "locations:print"])
def test_a_location_elsewhere_is_a_404(manager, camden, name):
    assert signed_in(manager).get(reverse(name, kwargs={"pk": camden.pk})).status_code == 404


def test_frontline_staff_have_no_locations_pages(frontline, soho):
    assert signed_in(frontline).get(reverse("locations:list")).status_code == 403
    assert signed_in(frontline).get(reverse("locations:detail", kwargs={"pk": soho.pk})).status_code == 403


def test_the_user_menu_links_the_locations_for_managers_not_frontline(manager, frontline):
    link = f'href="{reverse("locations:list")}"'
    assert link in signed_in(manager).get(reverse("cases:list") + "?state=active").content.decode()
    assert link not in signed_in(frontline).get(reverse("cases:list") + "?state=active").content.decode()


def test_an_owner_gives_the_page_a_new_link_and_the_old_one_is_a_404(owner, soho, client):
    old = soho.report_token
    page = signed_in(owner).get(reverse("locations:detail", kwargs={"pk": soho.pk})).content.decode()
    assert (
        "every printed card&#x27;s QR code stop working" in page or "every printed card's QR code stop working" in page
    )
    response = signed_in(owner).post(reverse("locations:report_link", kwargs={"pk": soho.pk}))
    assert response.status_code == 302 and response["Location"] == reverse("locations:detail", kwargs={"pk": soho.pk})
    soho.refresh_from_db()
    assert soho.report_token != old and len(soho.report_token) >= 32
    assert client.get(f"/report/{old}/").status_code == 404
    assert client.get(f"/report/{soho.report_token}/").status_code == 200
    page = signed_in(owner).get(reverse("locations:print", kwargs={"pk": soho.pk})).content.decode()
    assert f"127.0.0.1:8000/report/{soho.report_token}</strong>" in page and old not in page


def test_a_manager_is_not_offered_a_new_link_and_is_refused_one(manager, soho):
    page = signed_in(manager).get(reverse("locations:detail", kwargs={"pk": soho.pk})).content.decode()
    assert reverse("locations:report_link", kwargs={"pk": soho.pk}) not in page
    old = soho.report_token
    assert signed_in(manager).post(reverse("locations:report_link", kwargs={"pk": soho.pk})).status_code == 403
    assert Location.objects.get(pk=soho.pk).report_token == old
    assert not Event.objects.filter(kind=Event.Kind.LOCATION_REPORT_LINK_RENEWED).exists()


def test_a_new_link_is_asked_for_by_post_only(owner, soho):
    old = soho.report_token
    assert signed_in(owner).get(reverse("locations:report_link", kwargs={"pk": soho.pk})).status_code == 405
    assert Location.objects.get(pk=soho.pk).report_token == old
