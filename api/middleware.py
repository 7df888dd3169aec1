"""The API's and the embeds' HTTP rules, for every answer under their addresses (also those the
page cache gives, which no view sees), so it sits near the top of MIDDLEWARE:

- under /api/: CORS for reading from any origin (``Access-Control-Allow-Origin: *``; no
  credentials, no preflight needed for a GET), and a limit of requests per client address
  (settings.API_RATE_PER_IP, django-ratelimit counting in the protection cache), beyond which
  the answer is a ``429`` in JSON with ``Retry-After``; its records, which hold both languages,
  say ``Content-Language: de, fr`` (its errors, the reader's language);
- the embeddable pages (/de/einbetten/…, /fr/integrer/…): framed by the sites of
  settings.EMBED_ALLOWED_ORIGINS only (CSP ``frame-ancestors``), without ``X-Frame-Options``,
  which would refuse them all. Every other page keeps ``frame-ancestors 'none'`` and ``DENY``."""

import contextlib
import functools

import csp.constants
import csp.utils
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited

from events.language import every_language

from .errors import error_response

API_PREFIX = "/api/"


class OpenDataMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.api(request)
        response = self.get_response(request)
        if request.path_info.startswith(embed_paths()):
            response[csp.constants.HEADER] = embed_policy()
            if "X-Frame-Options" in response:
                del response["X-Frame-Options"]
        return response

    def api(self, request):
        if is_ratelimited(request, group="api", key="ip", rate=settings.API_RATE_PER_IP, increment=True):
            response = error_response(
                429, "rate_limited", _("Too many requests from your address. Please wait a minute and try again.")
            )
            response["Retry-After"] = "60"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
        if response.status_code in (200, 304):  # the records, each in both languages (an error: the reader's)
            response["Content-Language"] = every_language()
        return response


@functools.cache
def embed_paths():
    """The embeddable pages' paths in every language (a tuple for ``startswith``); none under a
    URL configuration without them (a test's)."""
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code), contextlib.suppress(NoReverseMatch):
            paths.append(reverse("embed"))
    return tuple(paths)


@functools.cache
def embed_policy():
    """The site's policy, with the allowed embedding sites as ``frame-ancestors``."""
    return csp.utils.build_policy(replace={"frame-ancestors": list(settings.EMBED_ALLOWED_ORIGINS) or ["'none'"]})


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting.startswith(("CONTENT_SECURITY_POLICY", "EMBED_ALLOWED_ORIGINS")):
        embed_policy.cache_clear()
    if setting in ("ROOT_URLCONF", "LANGUAGES"):
        embed_paths.cache_clear()
