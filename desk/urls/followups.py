from django.urls import path

from followups.urls import urlpatterns as followups_urlpatterns

from ..views.actions import CaseFollowUpView

app_name = "followups"

urlpatterns = [
    path("cases/<int:pk>/", CaseFollowUpView.as_view(), name="case"),
    *followups_urlpatterns,
]
