"""Middleware of the whole site (not of the events app)."""

import functools
from urllib.parse import quote

import csp.constants
import csp.exceptions
import csp.middleware
import csp.utils
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from whitenoise.middleware import WhiteNoiseMiddleware

from .views import BAD_REQUEST, render_error


class RequestLimitsMiddleware:
    """What the site answers at all, decided before anything else runs (static files and the admin
    included):

    - the methods it uses, GET, HEAD and POST: any other (TRACE, PUT, DELETE, OPTIONS, made-up
      ones) is a 405 naming them. Views that only show something refuse POST themselves (a 405
      too, whose Allow header names no method refused here);
    - addresses of at most ``MAX_ADDRESS_LENGTH`` characters, path and query string together: a
      longer one is a 414, as nginx answers in front;
    - query strings without a NUL byte: no parameter of the site holds one, and PostgreSQL
      refuses to compare one (a 400)."""

    METHODS = ("GET", "HEAD", "POST")
    MAX_ADDRESS_LENGTH = 8 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.METHODS:
            return render_error(
                request,
                "error.html",
                405,
                {"heading": _("Request not supported"), "lead": _("This site does not answer this kind of request.")},
                headers={"Allow": ", ".join(self.METHODS)},
            )
        address = quote(request.path_info) + request.META.get("QUERY_STRING", "")
        if len(address) > self.MAX_ADDRESS_LENGTH:
            return render_error(
                request,
                "error.html",
                414,
                {
                    "heading": _("Address too long"),
                    "lead": _("The address of this request is too long. Please check the link you followed."),
                },
            )
        if any("\x00" in value for _name, values in request.GET.lists() for value in values):
            return render_error(request, "error.html", 400, BAD_REQUEST)
        response = self.get_response(request)
        if response.status_code == 405 and response.has_header("Allow"):
            # A class-based view names OPTIONS among its methods; it never gets one here.
            allowed = [method.strip() for method in response["Allow"].split(",")]
            response["Allow"] = ", ".join(method for method in allowed if method in self.METHODS)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a year (the longest cache lifetime browsers and proxies honour, RFC 9111)
    rather than ten for files whose name carries a hash of their content; such a file never
    changes, so browsers do not even revalidate it ("immutable")."""

    FOREVER = 365 * 24 * 60 * 60


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the site's policy built once per process instead of once per
    response (django-csp builds it afresh every time, a good part of the cost of a page from the
    cache). A response with a policy of its own gets django-csp's full treatment: one whose
    policy parts (django-csp's documented extension point, ``get_policy_parts``) are not the
    site's — a nonce was used, or a csp_update / csp_replace decorator changed the policy — and
    every response under DEBUG, or while a report-only policy or excluded prefixes are set. (No
    view of the site is exempt from the policy; ``csp_exempt`` would need this shortcut to go.)"""

    def process_response(self, request, response):
        if (
            self.get_policy_parts(request, response) != csp.middleware.PolicyParts()
            or self.get_policy_parts(request, response, report_only=True) != csp.middleware.PolicyParts()
            or settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        if csp.constants.HEADER not in response:
            response[csp.constants.HEADER] = site_policy()
        # As django-csp does once the header is written: a nonce asked for later would be in no header.
        request.csp_nonce = csp.middleware.CheckableLazyObject(nonce_after_response)
        return response


def nonce_after_response():
    raise csp.exceptions.CSPNonceError(
        "request.csp_nonce is not available once the Content-Security-Policy header is written: "
        "check the order of MIDDLEWARE."
    )


@functools.cache
def site_policy():
    return csp.utils.build_policy()


@receiver(setting_changed)
def _forget_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()
