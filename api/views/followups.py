"""Follow-ups over the API: a case's, what is due for this token (the follow-up list page's),
and marking one done. Through followups' selectors and service: the same rights (followups/rights.py)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from cases.selectors import case_get
from followups.selectors import followups_for, followups_visible_to
from followups.services import followup_mark_done

from ..serializers_work import FollowUpOut
from .base import ApiView

VIEW = ("cases.view_case", "followups.view_followup")
CHANGE = ("cases.view_case", "followups.view_followup", "followups.change_followup")
SHOWN = ("case", "recipient", "done_by")


class CaseFollowUpListView(ApiView):
    permissions = {"GET": VIEW}

    @extend_schema(operation_id="cases_followups_list", responses=FollowUpOut(many=True))
    def get(self, request, pk: int):
        """The case's follow-ups, planned and past, soonest due first."""
        case = case_get(self.actor, pk)
        page = self.paginate_queryset(case.followups.select_related(*SHOWN).order_by("due_at", "id"))
        return self.get_paginated_response(FollowUpOut(page, many=True).data)


class FollowUpListView(ApiView):
    permissions = {"GET": VIEW}

    @extend_schema(operation_id="followups_list", responses=FollowUpOut(many=True))
    def get(self, request):
        """What is planned for this token's person, soonest due first: their reminders to come or
        sent and not yet done, and for managers the escalations to their locations (the
        follow-up list page's)."""
        page = self.paginate_queryset(followups_for(self.actor).select_related(*SHOWN))
        return self.get_paginated_response(FollowUpOut(page, many=True).data)


class FollowUpDoneView(ApiView):
    permissions = {"POST": CHANGE}

    @extend_schema(operation_id="followups_done", request=None, responses=FollowUpOut)
    def post(self, request, pk: int):
        """Say a reminder (or, for managers, an escalation) has been dealt with. Messages to
        the customer are sent, not done."""
        followup = get_object_or_404(followups_visible_to(self.actor), pk=pk)
        return self.create(lambda: self._done(followup.pk))

    def _done(self, pk: int) -> Response:
        followup = followup_mark_done(followup=followups_visible_to(self.actor).get(pk=pk), actor=self.actor)
        return Response(FollowUpOut(followups_visible_to(self.actor).select_related(*SHOWN).get(pk=followup.pk)).data)
