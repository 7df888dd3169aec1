"""Middleware of the whole site (not of the events app)."""

import functools

import csp.constants
import csp.middleware
import csp.utils
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a year (the longest cache lifetime browsers and proxies honour, RFC 9111)
    rather than ten for files whose name carries a hash of their content; such a file never
    changes, so browsers do not even revalidate it ("immutable")."""

    FOREVER = 365 * 24 * 60 * 60


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy built once per process instead of once per
    response (django-csp builds it afresh every time, a good part of the cost of a page from the
    cache). A response that asks for a policy of its own (a nonce, csp_update/csp_replace/csp_exempt
    decorators) still gets django-csp's full treatment."""

    PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in self.PER_RESPONSE)
            or getattr(response, "_csp_exempt", False)
            or settings.DEBUG
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES")
        ):
            return super().process_response(request, response)
        if csp.constants.HEADER not in response:
            response[csp.constants.HEADER] = site_policy()
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.cache
def site_policy():
    return csp.utils.build_policy()


@receiver(setting_changed)
def _forget_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policy.cache_clear()
