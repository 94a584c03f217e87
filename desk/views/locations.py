"""The locations' pages for their owners and managers: each location's details and the link
and QR code of its public report page (portal's /report/<report token>/), with a card to print;
owners give a location's page a new link."""

from django.contrib import messages
from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.locations import contact_line_of, phone_region_of, sender_of
from accounts.roles import Role, locations_of, role_of
from core.exceptions import ApplicationError
from core.links import absolute_url
from portal.services import report_link_renew

from ..qr import qr_svg, short_link

RUNS_LOCATIONS = frozenset({Role.MANAGER, Role.OWNER})


def report_url(location) -> str:
    """The absolute link customers reach the location's report page by (AMENDS_PUBLIC_URL): its
    random report token, not its code, so no one reaches it by guessing."""
    return absolute_url(reverse("report:form", kwargs={"token": location.report_token}))


class LocationsPage(UserPassesTestMixin, TemplateView):
    """Owners (every location) and managers (theirs); frontline staff are refused."""

    request: AuthenticatedHttpRequest
    raise_exception = True

    def test_func(self) -> bool:
        role = role_of(self.request.user)
        return role is not None and role in RUNS_LOCATIONS


class LocationListView(LocationsPage):
    template_name = "locations/location_list.html"

    def get_context_data(self, **kwargs):
        locations = locations_of(self.request.user).order_by("-is_active", "name")
        rows = [(location, report_url(location)) for location in locations]
        return super().get_context_data(rows=rows, **kwargs)


class LocationDetailView(LocationsPage):
    template_name = "locations/location_detail.html"

    def get_context_data(self, **kwargs):
        location = get_object_or_404(locations_of(self.request.user), pk=self.kwargs["pk"])
        url = report_url(location)
        return super().get_context_data(
            location=location,
            report_url=url,
            short_link=short_link(url),
            qr=qr_svg(
                url, title=gettext("QR code of %(name)s's page to tell us what went wrong") % {"name": location.name}
            ),
            sender=sender_of(location),
            contact_line=contact_line_of(location),
            phone_region=phone_region_of(location),
            **kwargs,
        )


class LocationPrintView(LocationDetailView):
    """A card to print and put on the counter: the name, the words, the QR code, the short link."""

    template_name = "locations/location_print.html"


class LocationReportLinkView(LocationsPage, View):
    """An owner gives the location's report page a new link (the page asked them to confirm
    that the old link and its printed QR codes stop working); the service decides who may."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        location = get_object_or_404(locations_of(request.user), pk=pk)
        try:
            report_link_renew(location=location, actor=request.user)
        except ApplicationError as error:
            raise PermissionDenied(error.message) from error
        messages.success(
            request,
            gettext("The report page has a new link: print the new card. The old link and QR code no longer work."),
        )
        return redirect("locations:detail", pk=location.pk)
