"""How the models' sentences reach the reader's language, without the models importing Django.

gettext_noop("...") marks a sentence where it is written: makemessages collects every one into
locale/<lang>/LC_MESSAGES/django.po, as it does Django's own gettext_noop, and the sentence stays
English in the code. translate() gives a marked sentence in the reader's language through one hook,
which stays English until a caller installs its gettext: lab/apps.py installs Django's, so that the
models follow each request's language (LocaleMiddleware).
"""


def gettext_noop(message: str) -> str:
    """Marks `message` for makemessages and returns it unchanged."""
    return message


def _english(message: str) -> str:
    return message


_gettext = _english


def install(gettext):
    """Translate the models' sentences with `gettext` from now on (lab/apps.py passes Django's).
    Returns the one it replaces, so that a test can put it back."""
    global _gettext
    replaced, _gettext = _gettext, gettext
    return replaced


def translate(message: str) -> str:
    """A marked sentence in the reader's language."""
    # "" (no fix) is not a sentence: gettext("") would return the catalogue's header.
    return _gettext(message) if message else message
