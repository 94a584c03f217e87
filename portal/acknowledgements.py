"""Telling a customer who reported a problem on the location's page that we have it, and
when they will hear from us: one email, sent after the case commits by a task that may be
retried (every attempt carries the same Message-ID, so a receiver sees one message). Written
in the customer's language, and, as every email to a customer, with the case's signed reply
address and thread id, so that the customer's answer finds its case."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.locations import contact_line_of, sender_of
from cases import events
from cases.events import Kind
from cases.links import customer_link
from cases.models import Case
from cases.reply_tokens import reply_headers
from followups.channels import OutgoingMessage, send_email

ACKNOWLEDGED_NOTE = "The acknowledgement of their report was emailed to the customer."


def reply_by_words(case: Case) -> str:
    """When the customer will hear from us, as they read it in the active language: 'by Friday
    4 December, 14:30' ('avant le vendredi 4 décembre à 14:30')."""
    due = timezone.localtime(case.sla_due_at)
    return _("by %(day)s, %(time)s") % {"day": date_format(due, "l j F"), "time": date_format(due, "H:i")}


def self_report_acknowledgement(case: Case) -> OutgoingMessage:
    """The email for a case the customer reported themselves, to the address on file. It says
    nothing they typed (a public form must not relay someone's words to an address it was given).
    In the customer's language."""
    with translation.override(case.customer.language):
        return _acknowledgement(case)


def _acknowledgement(case: Case) -> OutgoingMessage:
    reply_to, references = reply_headers(case)
    context = {
        "case": case,
        "location": case.location,
        "reply_by": reply_by_words(case),
        "link": customer_link(case.pk),
        "contact_line": contact_line_of(case.location),
    }
    return OutgoingMessage(
        to=case.customer.email,
        subject=_("We have your report (%(reference)s)") % {"reference": case.reference},
        text=render_to_string("portal/email/report_received.txt", context),
        message_id=f"<self-report-{case.pk}@amends>",
        from_email=sender_of(case.location),
        reply_to=reply_to,
        references=references,
    )


def self_report_acknowledge(*, case_id: int) -> bool:
    """Send the acknowledgement and note it on the timeline; False if there is no one to send
    it to (no email on file, or the customer was anonymised meanwhile). Raises OSError if the
    mail server refuses: the task retries."""
    case = Case.objects.select_related("customer", "location").get(pk=case_id)
    if not case.customer.email or case.customer.anonymised_at is not None:
        return False
    send_email(self_report_acknowledgement(case))
    events.record(kind=Kind.CASE_NOTE_ADDED, case=case, note=ACKNOWLEDGED_NOTE, payload=events.Empty())
    return True
