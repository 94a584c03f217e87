from django import template
from django.utils.translation import gettext

from core.money import format_money
from recovery.totals import totals_words

register = template.Library()


@register.filter
def remedy_totals(remedy) -> str:
    """What a suggestion or proposal adds up to, in the words the timeline uses too (translated)."""
    return totals_words(remedy.totals, format_money, gettext)
