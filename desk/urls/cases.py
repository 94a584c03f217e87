from django.urls import path

from attachments.urls import urlpatterns as attachments_urlpatterns
from cases.urls import urlpatterns as cases_urlpatterns

from ..views.cases import CaseDetailView, CaseListView
from ..views.messages import CaseMessageView

app_name = "cases"

urlpatterns = [
    path("", CaseListView.as_view(), name="list"),
    path("<int:pk>/", CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/message/", CaseMessageView.as_view(), name="message"),
    *cases_urlpatterns,
    *attachments_urlpatterns,
]
