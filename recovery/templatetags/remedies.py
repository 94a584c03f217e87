from django import template
from django.utils.translation import gettext

from accounts.role import A_ROLE, Role
from core.money import format_money
from recovery.totals import totals_words

register = template.Library()


@register.filter
def remedy_totals(remedy) -> str:
    """What a suggestion or proposal adds up to, in the words the timeline uses too (translated)."""
    return totals_words(remedy.totals, format_money, gettext)


@register.filter
def a_role(role) -> str:
    """{{ proposal.approver_role|a_role }}: "a manager", in the page's language (a Role or its
    value; nothing for none: a proposal nobody needed to approve)."""
    return gettext(A_ROLE[Role(role)]) if role else ""


@register.filter
def evidence_heading(evidence) -> str:
    """What similar cases' evidence is of (recovery/evidence.py), in the page's language."""
    return evidence.heading_in(gettext)


@register.filter
def evidence_sentence(comparison) -> str:
    """One comparison of the evidence (recovery/evidence.py), in the page's language."""
    return comparison.sentence_in(gettext)
