"""Editing a location's working time: its week of opening hours is checked as a whole."""

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from core.translatable import translate_filled

from .models import OpeningHours, minutes_of
from .working_time import DAY_MESSAGES, Interval, check_day


class OpeningHoursFormSet(forms.BaseInlineFormSet):
    """A location's opening hours, all rows together: no two of the same day may overlap
    (each row checks its own closing time after its opening, OpeningHours.clean)."""

    def clean(self) -> None:
        super().clean()
        days: dict[int, list[Interval]] = defaultdict(list)
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            opens, closes, weekday = data.get("opens"), data.get("closes"), data.get("weekday")
            if opens is None or closes is None or weekday is None:
                continue
            days[weekday].append(minutes_of(opens, closes))
        errors = []
        for weekday, intervals in sorted(days.items()):
            try:
                check_day(intervals)
            except ValueError as error:
                errors.append(
                    f"{OpeningHours.Weekday(weekday).label}: {translate_filled(str(error), DAY_MESSAGES, gettext)}"
                )
        if errors:
            raise ValidationError(errors)
