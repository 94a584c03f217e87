"""The case list's filter with the dashboard's links: the cases behind a figure. The figures span
recovery, follow-ups, corrective actions and the customer's answers, so the conditions behind them
(dashboard/case_sets.py, dashboard/outcome_sets.py) stay with the dashboard that counts them, and
the list that shows their cases adds them here, on the top floor."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.filters import CaseFilter, hidden_choice
from dashboard import outcome_sets
from dashboard.case_sets import CASE_SET_CHOICES, case_set_q


class CaseListFilter(CaseFilter):
    """The case list's filter, with the figures the dashboards link from."""

    # The cases behind a figure of the dashboard, which links here. Not a choice on the form (some
    # fifty codes nobody picks by hand): it arrives in the dashboard's link, is kept while other
    # filters change, and the page names it in a banner with a way to clear it.
    figure = hidden_choice(_("Dashboard figure"), CASE_SET_CHOICES, "filter_figure")
    # What was given and how fast, as the "What works" page counts them (its figures link here).
    given = hidden_choice(_("Given"), outcome_sets.GIVEN_CHOICES, "filter_given")
    amount = hidden_choice(_("Amount given"), outcome_sets.AMOUNT_CHOICES, "filter_amount")
    contact = hidden_choice(_("First contact"), outcome_sets.CONTACT_CHOICES, "filter_contact")

    def filter_figure(self, cases, name, value):
        return cases.filter(case_set_q(value, timezone.now()))

    def filter_given(self, cases, name, value):
        return cases.filter(outcome_sets.given_q(value))

    def filter_amount(self, cases, name, value):
        return outcome_sets.with_compensation(cases).filter(outcome_sets.amount_q(value))

    def filter_contact(self, cases, name, value):
        return cases.filter(outcome_sets.contact_q(value))
