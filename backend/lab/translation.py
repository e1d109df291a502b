"""Marking sentences for translation in the pure-Python models (scenarios/verdicts.py,
cookielab/rules.py), which import nothing from Django.

makemessages collects every gettext_noop("...") into locale/<lang>/LC_MESSAGES/django.po, as it
does for Django's own gettext_noop; the sentence itself stays English here, and the view (or the
model's translation hook) translates it when a request's language is known.
"""


def gettext_noop(message: str) -> str:
    """Marks `message` for makemessages and returns it unchanged."""
    return message
