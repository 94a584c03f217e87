"""What the customer's page shows, as plain values: nothing that names staff, costs
or anyone but the customer's first name. Three queries, whatever the case holds."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import cast

from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.locations import contact_line_of
from accounts.models import Location
from cases.models import Case
from core.money import format_money, format_percent
from customers.models import Customer
from followups.models import FollowUp
from followups.plans import Purpose
from recovery.models import Proposal, ProposalLine

from .models import RATING_CHOICES, SatisfactionResponse
from .status import status_words

# Every remedy in the customer's words (and language): never the staff label, which speaks of
# "the customer" and is not translated.
REMEDY_WORDS = {
    "apology": _("Our sincere apology and an explanation"),
    "manager_call": _("A personal call from the manager"),
    "owner_call": _("A personal call from the owner"),
    "handwritten_card": _("Handwritten card"),
    "full_refund": _("Full refund"),
    "partial_refund": _("Partial refund"),
    "discount": _("Discount on a future purchase"),
    "gift_card": _("Gift card"),
    "free_redo": _("Free redo or replacement"),
    "free_item": _("A free item or gift"),
    "reimbursement": _("Paying back what it cost you"),
    "correction": _("Correcting the overcharge"),
}
# Remedies whose amount means something to the customer; for the others (a card,
# a call, a redo) the amount is what it is worth to us, which is not theirs to read.
SHOWS_AMOUNT = frozenset({"full_refund", "partial_refund", "discount", "gift_card", "correction", "reimbursement"})


class CaseUnavailable(Exception):
    """The case is gone or its customer was anonymised: the page says so and shows nothing."""


@dataclass(frozen=True)
class Remedy:
    what: str
    amount: str  # "£40.00", "15%" or "" (an apology, a call)
    delivered_on: date | None

    @property
    def delivered(self) -> bool:
        return self.delivered_on is not None


@dataclass(frozen=True)
class Change:
    text: str
    told_on: date


@dataclass(frozen=True)
class Answer:
    rating: int
    rating_words: str
    will_return: str
    comment: str
    given_on: date


@dataclass(frozen=True)
class Step:
    name: str
    done: bool
    current: bool


@dataclass(frozen=True)
class CaseStatus:
    case_id: int
    first_name: str
    reference: str
    category: str
    occurred_on: date
    location_name: str
    language: str  # the customer's: the page is shown in it
    contact_line: str  # how to reach the location ("" if neither it nor the settings say)
    status: str
    steps: list[Step]
    remedies_heading: str
    no_remedies: str
    remedies: list[Remedy]
    changes: list[Change]
    rating_due: bool
    answer: Answer | None


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _remedy(line: ProposalLine) -> Remedy:
    amount = ""
    if line.kind in SHOWS_AMOUNT:
        if line.percent:
            amount = format_percent(line.percent)
        elif line.face_value:
            amount = format_money(line.face_value)
    return Remedy(
        what=str(REMEDY_WORDS.get(line.kind) or line.get_kind_display()),
        amount=amount,
        delivered_on=_day(line.delivered_at) if line.delivered_at else None,
    )


def _answer(response: SatisfactionResponse | None) -> Answer | None:
    if response is None:
        return None
    return Answer(
        rating=response.rating,
        rating_words=str(dict(RATING_CHOICES)[response.rating]),
        will_return=str(response.get_will_return_display()),
        comment=response.comment,
        given_on=_day(response.created_at),
    )


def case_status(case_id: int) -> CaseStatus:
    """What the customer's link shows about their case, in the customer's language, or
    CaseUnavailable."""
    case = Case.objects.select_related("customer", "location", "satisfaction").filter(pk=case_id).first()
    if case is None or case.customer.anonymised_at is not None:
        raise CaseUnavailable
    with translation.override(case.customer.language):
        return _case_status(case)


def _case_status(case: Case) -> CaseStatus:
    granted = ProposalLine.objects.filter(
        proposal__case_id=case.pk,
        proposal__state__in=Proposal.GRANTED_STATES,
    ).order_by("proposal__proposed_at", "position", "id")
    sent = (
        FollowUp.objects.filter(
            case_id=case.pk,
            purpose__in=[Purpose.CORRECTIVE_MESSAGE.value, Purpose.SATISFACTION_CHECK.value],
            sent_at__isnull=False,
        )
        .order_by("sent_at", "id")
        .values_list("purpose", "body", "sent_at")
    )
    changes, asked = [], False
    for purpose, body, sent_at in sent:
        if purpose == Purpose.SATISFACTION_CHECK:
            asked = True
        elif body.strip():
            changes.append(Change(text=body.strip(), told_on=_day(cast(datetime, sent_at))))  # filtered: sent
    response = getattr(case, "satisfaction", None)
    lines = list(granted)
    words = status_words(
        state=case.state, granted=len(lines), delivered=sum(line.delivered_at is not None for line in lines)
    )
    last = len(words.steps) - 1
    return CaseStatus(
        case_id=case.pk,
        first_name=case.customer.first_name,
        reference=case.reference,
        category=str(case.get_category_display()),
        occurred_on=_day(case.occurred_at),
        location_name=case.location.name,
        language=case.customer.language,
        contact_line=contact_line_of(case.location),
        status=gettext(words.sentence),
        # The last step reached is done, not under way: nothing is left to do.
        steps=[
            Step(gettext(name), index < words.current or index == words.current == last, index == words.current)
            for index, name in enumerate(words.steps)
        ],
        remedies_heading=gettext(words.remedies_heading),
        no_remedies=gettext(words.no_remedies) if words.no_remedies else "",
        remedies=[_remedy(line) for line in lines],
        changes=changes,
        rating_due=asked and response is None,
        answer=_answer(response),
    )


def refused_contact(case_id: int | None) -> str:
    """How someone whose link no longer works reaches the business: the contact line of the
    location of the case their link named, where that is known, else AMENDS_CONTACT_LINE;
    "" if neither says (the page then asks them to reply to our message)."""
    location = Location.objects.filter(cases__pk=case_id).first() if case_id is not None else None
    return contact_line_of(location)


def customer_language(case_id: int | None) -> str | None:
    """The language of the customer of this case (kept after they were anonymised: their
    refused link still reads in it); None if there is no such case."""
    if case_id is None:
        return None
    return Customer.objects.filter(cases__pk=case_id).values_list("language", flat=True).first()


def case_for_answer(case_id: int) -> Case:
    """The case an answer is for, with what recording it reads, or CaseUnavailable."""
    case = Case.objects.select_related("customer", "location", "assignee").filter(pk=case_id).first()
    if case is None or case.customer.anonymised_at is not None:
        raise CaseUnavailable
    return case


def reporting_location(token: str) -> Location:
    """The location whose public report page this is, by its report token; 404 for an unknown
    token, one an owner has since replaced, or a closed location."""
    return get_object_or_404(Location.objects.filter(is_active=True), report_token=token)


def reported_case(case_id: int) -> Case:
    """The case a report just made, for its acknowledgement page (which shows nothing personal)."""
    return get_object_or_404(Case.objects.select_related("location", "customer"), pk=case_id)
