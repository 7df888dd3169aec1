"""The API's addresses: version 1, and a JSON answer for every other address under /api/."""

from django.urls import path, re_path

from . import views
from .v1 import api

urlpatterns = [
    path("api/v1/openapi.json", views.openapi, name="api_openapi"),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/", views.not_found),
    # Another version (/api/v2/…) is a 400 naming the versions there are; anything else a 404.
    re_path(r"^api/v[0-9]+(?:/|$)", views.unknown_version),
    re_path(r"^api/", views.not_found),
]
