"""The API's shapes for the house's values: money as a string with its currency, times in ISO 8601
with their offset (a time without one is refused: it would be read in a clock the client never
named), ids in range, and a related row as {id, name}."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

MAX_ID = 2**63 - 1
NO_OFFSET = _("Give the time with its offset, e.g. 2026-12-03T14:30:00+00:00.")
OTHER_CURRENCY = _("Amounts are in {currency}.")
OUT_OF_RANGE = _("Enter a time within the years Amends reckons with.")


class Id(serializers.IntegerField):
    """A row's id: a whole number a database can hold (a larger one is a 422, not a crash)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class AwareDateTime(serializers.DateTimeField):
    """ISO 8601 with an offset, both ways."""

    def to_internal_value(self, value):
        if isinstance(value, str):
            try:
                parsed = parse_datetime(value.strip())
            except ValueError:
                parsed = None  # a time out of range: the parent field says so
            if parsed is not None and timezone.is_naive(parsed):
                raise serializers.ValidationError(NO_OFFSET)
        try:
            return super().to_internal_value(value)
        except OverflowError as error:  # the calendar's ends, once moved to UTC
            raise serializers.ValidationError(OUT_OF_RANGE) from error

    def to_representation(self, value):
        return value.isoformat() if value is not None else None


class MoneySerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal(0))
    currency = serializers.CharField(max_length=3, required=False)


@extend_schema_field(
    {
        "type": "object",
        "required": ["amount", "currency"],
        "properties": {
            "amount": {"type": "string", "pattern": r"^-?\d+\.\d{2}$", "examples": ["12.50"]},
            "currency": {"type": "string", "examples": ["GBP"], "description": "ISO 4217 (AMENDS_CURRENCY)."},
        },
    }
)
class Money(serializers.Field):
    """{"amount": "12.50", "currency": "GBP"}: a string, never a float, and the currency named.
    Given without `currency` it is taken to be the business's (settings.AMENDS_CURRENCY)."""

    def to_representation(self, value):
        return {"amount": f"{Decimal(value):.2f}", "currency": settings.AMENDS_CURRENCY}

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            data = {"amount": data}
        money = MoneySerializer(data=data)
        money.is_valid(raise_exception=True)
        currency = money.validated_data.get("currency", settings.AMENDS_CURRENCY)
        if currency.upper() != settings.AMENDS_CURRENCY:
            raise serializers.ValidationError(OTHER_CURRENCY.format(currency=settings.AMENDS_CURRENCY))
        return money.validated_data["amount"]


class Named(serializers.Serializer):
    """A related row as the API shows it: its id and what a person calls it."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, obj) -> str:
        return str(obj)


class LocationRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)


class ActorRef(Named):
    is_integration = serializers.BooleanField(read_only=True)


def blank_or(choices, help_text) -> serializers.ChoiceField:
    """A read-only choice that may be empty: a model's `blank=True` choice field. Said here
    because a ModelSerializer's read-only field loses `allow_blank`, and the schema would
    otherwise forbid the empty string the API sends."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True, help_text=help_text)


def given() -> serializers.CharField:
    """A typed filter of a list's query that, if given, has a value: an empty one is a 422 (the
    pages' filters read a form, where an empty field is one left out; the schema types it)."""
    return serializers.CharField(required=False)
