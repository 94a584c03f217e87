"""/tokens/: the pages where staff keep their API tokens and owners their integrations'."""

from django.urls import path

from .views.tokens import IntegrationTokensView, PersonalTokensView, TokenRevokeView

app_name = "tokens"

urlpatterns = [
    path("", PersonalTokensView.as_view(), name="personal"),
    path("integrations/", IntegrationTokensView.as_view(), name="integrations"),
    path("<int:pk>/revoke/", TokenRevokeView.as_view(), name="revoke"),
]
