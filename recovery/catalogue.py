"""The remedy catalogue to and from the JSON a policy version keeps (no Django import)."""

from decimal import Decimal
from typing import Any

from .policy import DEFAULT_CATALOGUE, RemedyKind, RemedyType, Role


def catalogue_to_json(catalogue: dict[RemedyKind, RemedyType]) -> dict[str, Any]:
    return {
        kind.value: {
            "enabled": entry.enabled,
            "cost_ratio": str(entry.cost_ratio),
            "is_money": entry.is_money,
            "granted_by": entry.granted_by.value,
        }
        for kind, entry in catalogue.items()
    }


def catalogue_from_json(data: dict[str, Any]) -> dict[RemedyKind, RemedyType]:
    """Kinds missing from the JSON keep the defaults, so an old version still reads."""
    catalogue = dict(DEFAULT_CATALOGUE)
    for value, entry in data.items():
        kind = RemedyKind(value)
        catalogue[kind] = RemedyType(
            kind=kind,
            enabled=bool(entry.get("enabled", True)),
            cost_ratio=Decimal(entry.get("cost_ratio", "1")),
            is_money=bool(entry.get("is_money", True)),
            granted_by=Role(entry.get("granted_by", Role.FRONTLINE.value)),
        )
    return catalogue
