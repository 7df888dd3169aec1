"""Which privacy notice a registrant was shown, recorded with their registration (GDPR art. 7 (1):
the controller can show what was agreed to).

A version names the registration form's own notice as shown (a hash of its text in the page's
language) and the site's privacy page. That page belongs to an app above this one (pages/); its
version comes through settings.REGISTRATION_SITE_NOTICE_VERSION, the dotted path of a function
returning a short string, so that registration never imports it."""

import hashlib

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string

from events.language import translated_value


def notice_version(form_settings, language=None):
    """``form:<hash of the notice shown> site:<the privacy page's version>``."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    text = translated_value(form_settings, "privacy_notice", language) or ""
    parts = [f"form:{hashlib.sha256(text.encode()).hexdigest()[:12]}"]
    path = getattr(settings, "REGISTRATION_SITE_NOTICE_VERSION", "")
    if path:
        parts.append(f"site:{import_string(path)()}")
    return " ".join(parts)
