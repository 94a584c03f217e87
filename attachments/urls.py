from django.urls import path

from . import views

# Mounted by desk/urls/cases.py in the cases namespace, under the case: /cases/<pk>/files/<id>/.
urlpatterns = [
    path("<int:pk>/files/<int:attachment_id>/", views.AttachmentFileView.as_view(), name="attachment"),
    path(
        "<int:pk>/files/<int:attachment_id>/thumbnail/",
        views.AttachmentFileView.as_view(thumbnail=True),
        name="attachment_thumbnail",
    ),
]
