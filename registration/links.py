"""The registrant's own link: a signed address, no account.

``…/anmeldung/<token>/`` (``…/inscription/<token>/``) where the token is the registration's
random identifier signed with the site's secret key (django.core.signing), so that it can be
neither guessed nor forged. Anonymising a registration gives it a new identifier: old links
then lead nowhere.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

SALT = "registration.link"


def token(registration):
    return signing.Signer(salt=SALT).sign(registration.uuid.hex)


def identifier(value):
    """The registration identifier (``uuid.hex``) a token carries, or None for a forged or
    damaged one (``Registration.objects.for_token`` finds the registration)."""
    try:
        return signing.Signer(salt=SALT).unsign(value)
    except signing.BadSignature:
        return None


def manage_url(registration, language=None, page="registration:manage", **kwargs):
    language = language or registration.language
    with translation.override(language):
        return reverse(page, kwargs={"token": token(registration), **kwargs})


def absolute(path):
    """An address for e-mails, on the site's public address (settings.SITE_URL)."""
    return urljoin(settings.SITE_URL + "/", path.lstrip("/"))
