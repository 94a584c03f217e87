from django.urls import path

from . import views

app_name = "followups"

urlpatterns = [
    path("", views.FollowUpListView.as_view(), name="list"),
    path("cases/<int:pk>/", views.CaseFollowUpView.as_view(), name="case"),
    path("messages/", views.MessageTemplateListView.as_view(), name="messages"),
    path("messages/<str:purpose>/", views.MessageTemplateEditView.as_view(), name="message_edit"),
]
