"""Reading saved replies and a case's messages, scoped by location; what the case page's
composer shows."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.forms import Form
from django.utils import translation

from accounts.models import User
from accounts.roles import location_ids_of
from cases.models import Case
from core.i18n import StrOrPromise
from followups.messages import Composed, Wording, compose
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import customer_channel, staff_message_compose
from followups.wording import sample_values

from .forms import STAFF_PLACEHOLDERS
from .keepers import may_keep
from .models import SavedReply


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


def _offered_on(case: Case) -> QuerySet[SavedReply]:
    # The one statement of which replies a case offers: the composer's list, the reply it
    # fills in, and message_send's refusal all read it.
    return SavedReply.objects.filter(
        Q(location__isnull=True) | Q(location_id=case.location_id),
        is_active=True,
        language=case.customer.language,
    )


def saved_replies_for_case(case: Case) -> list[SavedReply]:
    """What staff may start a message on this case from: active, for every location or the
    case's, and written in the language the customer reads."""
    return list(_offered_on(case).order_by("title", "id"))


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
    return _offered_on(case).filter(pk=reply_id).first()


@dataclass(frozen=True)
class ComposerPanel:
    """What the case page's "Write to the customer" panel shows (`composer` in its context): the
    message form (fresh, or as it was sent back), the saved replies offered on the case, the
    placeholders staff may use; after a preview, what the customer will read and its
    fingerprint (Send goes only with it); a note above the form; `open` when the page answers
    the composer (the panel is unfolded)."""

    form: Form
    replies: list[SavedReply]
    placeholders: Mapping[str, StrOrPromise]
    preview: Composed | None = None
    fingerprint: str = ""
    note: str = ""
    open: bool = False


def composer_panel(
    case: Case,
    form: Form,
    *,
    preview: Composed | None = None,
    fingerprint: str = "",
    note: str = "",
    open: bool = False,
) -> ComposerPanel:
    """The composer for this case with `form`, offering the case's saved replies."""
    return ComposerPanel(
        form=form,
        replies=saved_replies_for_case(case),
        placeholders=STAFF_PLACEHOLDERS,
        preview=preview,
        fingerprint=fingerprint,
        note=note,
        open=open,
    )
