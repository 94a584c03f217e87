"""Every value the engine reads is in the policy version, on the policy page, and reaches the engine;
a location's own typical customer stands in for an unknown customer there."""

from dataclasses import fields
from decimal import Decimal

import pytest

from recovery.forms import POLICY_FIELDS
from recovery.models import PolicyVersion
from recovery.policy import BOUNDS, DEFAULT_POLICY, Policy, RemedyKind
from recovery.selectors import policy_from_row, suggestions_for
from tests.factories import CaseFactory, CustomerFactory

# Policy values kept as a mapping by severity or role: one column for each key.
BY_KEY = {"gesture": "gesture_{}", "authority": "{}_limit"}


def columns_of(name: str) -> list[str]:
    value = getattr(DEFAULT_POLICY, name)
    if name in BY_KEY:
        return [BY_KEY[name].format(getattr(key, "value", key).lower()) for key in value]
    return [name]


@pytest.mark.parametrize("name", [f.name for f in fields(Policy) if f.name != "version"])
def test_every_value_the_engine_reads_is_on_the_policy_page_with_its_limits(name):
    for column in columns_of(name):
        assert column in POLICY_FIELDS, column
        assert column in BOUNDS, column


@pytest.mark.django_db
def test_existing_versions_read_as_the_engine_s_defaults():
    row = PolicyVersion.objects.latest()  # the first version, from the data migration
    assert policy_from_row(row) == Policy(version=row.pk)


@pytest.mark.django_db
def test_every_column_maps_to_the_engine():
    low_or_high = {name: (high if name != "owner_limit" else low) for name, (low, high) in BOUNDS.items()}
    values = {name: low_or_high[name] for name in POLICY_FIELDS if name in BOUNDS}
    values["manager_limit"] = values["frontline_limit"]  # the database keeps them ordered
    row = PolicyVersion(pk=7, **values)
    policy = policy_from_row(row)
    for f in fields(Policy):
        if f.name == "version":
            assert policy.version == 7
            continue
        mapped = getattr(policy, f.name)
        read = list(mapped.values()) if isinstance(mapped, dict) else [mapped]
        assert read == [values[column] for column in columns_of(f.name)], f.name
        assert read != [getattr(DEFAULT_POLICY, f.name)], f.name


@pytest.mark.parametrize(("own", "called"), [(None, False), (Decimal(5000), True), (Decimal(100), False)])
def test_an_unknown_customer_counts_as_the_location_s_typical_one(soho, frontline, own, called):
    soho.typical_yearly_value = own
    soho.save(update_fields=["typical_yearly_value"])
    customer = CustomerFactory(home_location=soho, yearly_value=None)
    case = CaseFactory(location=soho, customer=customer, created_by=frontline, severity="minor", order_value=20)
    kinds = {line.kind for line in suggestions_for(case, frontline)[0].lines}
    # From £2,000 a year (the policy's high value), the manager calls: a location of big spenders says so.
    assert (RemedyKind.MANAGER_CALL in kinds) is called


def test_a_known_customer_is_weighed_by_their_own_value_not_the_location_s(soho, frontline):
    soho.typical_yearly_value = Decimal(5000)
    soho.save(update_fields=["typical_yearly_value"])
    customer = CustomerFactory(home_location=soho, yearly_value=Decimal(100))
    case = CaseFactory(location=soho, customer=customer, created_by=frontline, severity="minor", order_value=20)
    assert RemedyKind.MANAGER_CALL not in {line.kind for line in suggestions_for(case, frontline)[0].lines}
