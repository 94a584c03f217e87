from django.urls import path

from corrective.urls import urlpatterns as corrective_urlpatterns

from ..views.actions import CaseLinkView

app_name = "corrective"

urlpatterns = [
    path("cases/<int:pk>/link/", CaseLinkView.as_view(), name="link_case"),
    *corrective_urlpatterns,
]
