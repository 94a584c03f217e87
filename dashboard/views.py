"""The dashboard page and its CSV. The view reads the filters, asks the selectors, and
hands the figures to the page (dashboard/pages.py lays them out as charts and links)."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import Role, role_of
from core.csv_export import csv_response
from recovery.selectors import approval_queue

from .export import csv_header, dashboard_csv_rows
from .forms import PRESETS, DashboardForm
from .pages import dashboard_page
from .selectors import dashboard_figures, scope_for
from .what_works import what_works


def _scope(request: AuthenticatedHttpRequest, form: DashboardForm):
    chosen = form.chosen()
    scope = scope_for(
        request.user,
        start=chosen["start"],
        end=chosen["end"],
        location=chosen.get("location"),
        category=chosen.get("category") or "",
        severity=chosen.get("severity") or "",
    )
    return chosen, scope


class DashboardView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    permission_required = "dashboard.view_dashboard"
    template_name = "dashboard/dashboard.html"
    query_form = DashboardForm

    def get(self, request, *args, **kwargs):
        form = self.query_form(request.GET or None, user=request.user, today=timezone.localdate())
        chosen, scope = _scope(request, form)
        figures = dashboard_figures(scope)
        page = dashboard_page(figures)
        if request.GET.get("export") == "csv":
            name = f"dashboard-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.csv"
            return csv_response(name, csv_header(), dashboard_csv_rows(page))
        is_manager = role_of(request.user) is Role.MANAGER
        queue = list(approval_queue(request.user)[:6]) if request.user.has_perm("recovery.decide_proposal") else []
        context = self.get_context_data(
            form=form,
            presets=PRESETS,
            period=chosen["period"],
            page=page,
            figures=figures,
            is_manager=is_manager,
            queue=queue[:5],
            queue_more=len(queue) > 5,
            location=chosen.get("location"),
        )
        return self.render_to_response(context)


class WhatWorksView(PermissionRequiredMixin, TemplateView):
    """Which remedies, amounts and speeds kept customers, over the dashboard's filters:
    owners see the whole business, managers their locations (as on the dashboard)."""

    request: AuthenticatedHttpRequest

    permission_required = "dashboard.view_dashboard"
    template_name = "dashboard/what_works.html"
    query_form = DashboardForm

    def get_context_data(self, **kwargs):
        form = self.query_form(self.request.GET or None, user=self.request.user, today=timezone.localdate())
        chosen, scope = _scope(self.request, form)
        return super().get_context_data(
            form=form,
            presets=PRESETS,
            period=chosen["period"],
            scope=scope,
            location=chosen.get("location"),
            is_manager=role_of(self.request.user) is Role.MANAGER,
            works=what_works(scope),
            **kwargs,
        )
