from django.contrib import admin
from django.urls import include, path

from accounts.views import PasswordResetView, SignInView
from core.views import BareView, FaviconView, HealthView, HomeView, NotificationsReadView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("cases/", include("cases.urls")),
    path("customers/", include("customers.urls")),
    path("recovery/", include("recovery.urls")),
    path("followups/", include("followups.urls")),
    path("corrective/", include("corrective.urls")),
    path("dashboard/", include("dashboard.urls")),
    # The customer's own pages: a signed link, no login.
    path("c/", include("portal.urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/read/", NotificationsReadView.as_view(), name="notifications_read"),
    path("admin/", admin.site.urls),
    # The framework floor for the benchmark: a page that does nothing of ours.
    path("_bare/", BareView.as_view(), name="bare"),
    path("health/", HealthView.as_view(), name="health"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]
