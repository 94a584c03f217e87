from django.urls import path

from . import views

app_name = "inbound"

# Mailgun posts raw MIME only to a URL ending in "mime"; /inbound/email/ takes the same POST.
urlpatterns = [
    path("email/", views.InboundEmailView.as_view(), name="email"),
    path("email/mime", views.InboundEmailView.as_view(), name="email_mime"),
]
