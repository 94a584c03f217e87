"""Reading saved replies and a case's messages, scoped by location."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import translation

from accounts.models import User
from accounts.roles import location_ids_of
from cases.models import Case
from followups.messages import Composed, Wording, compose
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import customer_channel, staff_message_compose
from followups.wording import sample_values

from .models import SavedReply
from .services import may_keep


def saved_replies_visible_to(user: User) -> QuerySet[SavedReply]:
    """The replies someone may read: owners all; others those of every location and of theirs."""
    replies = SavedReply.objects.select_related("location", "updated_by")
    location_ids = location_ids_of(user)
    if location_ids is None:
        return replies
    return replies.filter(Q(location__isnull=True) | Q(location_id__in=location_ids))


@dataclass(frozen=True)
class SavedReplyRow:
    reply: SavedReply
    can_edit: bool


def saved_reply_rows(user: User) -> list[SavedReplyRow]:
    """The saved replies page: active ones first, each with whether this person may change it."""
    replies = saved_replies_visible_to(user).order_by("-is_active", "title", "id")
    return [SavedReplyRow(reply, may_keep(user, reply.location_id)) for reply in replies]


def saved_replies_for_case(case: Case) -> list[SavedReply]:
    """What staff may start a message on this case from: active, for every location or the
    case's, and written in the language the customer reads."""
    return list(
        SavedReply.objects.filter(
            Q(location__isnull=True) | Q(location_id=case.location_id),
            is_active=True,
            language=case.customer.language,
        ).order_by("title", "id")
    )


def saved_reply_preview(subject: str, body: str, language: str | None = None) -> Composed:
    """A saved reply as a customer who reads `language` would read it, with an example
    customer's details (the date in that language)."""
    with translation.override(language or translation.get_language()):
        return compose(Wording(subject, body), sample_values(Purpose.STAFF_MESSAGE, language))


def message_preview(case: Case, subject: str, body: str) -> Composed:
    """Exactly what this case's customer will read (what message_send stores and sends)."""
    return staff_message_compose(case=case, subject=subject, body=body)


def message_followups(followups: list[FollowUp]) -> dict[int, FollowUp]:
    """Of a case's follow-ups (the page reads them all for its follow-ups panel), those that
    carry the messages staff wrote, by id: the timeline shows each one's delivery state."""
    return {row.pk: row for row in followups if row.purpose == Purpose.STAFF_MESSAGE.value}


def default_channel(case: Case) -> str:
    """The channel the composer starts on: the customer's preferred one where it can carry a message."""
    return customer_channel(case.customer) or FollowUp.Channel.EMAIL.value


def reply_for_case(case: Case, reply_id: int | None) -> SavedReply | None:
    """The saved reply of that id if it is offered on this case, else None."""
    if reply_id is None:
        return None
    return next((reply for reply in saved_replies_for_case(case) if reply.pk == reply_id), None)
