"""The dashboard's filters: a period (a preset or two dates), a location, a category, a severity."""

from datetime import date, timedelta
from typing import cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from accounts.roles import location_ids_of
from cases.models import SEVERITY_CHOICES, Category
from core import forms as core_forms

# Longer ranges are for the CSV of cases; three years on one page says nothing more.
MAX_DAYS = 3 * 366
DEFAULT_PRESET = "30"
PRESETS = {"7": _("7 days"), "30": _("30 days"), "90": _("90 days"), "365": _("12 months"), "year": _("This year")}
END_BEFORE_START = _("The end comes before the start.")
TOO_LONG = _("Choose at most three years.")


def preset_range(preset: str, today: date) -> tuple[date, date]:
    if preset == "year":
        return today.replace(month=1, day=1), today
    return today - timedelta(days=int(preset) - 1), today


class DashboardForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=[("", _("Dates")), *PRESETS.items()], required=False)
    start = core_forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = core_forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    location = core_forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", _("All severities")), *SEVERITY_CHOICES], required=False
    )

    def __init__(self, *args, user, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        ids = location_ids_of(user)
        locations = Location.objects.order_by("name")
        field = cast(forms.ModelChoiceField, self.fields["location"])
        field.queryset = locations if ids is None else locations.filter(pk__in=ids)
        field.empty_label = gettext("All locations") if ids is None else gettext("All my locations")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if data.get("period") or not (start or end):
            data["period"] = data.get("period") or DEFAULT_PRESET
            data["start"], data["end"] = preset_range(data["period"], self.today)
            return data
        start, end = start or end, end or start
        assert start is not None and end is not None  # one of them was given (above)
        if end < start:
            self.add_error("end", END_BEFORE_START)
        elif (end - start).days >= MAX_DAYS:
            self.add_error("start", TOO_LONG)
        data["start"], data["end"] = start, end
        return data

    def chosen(self) -> dict:
        """The filters to show: what was asked for, or the default where the form refused it."""
        if self.is_valid():
            return self.cleaned_data
        start, end = preset_range(DEFAULT_PRESET, self.today)
        return {"period": DEFAULT_PRESET, "start": start, "end": end, "location": None, "category": "", "severity": ""}
