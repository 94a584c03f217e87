from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.views import PasswordResetView, SignInView
from core.views import FaviconView
from desk.views.home import HealthView, HomeView, LivenessView, NotificationsReadView
from desk.views.metrics import MetricsView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("cases/", include("desk.urls.cases")),
    path("customers/", include("desk.urls.customers")),
    path("recovery/", include("recovery.urls")),
    path("followups/", include("desk.urls.followups")),
    path("corrective/", include("desk.urls.corrective")),
    path("replies/", include("conversations.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("audit/", include("cases.audit_urls")),
    # The public API (token authentication, no session): its schema, docs and /api/v1/.
    path("api/", include("api.urls")),
    # The pages where staff keep their API tokens and owners their locations' integration tokens.
    path("tokens/", include("api.page_urls")),
    path("locations/", include("desk.urls.locations")),
    path("inbox/", include("inbox.urls")),
    path("webhooks/", include("webhooks.urls")),
    # A mail provider posts the customers' email here (signed; no login).
    path("inbound/", include("inbox.inbound_urls")),
    # The customer's own pages: a signed link, no login.
    path("c/", include("portal.urls")),
    # A location's public page where customers report a problem (a link or a QR code), no login.
    path("report/", include("portal.report_urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/read/", NotificationsReadView.as_view(), name="notifications_read"),
    path("admin/", admin.site.urls),
    # The readiness check; /health/ is its first address, kept for the monitors that use it.
    path("health/", HealthView.as_view(), name="health"),
    path("health/ready/", HealthView.as_view(), name="health_ready"),
    path("health/live/", LivenessView.as_view(), name="health_live"),
    # For Prometheus: a token, or loopback where allowed (desk/views/metrics.py). No slash: its default path.
    path("metrics", MetricsView.as_view(), name="metrics"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]

if settings.AMENDS_BENCH:  # `make bench` and the tests: the benchmark's floor view
    urlpatterns.append(path("", include("bench.urls")))
