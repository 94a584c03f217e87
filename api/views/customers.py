"""Customers over the API: find one by email or phone, record one, correct one. Only customers
the token may see (cases.selectors: at their home location or wherever they have a case)."""

from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.models import Location
from accounts.roles import locations_of
from cases.forms import UNKNOWN_LOCATION
from cases.selectors import customer_find, customer_get, customers_visible_to
from core.exceptions import ApplicationError
from customers.forms import CustomerForm
from customers.models import Customer
from customers.services import customer_create, customer_update
from privacy.selectors import customer_for_privacy
from privacy.services import customer_anonymise, customer_export

from ..serializers import CustomerCreateIn, CustomerExportOut, CustomerIn, CustomerOut, CustomerQuery
from .base import ApiView, check_form, refused_as

VIEW = ("customers.view_customer",)
ADD = ("customers.view_customer", "customers.add_customer")
CHANGE = ("customers.view_customer", "customers.change_customer")
EXPORT = ("customers.view_customer", "customers.export_customer")
ERASE = ("customers.view_customer", "customers.erase_customer")


def _as_form_data(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    values.pop("home_location", None)
    for name in ("email", "phone", "notes", "language"):
        values.setdefault(name, "")
    if values.get("yearly_value") is None:
        values["yearly_value"] = ""
    if values.get("customer_since") is None:
        values["customer_since"] = ""
    return values


class CustomerListView(ApiView):
    permissions = {"GET": VIEW, "POST": ADD}

    @extend_schema(operation_id="customers_list", parameters=[CustomerQuery], responses=CustomerOut(many=True))
    def get(self, request):
        """Find a customer by email or phone (either, however typed); with neither, every customer
        this token may see, by name."""
        query = self.validated(CustomerQuery, request.query_params)
        if query.get("email") or query.get("phone"):
            customers = customer_find(self.actor, email=query.get("email", ""), phone=query.get("phone", ""))
        else:
            customers = customers_visible_to(self.actor).select_related("home_location")
        page = self.paginate_queryset(customers.order_by("name", "id"))
        return self.get_paginated_response(CustomerOut(page, many=True).data)

    @extend_schema(operation_id="customers_create", request=CustomerCreateIn, responses={201: CustomerOut})
    def post(self, request):
        """Record a new customer (refused if their email or phone is already on file: the message names them)."""
        return self.create(self._create)

    def _create(self) -> Response:
        data = self.validated(CustomerCreateIn, self.request.data)
        location = self._home_location(data.get("home_location"))
        form = CustomerForm(data=_as_form_data(data))
        form.location = location  # phone numbers are read in its region, as on the page
        check_form(form)
        try:
            customer = customer_create(details=form.details(), home_location_id=location.pk, actor=self.actor)
        except ApplicationError as error:
            raise refused_as(error, lambda name: name) from error
        url = reverse("api:customer", kwargs={"pk": customer.pk})
        body = CustomerOut(customer_get(self.actor, customer.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})

    def _home_location(self, location_id: int | None) -> Location:
        if location_id is None and self.token.location_id is not None:
            location_id = self.token.location_id
        location = locations_of(self.actor, active_only=True).filter(pk=location_id).first() if location_id else None
        if location is None:
            raise ApplicationError(UNKNOWN_LOCATION, field="home_location")
        return location


class CustomerDetailView(ApiView):
    permissions = {"GET": VIEW, "PATCH": CHANGE}

    @extend_schema(operation_id="customers_retrieve", responses=CustomerOut)
    def get(self, request, pk: int):
        return Response(CustomerOut(customer_get(self.actor, pk)).data)

    @extend_schema(operation_id="customers_update", request=CustomerIn(partial=True), responses=CustomerOut)
    def patch(self, request, pk: int):
        """Correct a customer's details: the fields sent change, the others stay."""
        customer = customer_get(self.actor, pk)
        data = self.validated(CustomerIn, request.data, partial=True)
        current = model_to_dict(customer, fields=CustomerForm.FIELDS)
        form = CustomerForm(data=_as_form_data({**current, **data}), instance=customer)
        check_form(form)
        try:
            customer_update(customer=customer, details=form.details())
        except ApplicationError as error:
            raise refused_as(error, lambda name: name) from error
        return Response(CustomerOut(customer_get(self.actor, pk)).data)


class CustomerExportView(ApiView):
    permissions = {"GET": EXPORT}

    @extend_schema(operation_id="customers_export", responses=CustomerExportOut)
    def get(self, request, pk: int):
        """Everything Amends holds about the customer, as one JSON document (docs/privacy.md): for a
        request to see one's data. Owners only, with a token that sees every location; each export
        goes on the audit log (who, when, which customer). The files are in the page's zip."""
        customer = customer_for_privacy(self.actor, pk)
        return Response(customer_export(customer=customer, actor=self.actor, form="json").data)


class CustomerEraseView(ApiView):
    permissions = {"POST": ERASE}

    @extend_schema(operation_id="customers_erase", request=None, responses=CustomerOut)
    def post(self, request, pk: int):
        """Erase the customer's personal data at their request (cannot be undone): their details,
        the words written by or about them, their files and emails. Their cases stay, with the
        figures the dashboards count. Sending it again changes nothing and answers the same."""
        customer = customer_for_privacy(self.actor, pk)
        return self.create(lambda: self._erase(customer))

    def _erase(self, customer: Customer) -> Response:
        customer_anonymise(customer=customer, actor=self.actor)
        return Response(CustomerOut(customer_get(self.actor, customer.pk)).data)
