from django.urls import path

from . import views

# Mounted by desk/urls/followups.py, which adds the top floor's pages to this namespace.
app_name = "followups"

urlpatterns = [
    path("", views.FollowUpListView.as_view(), name="list"),
    path("messages/", views.MessageTemplateListView.as_view(), name="messages"),
    path("messages/<str:purpose>/", views.MessageTemplateEditView.as_view(), name="message_edit"),
]
