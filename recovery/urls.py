from django.urls import path

from . import views, views_replay

app_name = "recovery"

urlpatterns = [
    path("approvals/", views.ApprovalQueueView.as_view(), name="queue"),
    path("proposals/<int:pk>/", views.ProposalView.as_view(), name="proposal"),
    path("budget/", views.BudgetView.as_view(), name="budget"),
    path("policy/", views.PolicyView.as_view(), name="policy"),
    path("policy/replays/<int:pk>/", views_replay.PolicyReplayView.as_view(), name="replay"),
    path("cases/<int:pk>/take/", views.TakeSuggestionView.as_view(), name="take"),
    path("cases/<int:pk>/propose/", views.ProposalEditView.as_view(), name="propose"),
    path("cases/<int:pk>/deliver/", views.DeliverView.as_view(), name="deliver"),
    path("cases/<int:pk>/overcharge/", views.OverchargeView.as_view(), name="overcharge"),
]
