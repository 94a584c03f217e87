"""Cursor paging for every list (keyset, not offset): a page is "the rows after this one" in a
total order that ends with the id, so rows inserted meanwhile never shift a page, nothing is
seen twice or skipped, and page 10,000 costs what page 1 does (an index seek, never a COUNT).

The order is the queryset's own (a list's sort, e.g. newest first: -created_at, -id); the id is
added as the last key if missing. The cursor is opaque to clients: base64 of the last row's
values of those keys. A cursor that is not one of ours is a 400 problem, never a 500.
"""

import base64
import binascii
import json
from collections import OrderedDict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError as BadInput
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param

from core.forms import parse_int

from .problems import BadCursor

BAD_PAGE_SIZE = _("Give a whole number of rows from 1 to %(most)s.")

# The largest id a cursor may name (a bigint): larger is someone's edit, not ours.
MAX_ID = 2**63 - 1


def ordering_of(queryset: QuerySet) -> list[str]:
    """The keys a list is in: its order_by (or its model's ordering), ending with the id."""
    keys = [str(key) for key in (queryset.query.order_by or queryset.model._meta.ordering or ["-id"])]
    if not keys or keys[-1].lstrip("-") not in ("id", "pk"):
        keys.append("-id" if keys and keys[0].startswith("-") else "id")
    return ["-id" if key == "-pk" else "id" if key == "pk" else key for key in keys]


def after_q(keys: list[str], values: list[Any]) -> Q:
    """The rows after `values` in the order `keys`: (a, b, id) > (x, y, z), written out as
    a > x OR (a = x AND b > y) OR ... (each key ascending or descending as it is sorted)."""
    after = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        name = key.lstrip("-")
        after |= equal & Q(**{f"{name}__{'lt' if key.startswith('-') else 'gt'}": value})
        equal &= Q(**{name: value})
    return after


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps([_plain(value) for value in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, queryset: QuerySet, keys: list[str]) -> list[Any]:
    """The values a cursor holds, each checked as its field reads it; BadCursor otherwise."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise BadCursor() from error
    if not isinstance(values, list) or len(values) != len(keys):
        raise BadCursor()
    checked = []
    for key, value in zip(keys, values, strict=True):
        try:
            field = queryset.model._meta.get_field(key.lstrip("-"))
            if value is None or isinstance(value, dict | list | bool):
                raise BadCursor()
            value = field.to_python(value)
        except (FieldDoesNotExist, ValidationError, TypeError, ValueError, OverflowError) as error:
            raise BadCursor() from error
        if isinstance(value, int) and not -MAX_ID <= value <= MAX_ID:
            raise BadCursor()
        checked.append(value)
    return checked


class CursorPagination(BasePagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        keys = ordering_of(queryset)
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor:
            queryset = queryset.filter(after_q(keys, decode_cursor(cursor, queryset, keys)))
        size = self.get_page_size(request)
        rows = list(queryset.order_by(*keys)[: size + 1])
        self.request = request
        self.next_cursor = None
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            self.next_cursor = encode_cursor([getattr(last, key.lstrip("-")) for key in keys])
        return rows

    def get_page_size(self, request) -> int:
        """The page size asked for (left out: the setting's); anything but a whole number from
        1 to the most is a 422 problem naming `page_size`, as the schema says."""
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size_setting()
        asked = parse_int(text)
        if asked is not None and 1 <= asked <= self.max_page_size:
            return asked
        raise BadInput({self.page_size_query_param: [BAD_PAGE_SIZE % {"most": self.max_page_size}]})

    @staticmethod
    def page_size_setting() -> int:
        return int(api_settings.PAGE_SIZE or 50)

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data) -> Response:
        return Response(OrderedDict([("next", self.get_next_link()), ("results", data)]))

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": ["string", "null"],
                    "format": "uri",
                    "description": "The next page (its `cursor`), or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: the `cursor` of the previous page's `next` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Rows a page (1 to {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
