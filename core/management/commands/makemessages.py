"""makemessages without msgmerge's fuzzy matching: a new string comes in empty for a translator,
not pre-filled with the nearest old one's translation (which read "Tell the customer what we did"
as "Tell us what went wrong"). Django's documented way to change the options:
https://docs.djangoproject.com/en/5.2/ref/django-admin/#makemessages"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
