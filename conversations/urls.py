from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.SavedReplyListView.as_view(), name="replies"),
    path("new/", views.SavedReplyEditView.as_view(), name="reply_add"),
    path("<int:pk>/", views.SavedReplyEditView.as_view(), name="reply_edit"),
]
