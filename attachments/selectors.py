"""Reading attachments: always through the case, scoped to the reader's locations."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from cases.models import Case
from cases.selectors import cases_visible_to

from .models import Attachment


def attachments_of(case: Case) -> QuerySet[Attachment]:
    """A case's files, oldest first (the case was read through cases_visible_to already)."""
    return case.attachments.select_related("uploaded_by").order_by("created_at", "id")


def attachment_get(user: User, case_pk: int, attachment_id: int) -> Attachment:
    """One file of a case the user may see; 404 for a case elsewhere, as for the case itself."""
    case = get_object_or_404(cases_visible_to(user).only("pk", "location_id"), pk=case_pk)
    return get_object_or_404(Attachment.objects.filter(case=case), pk=attachment_id)
