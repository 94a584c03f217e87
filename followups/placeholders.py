"""The {{ placeholders }} of the messages to customers as staff read them: what each one stands
for (shown beside the words they write) and the complaint about one the messages do not know.

Staff's words, kept out of followups/messages.py: everything marked for translation there is
what customers read, and is translated into every language customers read us in.
"""

from django.utils.translation import gettext_lazy as _

PLACEHOLDERS = {
    "first_name": _("the customer's first name"),
    "reference": _("the case reference (SR-000123)"),
    "incident_date": _("the day it happened"),
    "business": _("the location's name"),
    "signature": _("the location's name and how customers reach it (its contact line)"),
    "details": _("what staff wrote: what we did, or what we changed"),
    "link": _("the customer's own link to their case"),
}
UNKNOWN_PLACEHOLDER = _("Unknown placeholder %(placeholder)s: use one of %(known)s.")
