"""Roll-ups: the dashboard's figures summed by day (and by month) for each location,
category and severity, so a year of a large business is a few thousand rows to add up.

They are derived data, rebuilt from the cases (dashboard/rollups.py) and never
edited by hand. Their counters are the ones `dashboard.facts` names.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import facts


class Grain(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")


class Rollup(models.Model):
    """What the three roll-ups share: the key. `day` is the local day, or for a month
    row the first day of the month."""

    grain = models.CharField(max_length=5, choices=Grain.choices)
    day = models.DateField()
    # Indexed below, location first, with the day.
    location = models.ForeignKey("accounts.Location", on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.CharField(max_length=30)
    severity = models.CharField(max_length=10)

    class Meta:
        abstract = True
        # A manager's page reads one location's rows: the key (grain, day first) made it
        # wade through every location's rows of each day (remedies: 9.7 ms -> 3 at 1M cases).
        indexes = [models.Index(fields=["location", "grain", "day"], name="%(class)s_location")]

    def __str__(self) -> str:
        return f"{self.grain} {self.day} {self.location_id} {self.category} {self.severity}"


class CaseRollup(Rollup):  # noqa: DJ008 (the key's __str__ is Rollup's)
    class Meta(Rollup.Meta):
        permissions = [("view_dashboard", "Can see the dashboards")]
        constraints = [
            models.UniqueConstraint(fields=["grain", "day", "location", "category", "severity"], name="caserollup_key")
        ]


class RemedyRollup(Rollup):  # noqa: DJ008 (the key's __str__ is Rollup's)
    kind = models.CharField(max_length=20)

    class Meta(Rollup.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "location", "category", "severity", "kind"], name="remedyrollup_key"
            )
        ]


class StaffRollup(Rollup):  # noqa: DJ008 (the key's __str__ is Rollup's)
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta(Rollup.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "location", "category", "severity", "staff"], name="staffrollup_key"
            )
        ]


class CorrectiveRollup(Rollup):  # noqa: DJ008 (the key's __str__ is Rollup's)
    """How many of the cases are linked to each corrective action (the top causes)."""

    action = models.ForeignKey("corrective.CorrectiveAction", on_delete=models.CASCADE, related_name="+")
    cases = models.PositiveIntegerField(default=0)

    class Meta(Rollup.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "location", "category", "severity", "action"], name="correctiverollup_key"
            )
        ]


def _counter(name: str) -> models.Field:
    if name in facts.AMOUNTS or name.endswith(("_face", "_cost")):
        return models.DecimalField(max_digits=14, decimal_places=2, default=0)
    if name.endswith("_seconds"):
        return models.BigIntegerField(default=0)
    return models.PositiveIntegerField(default=0)


# The counters are many and named in one place (facts.FIELDS): the fields are made from
# that list, so a counter added there is a column here (and a migration).
for _model, _names in (
    (CaseRollup, facts.FIELDS),
    (RemedyRollup, facts.REMEDY_FIELDS),
    (StaffRollup, facts.STAFF_FIELDS),
):
    for _name in _names:
        _model.add_to_class(_name, _counter(_name))


class RollupState(models.Model):
    """One row: how far the refresh has read the cases' timelines."""

    scanned_to = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Roll-ups up to {self.scanned_to}"
