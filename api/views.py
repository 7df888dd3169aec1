"""The API's answers outside its operations: an address that does not exist, a version that does
not exist."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from . import v1
from .errors import error_response

VERSIONS = ("v1",)


@require_safe
def openapi(request):
    """Version 1's OpenAPI schema, as django-ninja makes it from api/v1.py and api/schemas.py."""
    return JsonResponse(v1.api.get_openapi_schema())


@require_safe
def not_found(request):
    return error_response(404, "not_found", _("This address is not part of the API. See /api/v1/openapi.json."))


@require_safe
def unknown_version(request):
    return error_response(
        400,
        "unknown_version",
        _("Unknown API version. This server offers: %(versions)s (for example /api/v1/events)."),
        versions=", ".join(VERSIONS),
    )
